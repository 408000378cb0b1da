// The "PPL Nix shell" terminal profile: a real nix-shell on the folder's environment (so the
// shellHook runs), from the terminal dropdown.
import * as vscode from 'vscode';
import type { Ctx } from '../shared/context';
import { environmentNameOf } from '../core/spec/readback';
import { readIfExists } from '../host/files';
import { nixShellTerminalOptions } from './nixShellTerminal';
import { nixProcessEnv } from '../shared/settings';
import { onlyShellFile, type EnvironmentController } from './controller';
import { currentFolder } from './statusItem';

export function registerTerminalProfile(ctx: Ctx, controller: EnvironmentController): void {
  ctx.own(vscode.window.registerTerminalProfileProvider('pplNix.shell', {
    async provideTerminalProfile() {
      const folder = currentFolder();
      if (folder === undefined || !vscode.workspace.isTrusted) {
        throw new Error(folder === undefined ? 'Open a folder with a shell.nix first.' : 'Restricted Mode: PPL Nix starts no Nix shell in untrusted folders.');
      }
      const file = controller.remembered(folder) ?? (await onlyShellFile(folder));
      if (file === undefined) throw new Error('No PPL Nix environment in this folder: create one with "Create PPL Nix shell".');
      const state = controller.state(folder);
      const name = state.kind === 'active' || state.kind === 'stale' ? state.env.name : environmentNameOf(await readIfExists(file.fsPath), folder.name);
      return new vscode.TerminalProfile(nixShellTerminalOptions(file.fsPath, name, nixProcessEnv(file)));
    },
  }));
}
