// Command ids and their handlers: one table, registered in one place.
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from './shared/context';
import { PplNixError } from './core/errors';
import { showError } from './shared/errors';
import { environmentNameOf } from './core/spec/readback';
import { openNixShellTerminal } from './enter/nixShellTerminal';
import { nixProcessEnv } from './shared/settings';
import type { EnvironmentController } from './enter/controller';
import { currentFolder, reload, SELECT_COMMAND, selectEnvironment } from './enter/statusItem';
import { RESTART_COMMAND, type LanguageSupport } from './language/client';
import { checkAvailability, migrate, PIN_COMMANDS, updatePin, type UpdatePinOptions } from './pins/commands';
import type { PickerPanels } from './create/panel';

export const COMMANDS = {
  createShell: 'pplNix.createShell',
  showLog: 'pplNix.showLog',
  openTerminal: 'pplNix.openTerminal',
  selectEnvironment: SELECT_COMMAND,
  reloadEnvironment: 'pplNix.reloadEnvironment',
  ...PIN_COMMANDS,
  restartLanguageServers: RESTART_COMMAND,
} as const;

type Handler = (...args: unknown[]) => unknown;

export interface Services {
  readonly ctx: Ctx;
  readonly pickers: PickerPanels;
  readonly environments: EnvironmentController;
  readonly languageSupport: LanguageSupport;
}

/** A handler whose failure becomes the one error message with actions (errorActions.ts), not an unhandled rejection. */
const guarded = (ctx: Ctx, what: string, run: (...args: unknown[]) => Promise<unknown>): Handler => async (...args) => {
  try {
    return await run(...args);
  } catch (error) {
    void showError(ctx, error, what);
    return undefined;
  }
};

const table: Record<(typeof COMMANDS)[keyof typeof COMMANDS], (services: Services) => Handler> = {
  [COMMANDS.createShell]: ({ ctx, pickers }) => async (target?: unknown) => {
    try {
      const file = target instanceof vscode.Uri && target.path.endsWith('.nix') ? target : undefined;
      const folder = file ? vscode.workspace.getWorkspaceFolder(file) : await chooseFolder();
      if (folder === undefined) return undefined;
      return await pickers.open(folder, file);
    } catch (error) {
      return showError(ctx, error, 'Could not open the PPL Nix picker');
    }
  },
  [COMMANDS.showLog]: ({ ctx }) => () => ctx.log.show(true),
  [COMMANDS.selectEnvironment]: ({ ctx, environments }) => () => selectEnvironment(ctx, environments),
  [COMMANDS.reloadEnvironment]: ({ environments }) => async () => {
    const folder = currentFolder();
    if (folder !== undefined) await reload(environments, folder);
  },
  [COMMANDS.checkAvailability]: ({ ctx }) => guarded(ctx, 'Check availability', (target) => checkAvailability(ctx, target)),
  [COMMANDS.updatePin]: ({ ctx }) => guarded(ctx, 'Update nixpkgs pin', (target, channel, options) => updatePin(ctx, target, channel, options as UpdatePinOptions | undefined)),
  [COMMANDS.migrate]: ({ ctx }) => guarded(ctx, 'Migrate shell.nix', (target, choice, pin) => migrate(ctx, target, choice, pin)),
  [COMMANDS.restartLanguageServers]: ({ languageSupport }) => () => languageSupport.restart(),
  [COMMANDS.openTerminal]: ({ ctx }) => async (target?: unknown) => {
    try {
      if (!ctx.trusted) throw new PplNixError({ kind: 'untrusted' }, 'Restricted Mode');
      const file = target instanceof vscode.Uri ? target : await chooseShellFile();
      if (file === undefined) return undefined;
      const text = (await vscode.workspace.fs.readFile(file)).toString();
      const folderName = vscode.workspace.getWorkspaceFolder(file)?.name ?? basename(dirname(file.fsPath));
      return openNixShellTerminal(file.fsPath, environmentNameOf(text, folderName), nixProcessEnv(file));
    } catch (error) {
      return showError(ctx, error, 'Could not open a PPL Nix terminal');
    }
  },
};

export function registerCommands(services: Services): void {
  for (const [id, factory] of Object.entries(table)) {
    services.ctx.own(vscode.commands.registerCommand(id, factory(services)));
  }
}

/** The only folder, or the user's choice; a message when no folder is open. */
async function chooseFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
  if (folders.length === 0) {
    void vscode.window.showInformationMessage('PPL Nix writes shell.nix into a folder: open a folder first.');
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Create the PPL Nix shell in which folder?' });
}

/** The active .nix file, the only shell file in the workspace, or the user's choice among several. */
export async function chooseShellFile(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && active.path.endsWith('.nix')) return active;
  const found = await vscode.workspace.findFiles('**/{shell,default}.nix', '**/{node_modules,.git,.ppl-nix}/**', 100);
  if (found.length === 0) {
    void vscode.window.showInformationMessage('No shell.nix in this workspace. Create one with "Create PPL Nix shell".');
    return undefined;
  }
  if (found.length === 1) return found[0];
  const choice = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: 'Which Nix environment?', placeHolder: 'Choose a shell file' },
  );
  return choice?.uri;
}
