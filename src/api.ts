// What the extension exports to other extensions and to its own integration tests:
// the same operations the CLI offers, on the same core.
import type { Ctx } from './shared/context';
import { CATALOG } from './core/catalog/catalog';
import { PplNixError } from './core/errors';
import { allPins } from './core/pins/pins';
import { buildSpec, type SpecInput } from './core/spec/specInput';
import type { CapturedEnvironment } from './host/nix';
import { writeSpec, type WriteOutcome } from './host/shellFiles';
import { nixProcessEnv, readCustomPins } from './shared/settings';
import type * as vscode from 'vscode';
import type { Ask } from './create/write';
import type { EnvironmentController } from './enter/controller';
import { statusView } from './core/enter/status';
import type { EnvState } from './core/enter/status';
import type { PickerPanels } from './create/panel';
import type { HostMessage } from './create/protocol';
import type { LanguageSupport, LanguageSupportState } from './language/client';

export interface PplNixApi {
  readonly catalog: typeof CATALOG;
  pins(): ReturnType<typeof allPins>;
  /** Like `ppl-nix new`: validates, then writes or updates the file (never replaces a foreign file unless told). */
  writeShell(path: string, input: SpecInput, options?: { replaceForeign?: boolean }): Promise<WriteOutcome>;
  /** Like `ppl-nix env` / `ppl-nix python`: captures the environment (trusted workspaces only). */
  capture(path: string): Promise<CapturedEnvironment>;
  /** Number of processes the extension started (tests assert on it). */
  processCount(): number;
  /** Picker messages the host rejected as malformed (tests assert on it). */
  rejectedPickerMessages(): number;
  /**
   * Feeds one message to the picker's host side exactly as its webview would, and returns
   * what the host posted back. `ask` answers the "file exists" question (default: the real dialog).
   */
  sendPickerMessage(folder: vscode.WorkspaceFolder, message: unknown, ask?: Ask): Promise<HostMessage[]>;
  /** The Nix language servers: ours running, nil/nixd started, messages shown (tests assert on it). */
  languageSupport(): LanguageSupportState;
  /** Enters an environment for a folder, as choosing it in the status-bar switcher does. */
  enter(folder: vscode.WorkspaceFolder, file: vscode.Uri, options?: { fresh?: boolean }): Promise<EnvState>;
  /** "Disable for this workspace" (false) and "Enable" (true), as in the status-bar switcher. */
  setEnabled(enabled: boolean): Promise<void>;
  /** Runs the auto-enter of workspace opening again (as after a reload). */
  autoEnter(): Promise<void>;
  /** A folder's environment state and the status bar's text for it. */
  environmentState(folder: vscode.WorkspaceFolder): { state: EnvState; statusText: string };
}

export function createApi(ctx: Ctx, pickers: PickerPanels, environments: EnvironmentController, languageSupport: LanguageSupport): PplNixApi {
  return {
    catalog: CATALOG,
    pins: () => allPins(readCustomPins().pins),
    async writeShell(path, input, options) {
      const built = buildSpec(input, readCustomPins().pins);
      if ('problems' in built) {
        const message = built.problems.map((p) => `${p.field}: ${p.message}`).join('; ');
        throw new PplNixError({ kind: 'invalidInput', field: built.problems[0]?.field ?? '', value: '' }, message);
      }
      return writeSpec(path, built.spec, { replaceForeign: options?.replaceForeign === true });
    },
    async capture(path) {
      if (!ctx.trusted) throw new PplNixError({ kind: 'untrusted' }, 'Restricted Mode: PPL Nix does not evaluate Nix here');
      return ctx.nix.capture(path, { env: nixProcessEnv() });
    },
    processCount: () => ctx.runner.started.length,
    rejectedPickerMessages: () => pickers.rejected,
    languageSupport: () => languageSupport.state(),
    enter: (folder, file, options) => environments.enter(folder, file, { quiet: true, ...options }),
    autoEnter: () => environments.autoEnter(),
    setEnabled: (enabled) => environments.setDisabled(!enabled),
    environmentState(folder) {
      const state = environments.state(folder);
      return { state, statusText: statusView(state).text };
    },
    async sendPickerMessage(folder, message, ask) {
      const posted: HostMessage[] = [];
      await pickers.handle(folder, message, async (reply) => (posted.push(reply), true), undefined, ask);
      return posted;
    },
  };
}
