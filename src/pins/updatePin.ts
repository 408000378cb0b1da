// "Update nixpkgs pin": move a PPL Nix file to a channel's current revision, after showing
// what disappears, breaks or changes version, and only once the user agreed in a modal.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { PplNixError } from '../core/errors';
import { checkChannel, describeChange, isBreaking, SUGGESTED_CHANNELS } from '../core/pins/channel';
import { allPins, findPin } from '../core/pins/pins';
import { faithfulSpec, readShellNix } from '../core/spec/readback';
import { detectOldStyle } from '../core/shellNix/migrate';
import { applyPinUpdate, planPinUpdate } from '../host/pinUpdate';
import { COMMANDS } from '../shared/commands';
import type { Ctx } from '../shared/context';
import { readText, shellFileArgument } from '../shared/pick';
import { withNixProgress } from '../shared/progress';
import { channelSources, nixProcessEnv, readCustomPins } from '../shared/settings';

const UPDATE_PIN = 'Update Pin';

export interface UpdatePinResult {
  readonly written: boolean;
  readonly changes: readonly string[];
}

export async function updatePin(ctx: Ctx, target?: unknown, channelArg?: unknown): Promise<UpdatePinResult | undefined> {
  ctx.requireTrust();
  const file = await shellFileArgument(target);
  if (file === undefined) return undefined;
  const where = vscode.workspace.asRelativePath(file);
  const text = await readText(file);
  const read = readShellNix(text);
  if (read.kind !== 'managed') {
    const old = detectOldStyle(text);
    if (old !== undefined && (await ctx.dialogs.warning(`${old.problem} Migrate it first.`, {}, 'Migrate…')) !== undefined) {
      await vscode.commands.executeCommand(COMMANDS.migrate, file);
      return undefined;
    }
    throw new PplNixError(
      { kind: 'foreignFile', path: file.fsPath },
      `${where} was not written by PPL Nix: its pin cannot be updated here`,
    );
  }
  const faithful = faithfulSpec(read, where);
  if ('reason' in faithful) throw new PplNixError({ kind: 'invalidInput', field: 'file', value: file.fsPath }, faithful.reason);
  const current = findPin(allPins(readCustomPins(file).pins), faithful.spec.pin.label);
  const channel = typeof channelArg === 'string' ? channelArg : await chooseChannel(current?.branch);
  if (channel === undefined) return undefined;
  const problem = checkChannel(channel);
  if (problem !== undefined) throw new PplNixError({ kind: 'invalidInput', field: 'channel', value: channel }, problem);
  const sources = channelSources(file);
  const plan = await withNixProgress(ctx.signal, `Updating the nixpkgs pin to ${channel}`, (signal, report) =>
    planPinUpdate(
      { file: file.fsPath, text, spec: read.spec },
      channel,
      sources,
      { nix: ctx.nix, probes: ctx.probes, step: report },
      { env: nixProcessEnv(file), signal },
    ),
  );
  const changes = plan.changes.map(describeChange);
  if (plan.unchanged) {
    void vscode.window.showInformationMessage(`${where} already pins ${channel} at its current revision.`);
    return { written: false, changes };
  }
  const breaking = plan.changes.filter(isBreaking).length;
  const detail = [
    `${plan.oldPin.label} → ${plan.newPin.label}`,
    `url ${plan.newPin.url}`,
    `sha256 ${plan.newPin.sha256}`,
    ...(plan.comparisonProblem === undefined ? [] : [`No comparison: ${plan.comparisonProblem}.`]),
    ...(changes.length === 0 ? ['No changes to the packages of this environment.'] : changes.map((c) => `• ${c}`)),
  ].join('\n');
  const question = breaking > 0 ? `Update the pin? ${breaking} package(s) will not build at the new pin.` : 'Update the nixpkgs pin?';
  if ((await ctx.dialogs.warning(question, { modal: true, detail }, UPDATE_PIN)) !== UPDATE_PIN) return { written: false, changes };
  const outcome = await applyPinUpdate(plan);
  ctx.log.info(`updatePin: ${file.fsPath}: ${detail.replace(/\n/g, '; ')}`);
  const backup = outcome.backup ? ` Backup: ${basename(outcome.backup)}.` : '';
  void vscode.window.showInformationMessage(`${where} now pins ${plan.newPin.label}.${backup}`);
  return { written: true, changes };
}

async function chooseChannel(current: string | undefined): Promise<string | undefined> {
  const OTHER = 'Other channel…';
  const names = [...new Set([...(current === undefined ? [] : [current]), ...SUGGESTED_CHANNELS])];
  const items = [
    ...names.map((label) => ({ label, description: label === current ? 'the branch of the current pin' : '' })),
    { label: OTHER, description: '' },
  ];
  const choice = await vscode.window.showQuickPick(items, {
    title: 'Update nixpkgs pin: which channel?',
    placeHolder: 'The pin moves to the channel’s current revision',
  });
  if (choice?.label !== OTHER) return choice?.label;
  return vscode.window.showInputBox({
    title: 'Channel name',
    placeHolder: 'nixos-25.05',
    validateInput: (value) => checkChannel(value.trim()),
  });
}
