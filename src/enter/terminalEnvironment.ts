// What new integrated terminals of a folder get: the environment's variables, through the
// environmentVariableCollection scoped to the folder (persistent, so VS Code applies it at
// start-up before PPL Nix even activates). Terminals running the shell itself: shellTerminal.ts.
import { delimiter } from 'node:path';
import * as vscode from 'vscode';
import type { CacheEntry } from '../core/enter/cache';

export function applyToTerminals(context: vscode.ExtensionContext, folder: vscode.WorkspaceFolder, name: string, entry: CacheEntry): void {
  const collection = context.environmentVariableCollection.getScoped({ workspaceFolder: folder });
  collection.clear();
  collection.persistent = true;
  collection.description = new vscode.MarkdownString(`PPL Nix environment **${name}**`);
  for (const [variable, value] of Object.entries(entry.variables)) {
    if (variable !== 'PATH') collection.replace(variable, value);
  }
  if (entry.pathPrefix.length > 0) collection.prepend('PATH', `${entry.pathPrefix.join(delimiter)}${delimiter}`);
}

export function clearTerminals(context: vscode.ExtensionContext, folder: vscode.WorkspaceFolder): void {
  context.environmentVariableCollection.getScoped({ workspaceFolder: folder }).clear();
}
