// Integrated terminals inside a real nix-shell (or `nix develop` for a flake), so the shellHook runs.
import * as vscode from 'vscode';
import { dirname } from 'node:path';
import { interactiveShell } from '../core/nix/argv';

/** The options of a terminal in the environment's shell: used for opened terminals and the terminal profile. */
export function nixShellTerminalOptions(file: string, name: string, env: NodeJS.ProcessEnv): vscode.TerminalOptions {
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
