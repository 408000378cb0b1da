// Entering an environment without VS Code: from the cache (reads and stats only, no Nix
// process), else a capture that also roots the environment for the garbage collector, links
// its interpreter at a stable path, and refreshes the cache. Used by the extension; tested
// on real Nix in the Nix tier.
import { createHash, randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { realiseWithRoot, type Argv } from '../core/nix/argv';
import { keyMaterial, parseCacheEntry, type CacheEntry } from '../core/enter/cache';
import { environmentDependencies } from '../core/enter/dependencies';
import { storePathsIn } from '../core/enter/env';
import { isPplNixError } from '../core/errors';
import { parseNixError } from '../core/nix/nixErrors';
import { exists, ownedFolder, removeOwnedEntries, writeFileAtomic } from './files';
import type { Log } from './log';
import { nixIdentity, type NixOptions, type NixService } from './nix';
import type { ProcessRunner } from './process';
import { SharedRuns } from './sharedRuns';

/** An environment file as read once per enter: its path and its text; for a flake, which devShell. */
export interface EnvironmentSource {
  readonly file: string;
  readonly text: string;
  /** A flake's devShell (validated as a name by argv); undefined: the flake's default, or not a flake. */
  readonly shell?: string;
}

export interface EnterOptions extends NixOptions {
  /** Where .ppl-nix/<name>/ goes: the workspace folder. */
  readonly workspaceDir: string;
  /** The extension's workspace storage (the CLI: a cache folder). */
  readonly storageDir: string;
  /** Environment name (validated): names the .ppl-nix/<name> folder. */
  readonly name: string;
  /**
   * Leave the workspace alone: no .ppl-nix folder, no GC roots, no interpreter link (the CLI,
   * which only prints the environment; its cache still makes a warm call start no Nix).
   */
  readonly stateless?: boolean;
  /**
   * Stop waiting without stopping the capture (a newer enter superseded this one): the capture
   * goes on for a while for whoever asks for the same environment next, and fills the cache.
   * `signal` stops it (when nobody else waits for it).
   */
  readonly detach?: AbortSignal;
}

export interface Entered {
  readonly entry: CacheEntry;
  readonly fromCache: boolean;
  /**
   * The interpreter at a stable path: .ppl-nix/<name>/env links to the environment's store
   * directory, so this is .ppl-nix/<name>/env/bin/python3 (Python finds its environment
   * relative to the path it was started from, so the link is the directory, not the binary).
   */
  readonly interpreterLink?: string;
  /** Optional steps that failed (the interpreter link): the environment works, the user should know. */
  readonly problems: readonly string[];
  /** After a capture: rooting for the garbage collector, done in the background; what failed, if anything. */
  readonly roots?: Promise<readonly string[]>;
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** A capture nobody waits for any more (its enter was superseded) goes on this long, so switching back joins it. */
const DETACHED_CAPTURE_GRACE_MS = 20_000;

export class EnvironmentService {
  private readonly captures = new SharedRuns<{ entry: CacheEntry; notCached: string[] }>(DETACHED_CAPTURE_GRACE_MS, 'capture');

  constructor(
    private readonly nix: NixService,
    private readonly runner: ProcessRunner,
    private readonly log: Log,
  ) {}

  /** Stops captures that only go on for a later enter (superseded ones): PPL Nix disabled or stopping. */
  stopDetachedCaptures(): void {
    this.captures.stopDetached();
  }

  /**
   * The cache key: the file's text, the files it depends on (environmentDependencies), the
   * nix binary's identity, NIX_PATH and the capture method. Reads and stats only, no process.
   */
  async cacheKey(source: EnvironmentSource, env: NodeJS.ProcessEnv, method = 'auto'): Promise<string> {
    const dependencies = await Promise.all(
      environmentDependencies(source.file, source.text).map(async (path) => ({
        path,
        hash: await hashDependency(resolve(dirname(source.file), path)),
      })),
    );
    return sha256(
      keyMaterial({
        fileHash: sha256(source.text),
        imports: dependencies,
        nixIdentity: await nixIdentity(env),
        nixPath: env['NIX_PATH'] ?? '',
        method,
        ...(source.shell === undefined ? {} : { shell: source.shell }),
      }),
    );
  }

  /** One cache file per environment: per file, and per devShell of a flake. */
  private cacheFile(storageDir: string, source: EnvironmentSource): string {
    const identity = source.shell === undefined ? resolve(source.file) : `${resolve(source.file)}#${source.shell}`;
    return join(storageDir, 'environments', `${sha256(identity).slice(0, 32)}.json`);
  }

  /**
   * The one way to enter: the key once, then the cache (reads, stats and a symlink at most: no
   * process), else a capture (onCapture is called first, so a UI can show progress only then).
   */
  async enter(
    source: EnvironmentSource,
    options: EnterOptions & { readonly fresh?: boolean; readonly onCapture?: () => void },
  ): Promise<Entered> {
    const key = await this.cacheKey(source, options.env);
    const cached = options.fresh === true ? undefined : await this.fromCache(source, key, options);
    if (cached !== undefined) return cached;
    options.onCapture?.();
    return this.capture(source, key, options);
  }

  private async fromCache(source: EnvironmentSource, key: string, options: EnterOptions): Promise<Entered | undefined> {
    const path = this.cacheFile(options.storageDir, source);
    const text = await fs.readFile(path, 'utf8').catch(async (error: NodeJS.ErrnoException) => {
      // A folder where the entry goes (the extension's own storage): it would block every capture's write.
      if (error.code === 'EISDIR') {
        this.log.warn(`cache: removing a folder in the place of the cache file ${path}`);
        await fs.rm(path, { recursive: true, force: true }).catch(() => undefined);
      }
      return undefined;
    });
    if (text === undefined) return undefined;
    const entry = parseCacheEntry(text);
    if (entry === undefined) {
      this.log.warn(`cache: discarding a corrupt cache file ${path}`);
      await fs.rm(path, { force: true });
      return undefined;
    }
    if (entry.key !== key) return undefined;
    for (const storePath of entry.storePaths) {
      if (!(await exists(storePath))) {
        this.log.info(`cache: ${storePath} is gone (garbage-collected?): capturing again`);
        return undefined;
      }
    }
    this.log.info(`entered ${source.file} from cache (no Nix process)`);
    return this.entered(entry, true, options);
  }

  /**
   * Captures with Nix (shared: enters of the same file and key join one capture), roots the
   * result, links the interpreter, writes the cache entry for key.
   */
  private async capture(source: EnvironmentSource, key: string, options: EnterOptions): Promise<Entered> {
    const file = source.file;
    const waiter = {
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.detach === undefined ? {} : { detach: options.detach }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    };
    const { entry, notCached } = await this.captures.join(`${key}:${resolve(file)}#${source.shell ?? ''}`, waiter, (signal, onProgress) =>
      this.captureAndCache(source, key, { ...options, signal, onProgress }),
    );
    const entered = await this.entered(entry, false, options, notCached);
    if (options.stateless === true) return entered;
    // Rooting is an optional step, and not needed to use the environment: it runs after the
    // environment is ready (one nix-store process), and says what failed when it is done.
    return { ...entered, roots: this.root(file, entry.storePaths, key, options) };
  }

  /** The shared part of a capture: Nix, then the cache entry (an optional step: without it the next enter captures again). */
  private async captureAndCache(
    source: EnvironmentSource,
    key: string,
    options: EnterOptions,
  ): Promise<{ entry: CacheEntry; notCached: string[] }> {
    const file = source.file;
    const captured = await this.nix.capture(file, source.shell === undefined ? options : { ...options, shell: source.shell });
    const present = await Promise.all(storePathsIn(captured.variables).map(async (p) => ((await exists(p)) ? p : undefined)));
    const storePaths = present.filter((p): p is string => p !== undefined);
    const entry: CacheEntry = {
      version: 1,
      key,
      file: resolve(file),
      capturedAt: new Date().toISOString(),
      variables: captured.variables,
      pathPrefix: captured.pathPrefix,
      ...(captured.python === undefined ? {} : { python: captured.python }),
      storePaths,
    };
    const notCached = await writeFileAtomic(this.cacheFile(options.storageDir, source), `${JSON.stringify(entry)}\n`).then(
      () => [],
      (error: unknown) => {
        this.log.warn(`cache for ${file}: ${(error as Error).message}`);
        return [`Not cached (the next enter runs Nix again): ${(error as Error).message}`];
      },
    );
    return { entry, notCached };
  }

  /** Roots the environment for the garbage collector; resolves to what went wrong, never rejects. */
  private async root(file: string, storePaths: readonly string[], key: string, options: EnterOptions): Promise<readonly string[]> {
    try {
      await this.addGcRoots(storePaths, await this.envDir(options), key.slice(0, 16), options);
      return [];
    } catch (error) {
      if (isPplNixError(error, 'cancelled')) return [];
      this.log.warn(`gc roots for ${file}: ${(error as Error).message}`);
      return [`Not protected from garbage collection: ${(error as Error).message}`];
    }
  }

  /** The result of an enter, with the interpreter link made (or why not). */
  private async entered(entry: CacheEntry, fromCache: boolean, options: EnterOptions, problems: readonly string[] = []): Promise<Entered> {
    const { interpreterLink, problem } = await this.interpreterLink(options, entry);
    return {
      entry,
      fromCache,
      ...(interpreterLink === undefined ? {} : { interpreterLink }),
      problems: problem === undefined ? problems : [...problems, problem],
    };
  }

  /** .ppl-nix/<name>/, with a .gitignore so nothing in .ppl-nix is committed. */
  private async envDir(options: EnterOptions): Promise<string> {
    const root = await ownedFolder(options.workspaceDir, [STATE_FOLDER]);
    const ignore = join(root, '.gitignore');
    if (!(await exists(ignore))) await writeFileAtomic(ignore, GITIGNORE, { within: root });
    return ownedFolder(root, [options.name]);
  }

  /**
   * Roots the environment's store paths (indirect roots in the workspace), so nix-collect-garbage
   * keeps what terminals and the interpreter use. Roots of earlier captures (gcroots/<16 hex>/,
   * made by PPL Nix) are removed only after the new ones exist.
   */
  private async addGcRoots(storePaths: readonly string[], envDir: string, key: string, options: EnterOptions): Promise<void> {
    const roots = await ownedFolder(envDir, ['gcroots']);
    const rootDir = await ownedFolder(roots, [key]);
    const run = async (argv: Argv): Promise<void> => {
      const result = await this.runner.run(argv, {
        env: options.env,
        timeoutMs: 10 * 60_000,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      if (result.exitCode !== 0) throw parseNixError(result.stderr, result.exitCode);
    };
    if (storePaths.length > 0) await run(realiseWithRoot(storePaths, join(rootDir, 'env')));
    await removeOwnedEntries(roots, ROOT_KEY, key);
  }

  /**
   * The interpreter at its stable path .ppl-nix/<name>/env/bin/python3 (the link is remade when the
   * environment changes). When the link cannot be made, the store path itself, and why.
   */
  private async interpreterLink(options: EnterOptions, entry: CacheEntry): Promise<{ interpreterLink?: string; problem?: string }> {
    const match = entry.python === undefined ? null : /^(\/nix\/store\/[^/]+)\/(.+)$/.exec(entry.python);
    if (match === null) return {};
    if (options.stateless === true) return { interpreterLink: entry.python! };
    const [, storeDir, relative] = match as unknown as [string, string, string];
    try {
      const link = join(await this.envDir(options), 'env');
      if ((await fs.readlink(link).catch(() => undefined)) !== storeDir) await relink(link, storeDir);
      return { interpreterLink: join(link, relative) };
    } catch (error) {
      if (isPplNixError(error, 'cancelled')) throw error;
      this.log.warn(`interpreter link: ${(error as Error).message}`);
      return {
        interpreterLink: entry.python!,
        problem: `The interpreter is used from the Nix store directly (no stable link): ${(error as Error).message}`,
      };
    }
  }
}

const STATE_FOLDER = '.ppl-nix';
const GITIGNORE = '# Written by PPL Nix: garbage-collector roots and interpreter links, not for version control.\n*\n';
/** The folders PPL Nix makes under gcroots/: the first 16 hex digits of a cache key. */
const ROOT_KEY = /^[0-9a-f]{16}$/;
/** Dependencies larger than this are keyed by size and modification time instead of their bytes. */
const MAX_HASHED_BYTES = 16 * 1024 * 1024;

/**
 * What a dependency contributes to the cache key: the hash of a regular file's bytes (up to
 * MAX_HASHED_BYTES), else what it is. A device or a FIFO (a committed link to /dev/zero, say) is
 * never read.
 */
async function hashDependency(path: string): Promise<string> {
  const stat = await fs.stat(path).catch(() => undefined);
  if (stat === undefined) return 'missing';
  if (!stat.isFile()) return `not a file (mode ${stat.mode.toString(8)})`;
  if (stat.size > MAX_HASHED_BYTES) return `large ${stat.size} ${stat.mtimeMs}`;
  const handle = await fs.open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => undefined);
  if (handle === undefined) return 'unreadable';
  try {
    const opened = await handle.stat();
    if (!opened.isFile() || opened.size > MAX_HASHED_BYTES) return `changed ${opened.size}`;
    return sha256(await handle.readFile());
  } finally {
    await handle.close();
  }
}

/** Points link at target, atomically (a new link renamed over the old one). */
async function relink(link: string, target: string): Promise<string> {
  const temp = `${link}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.symlink(target, temp);
  await fs.rename(temp, link);
  return link;
}
