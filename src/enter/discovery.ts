// Which environments a folder has: shell.nix, default.nix, flake.nix and any .nix file PPL Nix
// wrote (it carries the spec line).
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { SPEC_PREFIX } from '../core/spec/render';
import { readIfExists } from '../host/files';

const EXCLUDE = '**/{node_modules,.git,.ppl-nix}/**';

/** The folder's shell.nix, or the only environment in it. */
export async function onlyShellFile(folder: vscode.WorkspaceFolder): Promise<vscode.Uri | undefined> {
  const shell = vscode.Uri.joinPath(folder.uri, 'shell.nix');
  if ((await readIfExists(shell.fsPath)) !== undefined) return shell;
  const found = await findEnvironments(folder);
  return found.length === 1 ? found[0] : undefined;
}

export async function findEnvironments(folder: vscode.WorkspaceFolder): Promise<vscode.Uri[]> {
  const files = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.nix'), EXCLUDE, 200);
  const found: vscode.Uri[] = [];
  for (const file of files) {
    const name = basename(file.fsPath);
    if (
      name === 'shell.nix' ||
      name === 'default.nix' ||
      name === 'flake.nix' ||
      ((await readIfExists(file.fsPath)) ?? '').includes(SPEC_PREFIX)
    )
      found.push(file);
  }
  return found.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}
