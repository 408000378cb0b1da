// Integrated terminals inside a real nix-shell (so the shellHook runs).
import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import { interactiveShell } from '../core/argv';
import { readShellNix } from '../core/readback';

/** The terminal's name: the environment's name when PPL Nix wrote the file, else the folder's. */
export function environmentName(file: string, text: string | undefined): string {
  const read = text === undefined ? undefined : readShellNix(text);
  return read?.kind === 'managed' ? read.spec.name : basename(dirname(file));
}

export function openNixShellTerminal(file: string, name: string, env: NodeJS.ProcessEnv): vscode.Terminal {
  const argv = interactiveShell(file);
  const terminal = vscode.window.createTerminal({
    name: `PPL Nix: ${name}`,
    shellPath: argv.command,
    shellArgs: [...argv.args],
    cwd: dirname(file),
    env: { PATH: env['PATH'] ?? null },
    iconPath: new vscode.ThemeIcon('beaker'),
  });
  terminal.show();
  return terminal;
}
