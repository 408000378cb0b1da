// Pointing the Python interpreter at the environment. With the Python extension: its API (so the
// switch wins even over an interpreter the user picked before) plus the setting. Without it,
// `python.defaultInterpreterPath` is not a registered setting and VS Code refuses to write it, so
// .vscode/settings.json is edited directly (comment-preserving JSONC edit): the interpreter is
// ready the moment the Python extension is installed. Each way may fail on its own (an old or
// broken Python extension, a malformed settings.json): the next one is tried, and what failed
// is said, never thrown: setting the interpreter is an optional step of entering.
import { applyEdits, modify, parse, type ParseError } from 'jsonc-parser';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { readIfExists, writeFileAtomic } from '../host/files';

const KEY = 'defaultInterpreterPath';
const PYTHON_EXTENSION = 'ms-python.python';
const API_TIMEOUT_MS = 10_000;

export type InterpreterMethod = 'python-extension' | 'setting' | 'settings-file' | 'unchanged' | 'failed';

export interface InterpreterOutcome {
  readonly method: InterpreterMethod;
  /** What went wrong on the way (the interpreter may still be set another way). */
  readonly problems: readonly string[];
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export async function setInterpreter(folder: vscode.WorkspaceFolder, interpreter: string): Promise<InterpreterOutcome> {
  const problems: string[] = [];
  let method: InterpreterMethod = 'unchanged';
  if (vscode.extensions.getExtension(PYTHON_EXTENSION) !== undefined) {
    try {
      await throughPythonExtension(folder, interpreter);
      method = 'python-extension';
    } catch (error) {
      problems.push(
        `The Python extension could not switch the interpreter (${message(error)}); python.defaultInterpreterPath is set instead.`,
      );
    }
  }
  const config = vscode.workspace.getConfiguration('python', folder.uri);
  if (config.inspect<string>(KEY)?.workspaceFolderValue === interpreter) return { method, problems };
  try {
    await config.update(KEY, interpreter, vscode.ConfigurationTarget.WorkspaceFolder);
    return { method: method === 'unchanged' ? 'setting' : method, problems };
  } catch {
    // "not a registered configuration": no extension contributes the setting (yet).
  }
  try {
    const written = await writeSettingsFile(folder, interpreter);
    return { method: written ? 'settings-file' : method, problems };
  } catch (error) {
    problems.push(message(error));
    return { method: method === 'unchanged' ? 'failed' : method, problems };
  }
}

/** The Python extension's environments API; an extension under its id without that API (old, failed) is an error. */
async function throughPythonExtension(folder: vscode.WorkspaceFolder, interpreter: string): Promise<void> {
  const { PythonExtension } = await import('@vscode/python-extension');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error('it did not answer within 10 s')), API_TIMEOUT_MS)),
  );
  try {
    const api = (await Promise.race([PythonExtension.api(), timeout])) as
      Partial<Awaited<ReturnType<typeof PythonExtension.api>>> | undefined;
    const environments = api?.environments;
    if (typeof environments?.updateActiveEnvironmentPath !== 'function')
      throw new Error('it does not offer the environments API (an older or failed version?)');
    await Promise.race([environments.updateActiveEnvironmentPath(interpreter, folder.uri), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Sets python.defaultInterpreterPath in <folder>/.vscode/settings.json, keeping comments and layout; never edits a malformed file. */
async function writeSettingsFile(folder: vscode.WorkspaceFolder, interpreter: string): Promise<boolean> {
  const path = join(folder.uri.fsPath, '.vscode', 'settings.json');
  const text = (await readIfExists(path)) ?? '{}\n';
  const errors: ParseError[] = [];
  const parsed = parse(text, errors, { allowTrailingComma: true }) as unknown;
  if (errors.length > 0 || typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(
      `.vscode/settings.json is not a valid settings file, so PPL Nix did not edit it; set python.defaultInterpreterPath to ${interpreter} yourself`,
    );
  }
  if ((parsed as Record<string, unknown>)[`python.${KEY}`] === interpreter) return false;
  const edits = modify(text, [`python.${KEY}`], interpreter, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } });
  await writeFileAtomic(path, applyEdits(text, edits), { within: folder.uri.fsPath });
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
    case 'failed':
      return 'not set';
  }
}
