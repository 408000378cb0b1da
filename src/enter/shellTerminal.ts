// Terminals "in the shell": a real nix-shell (or `nix develop` for a flake), so the shellHook
// runs too. Opened by command, after Create, or from the terminal dropdown (profile "PPL Nix shell").
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { interactiveShell } from '../core/nix/argv';
import { environmentNameOf } from '../core/spec/readback';
import { readIfExists } from '../host/files';
import type { Ctx } from '../shared/context';
import { currentFolder, readText, shellFileArgument } from '../shared/pick';
import { nixProcessEnv } from '../shared/settings';
import type { EnvironmentController } from './controller';
import { onlyShellFile } from './discovery';

const TERMINAL_PROFILE = 'pplNix.shell';

/** A terminal running the environment's interactive shell (nix-shell FILE, or nix develop for a flake). */
function nixShellTerminalOptions(file: string, name: string, env: NodeJS.ProcessEnv): vscode.TerminalOptions {
  const argv = interactiveShell(file);
  return {
    name: `PPL Nix: ${name}`,
    shellPath: argv.command,
    shellArgs: [...argv.args],
    cwd: dirname(file),
    env: { PATH: env['PATH'] ?? null },
    iconPath: new vscode.ThemeIcon('beaker'),
  };
}

export function openNixShellTerminal(file: string, name: string, env: NodeJS.ProcessEnv): vscode.Terminal {
  const terminal = vscode.window.createTerminal(nixShellTerminalOptions(file, name, env));
  terminal.show();
  return terminal;
}

/** "Open Terminal in PPL Nix Shell": the file given (explorer) or chosen. */
export async function openTerminalCommand(ctx: Ctx, target?: unknown): Promise<vscode.Terminal | undefined> {
  ctx.requireTrust();
  const file = await shellFileArgument(target);
  if (file === undefined) return undefined;
  const folderName = vscode.workspace.getWorkspaceFolder(file)?.name ?? dirname(file.fsPath);
  return openNixShellTerminal(file.fsPath, environmentNameOf(await readText(file), folderName), nixProcessEnv(file));
}

export function registerTerminalProfile(ctx: Ctx, controller: EnvironmentController): void {
  ctx.own(
    vscode.window.registerTerminalProfileProvider(TERMINAL_PROFILE, {
      async provideTerminalProfile() {
        const folder = currentFolder();
        if (folder === undefined) throw new Error('Open a folder with a shell.nix first.');
        if (!ctx.trusted) throw new Error('Restricted Mode: PPL Nix starts no Nix shell in untrusted folders.');
        const file = controller.remembered(folder) ?? (await onlyShellFile(folder));
        if (file === undefined) throw new Error('No PPL Nix environment in this folder: create one with "Create PPL Nix shell".');
        const state = controller.state(folder);
        const name =
          state.kind === 'active' || state.kind === 'stale'
            ? state.env.name
            : environmentNameOf(await readIfExists(file.fsPath), folder.name);
        return new vscode.TerminalProfile(nixShellTerminalOptions(file.fsPath, name, nixProcessEnv(file)));
      },
    }),
  );
}
