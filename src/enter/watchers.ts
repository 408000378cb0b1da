// Watching what an environment depends on (its file and environmentDependencies) and, per
// pplNix.reloadOnChange, re-entering it: at once ("auto"), after asking ("prompt"), or never ("off").
import { basename, dirname, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { Dialogs } from '../shared/dialogs';
import { settings } from '../shared/settings';

const RELOAD_ENVIRONMENT = 'Reload Environment';

export interface WatchRequest {
  readonly folder: vscode.WorkspaceFolder;
  readonly file: vscode.Uri;
  /** Paths relative to the file's folder (environmentDependencies). */
  readonly dependencies: readonly string[];
  /** A change event for the file itself whose text equals this is ignored (a touch, our own write). */
  readonly unchangedText: () => Promise<boolean>;
  readonly reload: () => Promise<unknown>;
}

export function watchEnvironment(request: WatchRequest, dialogs: Dialogs): vscode.Disposable {
  const { folder, file } = request;
  const onChange = async (changed: vscode.Uri): Promise<void> => {
    // The setting as it is when the change happens (not after the reads below).
    const mode = settings.reloadOnChange.get(folder.uri);
    if (mode === 'off') return;
    if (changed.fsPath === file.fsPath && (await request.unchangedText())) return;
    if (mode === 'prompt') {
      const choice = await dialogs.information(`${vscode.workspace.asRelativePath(changed)} changed.`, RELOAD_ENVIRONMENT);
      if (choice !== RELOAD_ENVIRONMENT) return;
    }
    await request.reload();
  };
  const uris = [file, ...request.dependencies.map((path) => vscode.Uri.file(resolve(dirname(file.fsPath), path)))];
  const disposables = uris.flatMap((uri) => {
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(dirname(uri.fsPath)), basename(uri.fsPath)),
    );
    return [watcher, watcher.onDidChange(onChange), watcher.onDidCreate(onChange)];
  });
  return vscode.Disposable.from(...disposables);
}
