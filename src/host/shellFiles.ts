// Writing a spec to disk: the plan from core, then a backup and an atomic write.
// Shared by the CLI and the extension, so both follow the same never-lose-data rules.
import { dirname, join, resolve as resolvePath } from 'node:path';
import { isPplNixError, PplNixError } from '../core/errors';
import { fileNameProblem, renderSpecFile } from '../core/spec/flake';
import { planFlakeLock } from '../core/spec/flakeLock';
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
  /** A flake's flake.lock, written next to it (its nixpkgs node carries the pin's hash). */
  readonly lock?: {
    readonly path: string;
    readonly action: 'create' | 'update' | 'replace';
    readonly unchanged: boolean;
    readonly backup?: string;
  };
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
  const nameProblem = fileNameProblem(spec, path);
  if (nameProblem !== undefined)
    throw new PplNixError({ kind: 'invalidInput', field: 'file', value: path }, `Nothing was written: ${nameProblem}`);
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
    ? { kind: 'replace', text: renderSpecFile(spec), reason: `${path} is not UTF-8 text` }
    : planWrite(existing, spec, path);
  if (plan.kind === 'replace' && !options.replaceForeign) {
    throw new PplNixError({ kind: 'foreignFile', path }, `${plan.reason}; not replacing it without your consent`);
  }
  const writeLock = spec.format === 'flake' ? await lockWriter(path, spec, plan.kind === 'update') : undefined;
  if (plan.kind === 'update' && plan.unchanged && (writeLock === undefined || writeLock.unchanged)) {
    return {
      path,
      action: plan.kind,
      unchanged: true,
      handEdited: plan.handEdited,
      ...(writeLock ? { lock: await writeLock.write() } : {}),
    };
  }
  // Keep a copy whenever content the user may care about is replaced.
  const needsBackup =
    (existing !== undefined || notText) && (plan.kind === 'replace' || (plan.kind === 'update' && plan.handEdited.length > 0));
  const backup = needsBackup ? await backupFile(path) : undefined;
  const within = options.within === undefined ? {} : { within: options.within };
  await writeFileAtomic(path, plan.text, within);
  // The flake first, then its lock: a flake without its lock still enters (Nix locks it in memory).
  const lock = writeLock === undefined ? undefined : await writeLock.write(within);
  return {
    path,
    action: plan.kind,
    ...(backup === undefined ? {} : { backup }),
    unchanged: false,
    handEdited: plan.kind === 'update' ? plan.handEdited : [],
    ...(lock === undefined ? {} : { lock }),
  };
}

/**
 * A flake's flake.lock: planned before anything is written (a lock that cannot be read as text is
 * replaced, with a backup), written after flake.nix. `updating`: flake.nix is PPL Nix's and is
 * being updated, so nodes the user added to the lock are kept.
 */
async function lockWriter(
  flakePath: string,
  spec: EnvSpec,
  updating: boolean,
): Promise<{ readonly unchanged: boolean; write(within?: { readonly within?: string }): Promise<NonNullable<WriteOutcome['lock']>> }> {
  const path = join(dirname(flakePath), 'flake.lock');
  const existing = await readIfExists(path).catch((error: unknown) => {
    if (isPplNixError(error, 'notText')) return '\u0000';
    throw error;
  });
  const plan = planFlakeLock(existing, spec.pin, updating);
  const unchanged = plan.kind !== 'replace' && plan.unchanged;
  return {
    unchanged,
    async write(within = {}) {
      if (unchanged) return { path, action: plan.kind, unchanged };
      const backup = plan.kind === 'replace' ? await backupFile(path) : undefined;
      await writeFileAtomic(path, plan.text, within.within === undefined ? {} : { within: within.within });
      return { path, action: plan.kind, unchanged, ...(backup === undefined ? {} : { backup }) };
    },
  };
}
