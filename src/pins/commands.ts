// Commands for pins you can trust: check availability at a file's pin, update a pin to a
// channel's current revision, migrate an old-style file. Evaluation (and so these Nix runs)
// happens only in trusted workspaces; migrating only rewrites text and works everywhere.
import * as vscode from 'vscode';
import type { Ctx } from '../shared/context';
import { DEFAULT_CHANNEL_BASE_URL, DEFAULT_TARBALL_URL_TEMPLATE, SUGGESTED_CHANNELS, checkChannel, describeChange, isBreaking } from '../core/pins/channel';
import { checkReport, checkTargetOf } from '../core/pins/check';
import { PplNixError } from '../core/errors';
import { detectOldStyle, modernize, reproduceExactly } from '../core/shellNix/migrate';
import { allPins, findPin } from '../core/pins/pins';
import { readShellNix } from '../core/spec/readback';
import { AvailabilityService } from '../host/pinProbe';
import { backupFile, writeFileAtomic } from '../host/files';
import { applyPinUpdate, planPinUpdate } from '../host/pinUpdate';
import { nixProcessEnv, readCustomPins, settings } from '../shared/settings';
import { chooseShellFile } from '../commands';
import { toEnvName } from '../core/spec/validate';
import { basename, dirname } from 'node:path';

export const PIN_COMMANDS = { updatePin: 'pplNix.updatePin', migrate: 'pplNix.migrate', checkAvailability: 'pplNix.checkAvailability' } as const;

const services = new WeakMap<Ctx, AvailabilityService>();

/** One availability service per extension, caching under globalStorageUri. */
export function availabilityService(ctx: Ctx): AvailabilityService {
  let service = services.get(ctx);
  if (service === undefined) {
    service = new AvailabilityService(ctx.runner, ctx.extension.globalStorageUri.fsPath);
    services.set(ctx, service);
  }
  return service;
}

function channelSources(scope?: vscode.ConfigurationScope): { channelBaseUrl: string; tarballUrlTemplate: string } {
  return {
    channelBaseUrl: settings.channelBaseUrl.get(scope).trim() || DEFAULT_CHANNEL_BASE_URL,
    tarballUrlTemplate: settings.tarballUrlTemplate.get(scope).trim() || DEFAULT_TARBALL_URL_TEMPLATE,
  };
}

/** Runs work under a cancellable notification; the first use of a pin downloads about 40 MB. */
export function withNixProgress<T>(title: string, work: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    return work(controller.signal, (message) => progress.report({ message }));
  });
}

const fileArg = async (target: unknown): Promise<vscode.Uri | undefined> => (target instanceof vscode.Uri ? target : chooseShellFile());

function requireTrust(ctx: Ctx): void {
  if (!ctx.trusted) throw new PplNixError({ kind: 'untrusted' }, 'Restricted Mode');
}

export async function checkAvailability(ctx: Ctx, target?: unknown): Promise<{ ok: boolean; lines: readonly string[] } | undefined> {
  requireTrust(ctx);
  const file = await fileArg(target);
  if (file === undefined) return undefined;
  const checked = checkTargetOf((await vscode.workspace.fs.readFile(file)).toString());
  if ('reason' in checked) throw new PplNixError({ kind: 'invalidInput', field: 'file', value: file.fsPath }, checked.reason);
  const result = await withNixProgress(`Checking ${vscode.workspace.asRelativePath(file)} at nixpkgs ${checked.pin.label} (the first use of a pin downloads about 40 MB)`, (signal, report) =>
    availabilityService(ctx).check(checked, { env: nixProcessEnv(file), signal, onProgress: (line) => report(line.slice(0, 120)) }),
  );
  const report = checkReport(checked, result);
  for (const line of report.lines) ctx.log.info(`check: ${line}`);
  const summary = report.lines.at(-1) ?? '';
  if (report.ok) void vscode.window.showInformationMessage(`${vscode.workspace.asRelativePath(file)}: ${summary}`);
  else void vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(file)}: ${summary}`, 'Show Log').then((c) => c && ctx.log.show(true));
  return { ok: report.ok, lines: report.lines };
}

export interface UpdatePinOptions {
  /** Test hook: answer the confirmation without a dialog. */
  readonly confirm?: boolean;
}

export async function updatePin(ctx: Ctx, target?: unknown, channelArg?: unknown, options?: UpdatePinOptions): Promise<{ written: boolean; changes: readonly string[] } | undefined> {
  requireTrust(ctx);
  const file = await fileArg(target);
  if (file === undefined) return undefined;
  const read = readShellNix((await vscode.workspace.fs.readFile(file)).toString());
  if (read.kind !== 'managed') {
    const old = detectOldStyle((await vscode.workspace.fs.readFile(file)).toString());
    if (old !== undefined && (await vscode.window.showWarningMessage(`${old.problem} Migrate it first.`, 'Migrate…')) !== undefined) {
      return void (await vscode.commands.executeCommand(PIN_COMMANDS.migrate, file));
    }
    throw new PplNixError({ kind: 'foreignFile', path: file.fsPath }, `${vscode.workspace.asRelativePath(file)} was not written by PPL Nix: its pin cannot be updated here`);
  }
  const channel = typeof channelArg === 'string' ? channelArg : await chooseChannel(findPin(allPins(readCustomPins(file).pins), read.spec.pin.label)?.branch);
  if (channel === undefined) return undefined;
  const problem = checkChannel(channel);
  if (problem !== undefined) throw new PplNixError({ kind: 'invalidInput', field: 'channel', value: channel }, problem);
  const plan = await withNixProgress(`Updating the nixpkgs pin to ${channel}`, (signal, report) =>
    planPinUpdate(file.fsPath, channel, channelSources(file), { nix: ctx.nix, availability: availabilityService(ctx), step: report }, { env: nixProcessEnv(file), signal }),
  );
  const changes = plan.changes.map(describeChange);
  if (plan.unchanged) {
    void vscode.window.showInformationMessage(`${vscode.workspace.asRelativePath(file)} already pins ${channel} at its current revision.`);
    return { written: false, changes };
  }
  const breaking = plan.changes.filter(isBreaking).length;
  const detail = [
    `${plan.oldPin.label} → ${plan.newPin.label}`,
    ...(plan.comparisonProblem === undefined ? [] : [`No comparison: ${plan.comparisonProblem}.`]),
    ...(changes.length === 0 ? ['No changes to the packages of this environment.'] : changes.map((c) => `• ${c}`)),
  ].join('\n');
  const UPDATE = 'Update Pin';
  const confirmed = options?.confirm ?? (await vscode.window.showWarningMessage(
    breaking > 0 ? `Update the pin? ${breaking} package(s) will not build at the new pin.` : 'Update the nixpkgs pin?',
    { modal: true, detail },
    UPDATE,
  )) === UPDATE;
  if (!confirmed) return { written: false, changes };
  const outcome = await applyPinUpdate(plan);
  ctx.log.info(`updatePin: ${file.fsPath}: ${detail.replace(/\n/g, '; ')}`);
  void vscode.window.showInformationMessage(`${vscode.workspace.asRelativePath(file)} now pins ${plan.newPin.label}.${outcome.backup ? ` Backup: ${basename(outcome.backup)}.` : ''}`);
  return { written: true, changes };
}

async function chooseChannel(current: string | undefined): Promise<string | undefined> {
  const OTHER = 'Other channel…';
  const names = [...new Set([...(current === undefined ? [] : [current]), ...SUGGESTED_CHANNELS])];
  const choice = await vscode.window.showQuickPick([...names.map((label) => ({ label, description: label === current ? 'the branch of the current pin' : '' })), { label: OTHER, description: '' }], {
    title: 'Update nixpkgs pin: which channel?',
    placeHolder: 'The pin moves to the channel’s current revision',
  });
  if (choice?.label !== OTHER) return choice?.label;
  return vscode.window.showInputBox({ title: 'Channel name', placeHolder: 'nixos-25.05', validateInput: (value) => checkChannel(value.trim()) });
}

type MigrateChoice = 'reproduce' | 'modernize';

export async function migrate(ctx: Ctx, target?: unknown, choiceArg?: unknown, pinLabel?: unknown): Promise<{ choice: MigrateChoice; backup: string; warnings: readonly string[] } | undefined> {
  const file = await fileArg(target);
  if (file === undefined) return undefined;
  const text = (await vscode.workspace.fs.readFile(file)).toString();
  const old = detectOldStyle(text);
  if (old === undefined) {
    void vscode.window.showInformationMessage(`${vscode.workspace.asRelativePath(file)} does not pin a moving branch tarball: nothing to migrate.`);
    return undefined;
  }
  const pins = allPins(readCustomPins(file).pins);
  const pin = typeof pinLabel === 'string' ? findPin(pins, pinLabel) : undefined;
  const modern = modernize(text, { name: toEnvName(basename(dirname(file.fsPath))), ...(pin === undefined ? {} : { pin }) });
  const exact = reproduceExactly(text);
  let choice: MigrateChoice | undefined = choiceArg === 'reproduce' || choiceArg === 'modernize' ? choiceArg : undefined;
  if (choice === undefined) {
    const items: (vscode.QuickPickItem & { value: MigrateChoice })[] = [];
    if (exact.ok) items.push({ value: 'reproduce', label: 'Reproduce exactly', description: `pin ${exact.pin.label}, revision ${exact.pin.rev?.slice(0, 12) ?? ''}`, detail: `Keeps your file as it is (Python ${old.facts.python ?? '?'}, ${old.facts.pythonPackages.join(', ')}); only the url changes to the revision its sha256 names.` });
    if (!('reason' in modern)) items.push({ value: 'modernize', label: 'Modernize', description: `Python ${modern.spec.python}, ${modern.spec.pin.label}`, detail: `A PPL Nix file with ${[...modern.spec.packages, ...modern.spec.extraPackages].join(', ')}. ${modern.warnings.join(' ')}` });
    const picked = await vscode.window.showQuickPick(items, { title: `Migrate ${vscode.workspace.asRelativePath(file)}`, placeHolder: old.problem, matchOnDetail: true });
    choice = picked?.value;
  }
  if (choice === undefined) return undefined;
  let result: string;
  let warnings: readonly string[] = [];
  if (choice === 'reproduce') {
    if (!exact.ok) throw new PplNixError({ kind: 'invalidInput', field: 'file', value: file.fsPath }, exact.reason);
    result = exact.text;
  } else {
    if ('reason' in modern) throw new PplNixError({ kind: 'invalidInput', field: 'file', value: file.fsPath }, modern.reason);
    result = modern.text;
    warnings = modern.warnings;
  }
  const backup = await backupFile(file.fsPath);
  await writeFileAtomic(file.fsPath, result);
  ctx.log.info(`migrate (${choice}): ${file.fsPath}; backup ${backup}; ${warnings.join(' ')}`);
  const message = `${vscode.workspace.asRelativePath(file)} migrated (${choice === 'reproduce' ? 'exact reproduction' : 'modernized'}); the old file is ${basename(backup)}.`;
  void (warnings.length > 0 ? vscode.window.showWarningMessage(`${message} ${warnings.join(' ')}`) : vscode.window.showInformationMessage(message));
  return { choice, backup, warnings };
}

/** Registers the three commands; each reports its errors through showError and returns a result for tests. */
