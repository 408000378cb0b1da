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
  await fs.mkdir(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let mode = 0o644;
  try {
    mode = (await fs.stat(target)).mode & 0o777;
  } catch {
    // New file: default mode.
  }
  try {
    const handle = await fs.open(temp, 'wx', mode);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncFolder(dirname(target));
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
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
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
