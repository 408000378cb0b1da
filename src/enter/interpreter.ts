// Pointing the Python interpreter at the environment. With the Python extension: its API
// (so the switch wins even over an interpreter the user picked before) plus the setting.
// Without it, `python.defaultInterpreterPath` is not a registered setting and VS Code refuses
// to write it, so .vscode/settings.json is edited directly (comment-preserving JSONC edit):
// the interpreter is ready the moment the Python extension is installed.
import { applyEdits, modify, parse } from 'jsonc-parser';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { readIfExists, writeFileAtomic } from '../host/files';

const KEY = 'defaultInterpreterPath';

export type InterpreterMethod = 'python-extension' | 'setting' | 'settings-file' | 'unchanged';

export async function setInterpreter(folder: vscode.WorkspaceFolder, interpreter: string): Promise<InterpreterMethod> {
  const python = vscode.extensions.getExtension('ms-python.python');
  let method: InterpreterMethod = 'unchanged';
  if (python !== undefined) {
    const { PythonExtension } = await import('@vscode/python-extension');
    const api = await PythonExtension.api();
    await api.environments.updateActiveEnvironmentPath(interpreter, folder.uri);
    method = 'python-extension';
  }
  const config = vscode.workspace.getConfiguration('python', folder.uri);
  if (config.inspect<string>(KEY)?.workspaceFolderValue === interpreter) return method;
  try {
    await config.update(KEY, interpreter, vscode.ConfigurationTarget.WorkspaceFolder);
    return method === 'unchanged' ? 'setting' : method;
  } catch {
    // "not a registered configuration": no extension contributes the setting yet.
    return (await writeSettingsFile(folder, interpreter)) ? 'settings-file' : method;
  }
}

/** Sets python.defaultInterpreterPath in <folder>/.vscode/settings.json, keeping comments and layout. */
async function writeSettingsFile(folder: vscode.WorkspaceFolder, interpreter: string): Promise<boolean> {
  const path = join(folder.uri.fsPath, '.vscode', 'settings.json');
  const text = (await readIfExists(path)) ?? '{}\n';
  const current = (parse(text) as Record<string, unknown> | undefined)?.[`python.${KEY}`];
  if (current === interpreter) return false;
  const edits = modify(text, [`python.${KEY}`], interpreter, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } });
  await writeFileAtomic(path, applyEdits(text, edits));
  return true;
}

export function describeMethod(method: InterpreterMethod): string {
  switch (method) {
    case 'python-extension':
      return 'set through the Python extension';
    case 'setting':
      return 'set in python.defaultInterpreterPath';
    case 'settings-file':
      return 'written to .vscode/settings.json (python.defaultInterpreterPath): used once the Python extension is installed';
    case 'unchanged':
      return 'already set';
  }
}
