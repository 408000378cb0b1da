// Entering an environment without VS Code: from the cache (reads and stats only, no Nix
// process), else a capture that also roots the environment for the garbage collector, links
// its interpreter at a stable path, and refreshes the cache. Used by the extension; tested
// on real Nix in the Nix tier.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { instantiateWithRoot, isFlake, realiseWithRoot } from '../core/nix/argv';
import { keyMaterial, parseCacheEntry, type CacheEntry } from '../core/enter/cache';
import { environmentDependencies } from '../core/enter/dependencies';
import { storePathsIn } from '../core/enter/env';
import { parseNixError } from '../core/nix/nixErrors';
import { exists, writeFileAtomic } from './files';
import type { Log } from './log';
import type { NixOptions, NixService } from './nix';
import type { ProcessRunner } from './process';

/** An environment file as read once per enter: its path and its text. */
export interface EnvironmentSource {
  readonly file: string;
  readonly text: string;
}

export interface EnterOptions extends NixOptions {
  /** Where .ppl-nix/<name>/ goes: the workspace folder. */
  readonly workspaceDir: string;
  /** The extension's workspace storage (the CLI: a cache folder). */
  readonly storageDir: string;
  /** Environment name (validated): names the .ppl-nix/<name> folder. */
  readonly name: string;
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
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export class EnvironmentService {
  constructor(
    private readonly nix: NixService,
    private readonly runner: ProcessRunner,
    private readonly log: Log,
  ) {}

  /**
   * The cache key: the file's text, the files it depends on (environmentDependencies), the
   * nix binary's identity, NIX_PATH and the capture method. Reads and stats only, no process.
   */
  async cacheKey(source: EnvironmentSource, env: NodeJS.ProcessEnv, method = 'auto'): Promise<string> {
    const dependencies = await Promise.all(
      environmentDependencies(source.file, source.text).map(async (path) => ({
        path,
        hash: await fs.readFile(resolve(dirname(source.file), path)).then(sha256, () => 'missing'),
      })),
    );
    return sha256(
      keyMaterial({
        fileHash: sha256(source.text),
        imports: dependencies,
        nixIdentity: await nixIdentity(env),
        nixPath: env['NIX_PATH'] ?? '',
        method,
      }),
    );
  }

  private cacheFile(storageDir: string, file: string): string {
    return join(storageDir, 'environments', `${sha256(resolve(file)).slice(0, 32)}.json`);
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
    const path = this.cacheFile(options.storageDir, source.file);
    const text = await fs.readFile(path, 'utf8').catch(() => undefined);
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
    return { entry, fromCache: true, ...(await this.interpreterLinkIfPresent(options, entry)) };
  }

  /** Captures with Nix, roots the result, links the interpreter, writes the cache entry for key. */
  private async capture(source: EnvironmentSource, key: string, options: EnterOptions): Promise<Entered> {
    const file = source.file;
    const captured = await this.nix.capture(file, options);
    const present = await Promise.all(storePathsIn(captured.variables).map(async (p) => ((await exists(p)) ? p : undefined)));
    const storePaths = present.filter((p): p is string => p !== undefined);
    const envDir = await this.envDir(options);
    await this.addGcRoots(file, storePaths, join(envDir, 'gcroots', key.slice(0, 16)), options);
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
    await writeFileAtomic(this.cacheFile(options.storageDir, file), `${JSON.stringify(entry)}\n`);
    return { entry, fromCache: false, ...(await this.interpreterLinkIfPresent(options, entry)) };
  }

  /** .ppl-nix/<name>/, with a .gitignore so nothing in .ppl-nix is committed. */
  private async envDir(options: EnterOptions): Promise<string> {
    const root = join(options.workspaceDir, '.ppl-nix');
    await fs.mkdir(join(root, options.name), { recursive: true });
    const ignore = join(root, '.gitignore');
    if (!(await exists(ignore)))
      await writeFileAtomic(ignore, '# Written by PPL Nix: garbage-collector roots and interpreter links, not for version control.\n*\n');
    return join(root, options.name);
  }

  /**
   * Roots the shell derivation and the environment's store paths (indirect roots in the
   * workspace), so nix-collect-garbage keeps the environment in use. Roots of earlier
   * captures are removed only after the new ones exist.
   */
  private async addGcRoots(file: string, storePaths: readonly string[], rootDir: string, options: EnterOptions): Promise<void> {
    await fs.mkdir(rootDir, { recursive: true });
    const run = async (argv: ReturnType<typeof instantiateWithRoot>): Promise<void> => {
      const result = await this.runner.run(argv, {
        env: options.env,
        timeoutMs: 10 * 60_000,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      if (result.exitCode !== 0) throw parseNixError(result.stderr, result.exitCode);
    };
    // A flake is not a file nix-instantiate can take: its realised paths are rooted below.
    if (!isFlake(file)) await run(instantiateWithRoot(file, join(rootDir, 'shell.drv')));
    if (storePaths.length > 0) await run(realiseWithRoot(storePaths, join(rootDir, 'env')));
    const parent = dirname(rootDir);
    for (const old of await fs.readdir(parent)) {
      if (old !== basename(rootDir)) await fs.rm(join(parent, old), { recursive: true, force: true });
    }
  }

  private async interpreterLinkIfPresent(options: EnterOptions, entry: CacheEntry): Promise<{ interpreterLink?: string }> {
    const match = entry.python === undefined ? null : /^(\/nix\/store\/[^/]+)\/(.+)$/.exec(entry.python);
    if (match === null) return {};
    const [, storeDir, relative] = match as unknown as [string, string, string];
    const link = join(options.workspaceDir, '.ppl-nix', options.name, 'env');
    if ((await fs.readlink(link).catch(() => undefined)) !== storeDir) {
      await fs.mkdir(dirname(link), { recursive: true });
      await relink(link, storeDir);
    }
    return { interpreterLink: join(link, relative) };
  }
}

/** Points link at target, atomically (a new link renamed over the old one). */
async function relink(link: string, target: string): Promise<string> {
  const temp = `${link}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.symlink(target, temp);
  await fs.rename(temp, link);
  return link;
}

/** The nix binary on PATH: its real path, size and mtime. Changes when Nix is upgraded. */
async function nixIdentity(env: NodeJS.ProcessEnv): Promise<string> {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      const real = await fs.realpath(join(dir, 'nix'));
      const stat = await fs.stat(real);
      return `${real}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      // Not in this directory.
    }
  }
  return 'nix-not-found';
}
