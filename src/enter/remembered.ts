// The environment a folder chose last, kept in workspace state so a reopened folder enters it
// again: the file's path relative to the folder (a string, as before flakes), or { file, shell }
// for a flake's devShell other than its default.
import { relative } from 'node:path';
import * as vscode from 'vscode';
import { checkDevShellName } from '../core/nix/argv';

/** What a folder enters: an environment file and, for a flake, which devShell (undefined: its default). */
export interface EnvironmentChoice {
  readonly file: vscode.Uri;
  readonly shell?: string;
}

const KEY = 'pplNix.environment:'; // + folder URI

export function rememberedChoice(state: vscode.Memento, folder: vscode.WorkspaceFolder): EnvironmentChoice | undefined {
  const saved = state.get<unknown>(KEY + folder.uri.toString());
  if (typeof saved === 'string') return { file: vscode.Uri.joinPath(folder.uri, saved) };
  if (typeof saved !== 'object' || saved === null) return undefined;
  const { file, shell } = saved as Record<string, unknown>;
  if (typeof file !== 'string') return undefined;
  const valid = typeof shell === 'string' && checkDevShellName(shell) === undefined;
  return { file: vscode.Uri.joinPath(folder.uri, file), ...(valid ? { shell } : {}) };
}

export function rememberChoice(
  state: vscode.Memento,
  folder: vscode.WorkspaceFolder,
  file: vscode.Uri,
  shell: string | undefined,
): Thenable<void> {
  const path = relative(folder.uri.fsPath, file.fsPath);
  return state.update(KEY + folder.uri.toString(), shell === undefined ? path : { file: path, shell });
}
