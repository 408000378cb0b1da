// The file primitives every write goes through, so the never-lose-data and never-escape rules
// hold in one place: text is read strictly (a file that is not UTF-8 is never rewritten), writes
// are atomic (a temp file in the same folder, fsync, rename, fsync of the folder; the temp file
// is removed on any failure), a symlink is written through only when its target stays inside
// the allowed root, a replaced file is first copied to a backup that never overwrites another,
// and PPL Nix's own folders (.ppl-nix/…) are never reached through a symlink.
import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { PplNixError } from '../core/errors';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The file's text, or undefined when it does not exist. Throws a typed error when it is not UTF-8. */
export async function readIfExists(path: string): Promise<string | undefined> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new PplNixError({ kind: 'notText', path }, `${path} is not UTF-8 text: PPL Nix does not rewrite it`);
  }
}

/** A stat, not a read: whether something exists at path. */
export async function exists(path: string): Promise<boolean> {
  return fs.access(path).then(
    () => true,
    () => false,
  );
}

/** Whether path is root or below it (both already resolved). */
function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
}

/**
 * The real path a file at `path` would have: symlinks in its folders and the file itself
 * resolved (the deepest existing ancestor is resolved, the rest appended).
 */
export async function realPathOf(path: string): Promise<string> {
  try {
    return await fs.realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const parent = dirname(path);
    if (parent === path) return path;
    return join(await realPathOf(parent), basename(path));
  }
}

/** Whether `path`, symlinks resolved, stays inside `root` (resolved too). */
export async function staysInside(root: string, path: string): Promise<boolean> {
  return isInside(await realPathOf(root), await realPathOf(path));
}

function escapes(path: string, root: string): PplNixError {
  return new PplNixError({ kind: 'unsafePath', path }, `${path} leads outside ${root} (a symbolic link): PPL Nix does not write there`);
}

export interface WriteOptions {
  /**
   * The folder the write must stay in (the workspace folder, or .ppl-nix): a symlink at `path`
   * is written through only when its target is inside it. Without it a symlink is refused.
   */
  readonly within?: string;
}

export async function writeFileAtomic(path: string, content: string, options: WriteOptions = {}): Promise<void> {
  let target = path;
  const link = await fs.lstat(path).catch(() => undefined);
  if (link?.isSymbolicLink() === true) {
    // Writing a temp file and renaming it over the link would replace the link by a file: write
    // where it points instead, if that stays inside the allowed folder.
    if (options.within === undefined || !(await staysInside(options.within, path))) throw escapes(path, options.within ?? dirname(path));
    target = await fs.realpath(path);
  }
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let mode = 0o644;
  try {
    mode = (await fs.stat(target)).mode & 0o777;
  } catch {
    // New file: default mode.
  }
  try {
    await fs.mkdir(dirname(target), { recursive: true });
    const handle = await fs.open(temp, 'wx', mode);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw writeFailure(error, target, link !== undefined);
  }
  await syncFolder(dirname(target));
  await removeStaleTemps(target);
}

/** Why a file system refuses a write, in words (the error codes a full or read-only disk gives). */
const WRITE_REFUSALS: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full (no space left on the device)',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the folder is on a read-only file system',
  EACCES: 'permission denied (the folder is read-only or not yours)',
  EPERM: 'the folder does not allow it (read-only or immutable)',
};

/**
 * A failed write as the user should read it: which file, why, and that nothing changed (the old
 * file, if any, is untouched: the temp file was removed). The error keeps its code and names the
 * file, not the temp file. Other errors pass unchanged.
 */
function writeFailure(error: unknown, target: string, existed: boolean): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === undefined ? undefined : WRITE_REFUSALS[code];
  if (reason === undefined) return error;
  const kept = existed ? 'the file there is unchanged' : 'nothing was written';
  return Object.assign(new Error(`${target} could not be written: ${reason}; ${kept}.`), { code, path: target, cause: error });
}

/** A temp file this old is no longer being written (a write takes milliseconds to seconds). */
const STALE_TEMP_MS = 60_000;

/**
 * Temp files of this target left by a process that died between writing and renaming (a crash, a
 * kill): `.<name>.<pid>.<8 hex>.tmp` whose process no longer exists and that were last written a
 * minute ago or more. Removed after a successful write so a crash leaves no litter for long; a
 * live writer's temp file is never touched (nor a fresh one of a process we cannot see).
 */
async function removeStaleTemps(target: string): Promise<void> {
  const prefix = `.${basename(target)}.`;
  const names = await fs.readdir(dirname(target)).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const match = /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length));
    if (match === null || Number(match[1]) === process.pid || isRunning(Number(match[1]))) continue;
    const path = join(dirname(target), name);
    const stat = await fs.lstat(path).catch(() => undefined);
    if (stat?.isFile() !== true || Date.now() - stat.mtimeMs < STALE_TEMP_MS) continue;
    await fs.rm(path, { force: true }).catch(() => undefined);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** fsync of a folder, so the rename itself survives a crash (where the platform allows it). */
async function syncFolder(folder: string): Promise<void> {
  const handle = await fs.open(folder, 'r').catch(() => undefined);
  if (handle === undefined) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory: the rename is still atomic.
  } finally {
    await handle.close();
  }
}

/** Copies path to path.bak (or .bak.2, .bak.3, …: never over an older backup). Returns the backup's path. */
export async function backupFile(path: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${path}.bak` : `${path}.bak.${n}`;
    try {
      await fs.copyFile(path, candidate, constants.COPYFILE_EXCL);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      // A partial copy (the disk filled up) is not a backup: remove it, keep the original as it is.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') await fs.rm(candidate, { force: true }).catch(() => undefined);
      throw writeFailure(error, candidate, false);
    }
  }
}

/** One path component PPL Nix may create: a name, never a separator, "." or "..". */
function checkComponent(part: string): void {
  if (part === '' || part === '.' || part === '..' || part.includes('/') || part.includes('\u0000')) {
    throw new PplNixError({ kind: 'unsafePath', path: part }, `"${part}" is not a folder name PPL Nix creates`);
  }
}

/**
 * A folder of PPL Nix's below a root it trusts (the workspace folder): each component is created
 * when missing and must be a real folder. A symlink there (say, committed to the repository) is
 * refused and reported, never followed, so nothing PPL Nix writes or deletes below it can
 * reach outside the workspace.
 */
export async function ownedFolder(root: string, parts: readonly string[]): Promise<string> {
  let path = root;
  for (const part of parts) {
    checkComponent(part);
    path = join(path, part);
    let stat = await fs.lstat(path).catch(() => undefined);
    if (stat === undefined) {
      await fs.mkdir(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
      stat = await fs.lstat(path);
    }
    if (stat.isSymbolicLink() || !stat.isDirectory()) {
      throw new PplNixError(
        { kind: 'unsafePath', path },
        `${path} is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}: PPL Nix keeps its garbage-collector roots and links in real folders only. Remove it (PPL Nix recreates it).`,
      );
    }
  }
  return path;
}

/**
 * Removes entries PPL Nix created in one of its own folders (see ownedFolder): only names
 * matching `ours`, other than `keep`; inside each, only symlinks are removed (the roots Nix made),
 * then the emptied folder. Nothing is followed and nothing is removed recursively, so an entry
 * that is not what PPL Nix made stays where it is.
 */
export async function removeOwnedEntries(folder: string, ours: RegExp, keep: string): Promise<void> {
  for (const name of await fs.readdir(folder)) {
    if (name === keep || !ours.test(name)) continue;
    const path = join(folder, name);
    const stat = await fs.lstat(path);
    if (stat.isSymbolicLink()) {
      await fs.unlink(path);
      continue;
    }
    if (!stat.isDirectory()) continue;
    for (const child of await fs.readdir(path)) {
      if ((await fs.lstat(join(path, child))).isSymbolicLink()) await fs.unlink(join(path, child));
    }
    await fs.rmdir(path).catch(() => undefined); // not empty: something else is there, keep it
  }
}
