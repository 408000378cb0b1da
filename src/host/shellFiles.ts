// Writing a spec to disk: the plan from core, then a backup and an atomic write.
// Shared by the CLI and the extension, so both follow the same never-lose-data rules.
import { resolve as resolvePath } from 'node:path';
import { isPplNixError, PplNixError } from '../core/errors';
import { renderShellNix } from '../core/spec/render';
import { planWrite, type WritePlan } from '../core/spec/plan';
import type { EnvSpec } from '../core/spec/spec';
import { backupFile, readIfExists, writeFileAtomic } from './files';

export interface WriteOutcome {
  readonly path: string;
  readonly action: WritePlan['kind'];
  /** The copy of the previous file, when one was replaced or its managed blocks had hand edits. */
  readonly backup?: string;
  readonly unchanged: boolean;
  readonly handEdited: readonly string[];
}

export interface WriteOptions {
  /** The user agreed to replace a file PPL Nix did not write (a backup is kept). */
  readonly replaceForeign: boolean;
  /**
   * The text the caller read and showed the user a plan for (e.g. a pin update after a long
   * download): if the file changed since, nothing is written.
   */
  readonly basedOn?: string;
  /** The folder the write must stay in when the file is a symlink (see writeFileAtomic). */
  readonly within?: string;
}

/** Writes in progress, by absolute path: a second write of the same file waits for the first. */
const writing = new Map<string, Promise<unknown>>();

/**
 * Writes a spec to a file. Writes of the same path are serialized (two Create clicks at once):
 * the second reads what the first wrote, so the file is written once, backed up at most once,
 * and the second finds it up to date (or updates it to its own spec).
 */
export async function writeSpec(path: string, spec: EnvSpec, options: WriteOptions): Promise<WriteOutcome> {
  const key = resolvePath(path);
  const mine = (writing.get(key) ?? Promise.resolve()).catch(() => undefined).then(() => writeSpecNow(path, spec, options));
  writing.set(key, mine);
  try {
    return await mine;
  } finally {
    if (writing.get(key) === mine) writing.delete(key);
  }
}

async function writeSpecNow(path: string, spec: EnvSpec, options: WriteOptions): Promise<WriteOutcome> {
  // A file that is not UTF-8 is someone else's: it is only replaced (with a backup) when told to.
  let existing: string | undefined;
  let notText = false;
  try {
    existing = await readIfExists(path);
  } catch (error) {
    if (!isPplNixError(error, 'notText')) throw error;
    notText = true;
  }
  if (options.basedOn !== undefined && existing !== options.basedOn) {
    throw new PplNixError(
      { kind: 'fileChanged', path },
      `${path} changed while PPL Nix was working on it: nothing was written; run the command again`,
    );
  }
  const plan: WritePlan = notText
    ? { kind: 'replace', text: renderShellNix(spec), reason: `${path} is not UTF-8 text` }
    : planWrite(existing, spec, path);
  if (plan.kind === 'replace' && !options.replaceForeign) {
    throw new PplNixError({ kind: 'foreignFile', path }, `${plan.reason}; not replacing it without your consent`);
  }
  if (plan.kind === 'update' && plan.unchanged) {
    return { path, action: plan.kind, unchanged: true, handEdited: plan.handEdited };
  }
  // Keep a copy whenever content the user may care about is replaced.
  const needsBackup =
    (existing !== undefined || notText) && (plan.kind === 'replace' || (plan.kind === 'update' && plan.handEdited.length > 0));
  const backup = needsBackup ? await backupFile(path) : undefined;
  await writeFileAtomic(path, plan.text, options.within === undefined ? {} : { within: options.within });
  return {
    path,
    action: plan.kind,
    ...(backup === undefined ? {} : { backup }),
    unchanged: false,
    handEdited: plan.kind === 'update' ? plan.handEdited : [],
  };
}
