// Choosing what a command acts on when it was not given a target: the workspace folder, or
// the shell file (the active .nix editor, the only shell file, or the user's choice).
import * as vscode from 'vscode';

/** The only folder, or the user's choice; a message when no folder is open. */
export async function chooseFolder(placeHolder: string): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
  if (folders.length === 0) {
    void vscode.window.showInformationMessage('PPL Nix writes shell.nix into a folder: open a folder first.');
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder });
}

/** A command's file argument when it is a Uri (the explorer, a code action), else the user's choice. */
export async function shellFileArgument(target: unknown): Promise<vscode.Uri | undefined> {
  return target instanceof vscode.Uri ? target : chooseShellFile();
}

/** The active .nix file, the only shell file in the workspace, or the user's choice among several. */
async function chooseShellFile(): Promise<vscode.Uri | undefined> {
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

/** Reads a workspace file as text (through VS Code's file system, so remote workspaces work too). */
export async function readText(file: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
}

/** The folder the user works in: the active editor's, else the first. */
export function currentFolder(): vscode.WorkspaceFolder | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
}
