// The "PPL Nix shell" terminal profile: a real nix-shell on the folder's environment (so the
// shellHook runs), from the terminal dropdown.
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { interactiveShell } from '../core/argv';
import { nixProcessEnv } from '../settings';
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
      const argv = interactiveShell(file.fsPath);
      const state = controller.state(folder);
      const name = state.kind === 'active' || state.kind === 'stale' ? state.env.name : folder.name;
      return new vscode.TerminalProfile({ name: `PPL Nix: ${name}`, shellPath: argv.command, shellArgs: [...argv.args], cwd: dirname(file.fsPath), env: { PATH: nixProcessEnv(file)['PATH'] ?? null }, iconPath: new vscode.ThemeIcon('beaker') });
    },
  }));
}
