// Create in the picker: from a validated form to a file on disk, never losing one.
import { dirname, relative, resolve, sep } from 'node:path';
import * as vscode from 'vscode';
import { isPplNixError } from '../core/errors';
import { formToSpec, type PickerForm } from '../core/picker/form';
import { allPins } from '../core/pins/pins';
import { readShellNix } from '../core/spec/readback';
import { summary } from '../core/spec/render';
import type { EnvSpec } from '../core/spec/spec';
import { readIfExists, staysInside } from '../host/files';
import { writeSpec, type WriteOutcome } from '../host/shellFiles';
import { readCustomPins } from '../shared/settings';
import type { Dialogs } from '../shared/dialogs';
import type { FileStatus } from '../core/picker/protocol';

export type CreateResult =
  | {
      readonly ok: true;
      readonly folder: vscode.WorkspaceFolder;
      readonly outcome: WriteOutcome;
      readonly spec: EnvSpec;
      readonly message: string;
    }
  | { readonly ok: false; readonly message: string };

/** The workspace folder a form names; the webview can only pick among open folders. */
export function folderOf(uri: string): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.workspaceFolders?.find((folder) => folder.uri.toString() === uri && folder.uri.scheme === 'file');
}

/**
 * The absolute path of a file inside a folder, or undefined if it would leave the folder: by its
 * text ("../x"), or through a symlinked folder or file inside the workspace that points outside.
 */
async function insideFolder(folder: vscode.WorkspaceFolder, file: string): Promise<string | undefined> {
  const root = folder.uri.fsPath;
  const target = resolve(root, file);
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep)) return undefined;
  return (await staysInside(root, target)) ? target : undefined;
}

export async function fileStatus(folderUri: string, file: string): Promise<{ status: FileStatus; existing?: string }> {
  const folder = folderOf(folderUri);
  const path = folder && (await insideFolder(folder, file));
  const text = path === undefined ? undefined : await readIfExists(path).catch(() => undefined);
  if (text === undefined) return { status: 'none' };
  return readShellNix(text).kind === 'managed' ? { status: 'managed', existing: text } : { status: 'foreign' };
}

const REPLACE = 'Replace and keep a backup';
const SAVE_AS = 'Save under another name…';

/** Asks what to do about a file PPL Nix did not write: replace it, pick another file, or cancel (undefined). */
async function askAboutForeignFile(
  dialogs: Dialogs,
  path: string,
): Promise<{ choice: 'replace' } | { choice: 'saveAs'; path: string } | undefined> {
  const choice = await dialogs.warning(
    `${vscode.workspace.asRelativePath(path)} exists and was not written by PPL Nix.`,
    {
      modal: true,
      detail: 'Replace it (the current file is kept as a .bak copy next to it), or save the new environment under another name.',
    },
    REPLACE,
    SAVE_AS,
  );
  if (choice === REPLACE) return { choice: 'replace' };
  if (choice !== SAVE_AS) return undefined;
  const picked = await dialogs.saveAs({
    defaultUri: vscode.Uri.file(resolve(dirname(path), 'ppl-nix.nix')),
    filters: { Nix: ['nix'] },
    title: 'Save the PPL Nix environment as',
  });
  return picked === undefined ? undefined : { choice: 'saveAs', path: picked.fsPath };
}

export async function createFromForm(form: PickerForm, dialogs: Dialogs): Promise<CreateResult> {
  const folder = folderOf(form.folder);
  if (folder === undefined) return { ok: false, message: 'That workspace folder is not open.' };
  const { spec, problems } = formToSpec(form, allPins(readCustomPins(folder.uri).pins));
  if (spec === undefined || problems.length > 0)
    return { ok: false, message: `Nothing was written: ${problems.map((p) => p.message).join('; ')}` };
  let path = await insideFolder(folder, form.file);
  if (path === undefined) return { ok: false, message: 'The file must be inside the workspace folder.' };
  let replaceForeign = false;
  for (;;) {
    try {
      const outcome = await writeSpec(path, spec, { replaceForeign, within: folder.uri.fsPath });
      return { ok: true, folder, outcome, spec, message: describe(outcome, spec, folder) };
    } catch (error) {
      if (!isPplNixError(error, 'foreignFile')) throw error;
      const answer = await askAboutForeignFile(dialogs, path);
      if (answer === undefined) return { ok: false, message: 'Cancelled: nothing was written.' };
      if (answer.choice === 'replace') {
        replaceForeign = true;
        continue;
      }
      const chosen = await insideFolder(folder, relative(folder.uri.fsPath, answer.path));
      if (chosen === undefined) return { ok: false, message: 'Nothing was written: the file must be inside the workspace folder.' };
      path = chosen;
    }
  }
}

function describe(outcome: WriteOutcome, spec: EnvSpec, folder: vscode.WorkspaceFolder): string {
  const file = relative(folder.uri.fsPath, outcome.path);
  const verb = outcome.unchanged
    ? 'is already up to date'
    : outcome.action === 'create'
      ? 'created'
      : outcome.action === 'update'
        ? 'updated (your edits outside the managed parts kept)'
        : 'replaced';
  const backup = outcome.backup === undefined ? '' : ` The previous file is saved as ${relative(folder.uri.fsPath, outcome.backup)}.`;
  const lock =
    outcome.lock === undefined || outcome.lock.unchanged
      ? ''
      : ` ${relative(folder.uri.fsPath, outcome.lock.path)} ${outcome.lock.action === 'create' ? 'written' : 'updated'}.`;
  const lockBackup =
    outcome.lock?.backup === undefined ? '' : ` The previous flake.lock is saved as ${relative(folder.uri.fsPath, outcome.lock.backup)}.`;
  return `${file} ${verb}: ${summary(spec)}.${backup}${lock}${lockBackup}`;
}
