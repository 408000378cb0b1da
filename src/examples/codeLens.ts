// "Run in PPL Nix shell" above the first line of Python files under examples/, and of any Python
// file of a folder with a PPL Nix environment; the same command as an editor-title button (its
// `when` reads the context key set here).
import { relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { isExampleScript } from '../core/examples';
import { COMMANDS } from '../shared/commands';
import type { Ctx } from '../shared/context';
import type { ExampleHost } from './commands';

/** True while a folder of the window has a PPL Nix environment applied (package.json's editor/title `when`). */
const ENVIRONMENT_CONTEXT = 'pplNix.environmentApplied';

/** Whether a document gets the lens: a Python file under examples/, or any Python file of a folder with an environment. */
export function offersRun(host: ExampleHost, uri: vscode.Uri): boolean {
  if (uri.scheme !== 'file' || !uri.fsPath.endsWith('.py')) return false;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (folder === undefined) return false;
  return isExampleScript(relative(folder.uri.fsPath, uri.fsPath).split(sep).join('/')) || host.hasEnvironment(folder);
}

class RunLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly host: ExampleHost) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted || !offersRun(this.host, document.uri)) return [];
    return [
      new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
        title: '$(play) Run in PPL Nix shell',
        tooltip: "Runs this file with the environment's python, in a terminal inside its nix-shell",
        command: COMMANDS.runExample,
        arguments: [document.uri],
      }),
    ];
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerExamples(ctx: Ctx, host: ExampleHost): void {
  const lenses = ctx.own(new RunLensProvider(host));
  ctx.own(vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'file' }, lenses));
  const update = (): void => {
    const applied = (vscode.workspace.workspaceFolders ?? []).some((folder) => host.hasEnvironment(folder));
    void vscode.commands.executeCommand('setContext', ENVIRONMENT_CONTEXT, applied);
    lenses.refresh();
  };
  ctx.own(host.onDidChangeEnvironment(update));
  ctx.own(vscode.workspace.onDidGrantWorkspaceTrust(update));
  update();
}
