// Hooks for PPL Nix's own integration tests. activate() returns them (as `testing`) only when
// VS Code runs the extension in test mode (ExtensionMode.Test); production never exposes them.
import type * as vscode from 'vscode';
import type { PickerPanels } from './create/panel';
import type { HostMessage } from './core/picker/protocol';
import { statusView, type EnvState } from './core/enter/status';
import { PplNixError } from './core/errors';
import { buildSpec, type SpecInput } from './core/spec/specInput';
import type { EnterRequest, EnvironmentController } from './enter/controller';
import { environmentItems } from './enter/environmentItems';
import type { CapturedEnvironment } from './host/nix';
import { writeSpec, type WriteOutcome } from './host/shellFiles';
import type { LanguageSupportHandle, LanguageSupportState } from './language/support';
import type { Ctx } from './shared/context';
import { ScriptedDialogs, type ScriptedAnswer } from './shared/dialogs';
import { nixProcessEnv, readCustomPins } from './shared/settings';

export interface PplNixTesting {
  /** Processes the extension started (argv), in order: tests count Nix processes with it. */
  processes(): readonly { readonly command: string; readonly args: readonly string[] }[];
  /** Picker messages the host rejected as malformed. */
  rejectedPickerMessages(): number;
  /** Feeds one message to the picker's host side exactly as its webview would; returns what the host posted back. */
  sendPickerMessage(folder: vscode.WorkspaceFolder, message: unknown): Promise<HostMessage[]>;
  /** Queues answers for the next questions PPL Nix asks (a button title, a Uri for a save dialog, undefined to dismiss). */
  answerDialogs(...answers: ScriptedAnswer[]): void;
  /** Every question PPL Nix asked so far. */
  dialogsAsked(): readonly string[];
  /** The detail shown under each question (modal dialogs), aligned with dialogsAsked(). */
  dialogDetails(): readonly string[];
  languageSupport(): LanguageSupportState;
  /** Enters an environment as choosing it in the status-bar switcher does (quietly by default). */
  enter(folder: vscode.WorkspaceFolder, file: vscode.Uri, request?: EnterRequest): Promise<EnvState>;
  /** "Disable for this workspace" (false) and "Enable" (true). */
  setEnabled(enabled: boolean): Promise<void>;
  /** The auto-enter of workspace opening, again. */
  autoEnter(): Promise<void>;
  environmentState(folder: vscode.WorkspaceFolder): { state: EnvState; statusText: string };
  /** Like `ppl-nix new`: validates, then writes or updates the file. */
  writeShell(path: string, input: SpecInput, options?: { replaceForeign?: boolean }): Promise<WriteOutcome>;
  /** The environments the status-bar switcher offers for a folder (the "Environments" part), as shown. */
  switcherItems(folder: vscode.WorkspaceFolder): Promise<{ label: string; description?: string; detail?: string }[]>;
  /** Chooses the switcher's item with this label, as a click does; returns what it did (an enter's state). */
  chooseInSwitcher(folder: vscode.WorkspaceFolder, label: string): Promise<unknown>;
  /** Like `ppl-nix env`: captures an environment (trusted workspaces only). */
  capture(path: string): Promise<CapturedEnvironment>;
}

export function createTesting(features: {
  ctx: Ctx;
  pickers: PickerPanels;
  environments: EnvironmentController;
  languageSupport: LanguageSupportHandle;
}): PplNixTesting {
  const { ctx, pickers, environments, languageSupport } = features;
  const dialogs = ctx.dialogs instanceof ScriptedDialogs ? ctx.dialogs : undefined;
  if (dialogs === undefined) throw new Error('the testing object needs scripted dialogs (extension test mode)');
  return {
    processes: () => ctx.runner.started,
    rejectedPickerMessages: () => pickers.rejected,
    async sendPickerMessage(folder, message) {
      const posted: HostMessage[] = [];
      await pickers.handle(folder, message, async (reply) => (posted.push(reply), true));
      return posted;
    },
    answerDialogs: (...answers) => dialogs.queue(...answers),
    dialogsAsked: () => dialogs.asked,
    dialogDetails: () => dialogs.details,
    languageSupport: () => languageSupport.state(),
    enter: (folder, file, request) => environments.enter(folder, file, { quiet: true, ...request }),
    setEnabled: (enabled) => environments.setDisabled(!enabled),
    autoEnter: () => environments.autoEnter(),
    environmentState(folder) {
      const state = environments.state(folder);
      return { state, statusText: statusView(state).text };
    },
    async writeShell(path, input, options) {
      const built = buildSpec(input, readCustomPins().pins);
      if ('problems' in built) {
        const message = built.problems.map((p) => `${p.field}: ${p.message}`).join('; ');
        throw new PplNixError({ kind: 'invalidInput', field: built.problems[0]?.field ?? '', value: '' }, message);
      }
      return writeSpec(path, built.spec, { replaceForeign: options?.replaceForeign === true });
    },
    async switcherItems(folder) {
      return (await environmentItems(ctx, environments, folder)).map(({ label, description, detail }) => ({
        label,
        ...(description === undefined ? {} : { description }),
        ...(detail === undefined ? {} : { detail }),
      }));
    },
    async chooseInSwitcher(folder, label) {
      const item = (await environmentItems(ctx, environments, folder)).find((candidate) => candidate.label === label);
      if (item === undefined) throw new Error(`the switcher offers no "${label}"`);
      return item.run();
    },
    async capture(path) {
      ctx.requireTrust();
      return ctx.nix.capture(path, { env: nixProcessEnv(), signal: ctx.signal });
    },
  };
}
