// The one command table: every command id (shared/commands.ts) with its handler. A handler's
// failure becomes the one error message with actions (shared/errors.ts), never an unhandled
// rejection; handlers return their result so the command is scriptable (and testable).
import * as vscode from 'vscode';
import type { PickerPanels } from './create/panel';
import type { EnvironmentController } from './enter/controller';
import { checkNix, type NixPresenceMonitor } from './enter/nixPresence';
import { openTerminalCommand } from './enter/shellTerminal';
import { addExampleModel, runInShell, type ExampleHost } from './examples/commands';
import { reloadEnvironment, selectEnvironment } from './enter/statusItem';
import type { LanguageSupportHandle } from './language/support';
import type * as PinCommands from './pins/bundle';
import { COMMANDS, type CommandId } from './shared/commands';
import type { Ctx } from './shared/context';
import { showError } from './shared/errors';
import { loadBundle } from './shared/lazyBundle';
import { chooseFolder } from './shared/pick';

export interface Features {
  readonly ctx: Ctx;
  readonly pickers: PickerPanels;
  readonly environments: EnvironmentController;
  readonly languageSupport: LanguageSupportHandle;
  readonly nix: NixPresenceMonitor;
  readonly examples: ExampleHost;
}

type Handler = (...args: unknown[]) => Promise<unknown>;

/** The pin commands are their own bundle (dist/pins.js), loaded on first use. */
const pins = (ctx: Ctx): typeof PinCommands => loadBundle<typeof PinCommands>(ctx, 'pins');

function commandTable({
  ctx,
  pickers,
  environments,
  languageSupport,
  nix,
  examples,
}: Features): Record<CommandId, { readonly failure: string; readonly run: Handler }> {
  return {
    [COMMANDS.createShell]: {
      failure: 'Could not open the PPL Nix picker',
      run: async (target) => {
        const file = target instanceof vscode.Uri && target.path.endsWith('.nix') ? target : undefined;
        const folder = file ? vscode.workspace.getWorkspaceFolder(file) : await chooseFolder('Create the PPL Nix shell in which folder?');
        return folder === undefined ? undefined : pickers.open(folder, file);
      },
    },
    [COMMANDS.selectEnvironment]: { failure: 'Select Environment', run: () => selectEnvironment(ctx, environments) },
    [COMMANDS.reloadEnvironment]: { failure: 'Reload Environment', run: () => reloadEnvironment(environments) },
    [COMMANDS.openTerminal]: { failure: 'Could not open a PPL Nix terminal', run: (target) => openTerminalCommand(ctx, target) },
    [COMMANDS.checkAvailability]: { failure: 'Check packages at this pin', run: (target) => pins(ctx).checkPackages(ctx, target) },
    [COMMANDS.updatePin]: { failure: 'Update nixpkgs pin', run: (target, channel) => pins(ctx).updatePin(ctx, target, channel) },
    [COMMANDS.migrate]: { failure: 'Migrate shell.nix', run: (target, choice, pin) => pins(ctx).migrate(ctx, target, choice, pin) },
    [COMMANDS.restartLanguageServers]: { failure: 'Restart Language Servers', run: () => languageSupport.restart() },
    [COMMANDS.showLog]: { failure: 'Show Log', run: async () => ctx.log.show(true) },
    [COMMANDS.addExampleModel]: { failure: 'Add example model', run: (target, example) => addExampleModel(ctx, target, example) },
    [COMMANDS.runExample]: { failure: 'Run in PPL Nix shell', run: (target) => runInShell(ctx, examples, target) },
    [COMMANDS.checkNix]: { failure: 'Check Nix installation', run: (how) => checkNix(ctx, nix, environments, how) },
  };
}

export function registerCommands(features: Features): void {
  const { ctx } = features;
  for (const [id, { failure, run }] of Object.entries(commandTable(features))) {
    const guarded = async (...args: unknown[]): Promise<unknown> => {
      try {
        return await run(...args);
      } catch (error) {
        void showError(ctx, error, failure);
        return undefined;
      }
    };
    ctx.own(vscode.commands.registerCommand(id, guarded));
  }
}
