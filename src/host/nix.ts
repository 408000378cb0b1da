// Nix, as a service: capture a shell's environment and find its Python interpreter.
// Uses `nix print-dev-env --json` when the installed Nix has it (≥ 2.4), else nix-shell.
import { constants, promises as fs } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import * as argv from '../core/nix/argv';
import { environmentDelta, executableCandidates, parseDevEnvJson, parseEnvNul, pathPrefix } from '../core/enter/env';
import { PplNixError } from '../core/errors';
import { parseNixError } from '../core/nix/nixErrors';
import { nixSystemOf } from '../core/nix/system';
import { writeFileAtomic } from './files';
import type { ProcessRunner } from './process';

export interface CapturedEnvironment {
  /** Variables the shell sets or changes (PATH included, as the shell's full value). */
  readonly variables: Record<string, string>;
  /** Directories the shell puts in front of the user's PATH. */
  readonly pathPrefix: readonly string[];
  /** The environment's Python interpreter (a /nix/store path), if it has one. */
  readonly python?: string;
  readonly method: 'print-dev-env' | 'nix-shell';
  readonly durationMs: number;
}

export interface NixOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly onProgress?: (line: string) => void;
  /** Force a capture method; by default print-dev-env when Nix has it. */
  readonly method?: 'print-dev-env' | 'nix-shell';
}

const DEFAULT_TIMEOUT_MS = 30 * 60 * 1000; // a first build downloads nixpkgs and more

type Version = readonly [number, number, number];

/** The nix binary on PATH: its real path, size and mtime (stats, no process). Changes when Nix is upgraded. */
export async function nixIdentity(env: NodeJS.ProcessEnv): Promise<string> {
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

export class NixService {
  /** Nix versions by binary identity: asked once per nix binary, never again until it changes. */
  private readonly versions = new Map<string, Promise<Version | undefined>>();

  /**
   * @param versionFile where to remember versions between processes (the CLI: its cache
   *   folder), so a warm `ppl-nix env` starts no `nix --version`
   */
  constructor(
    private readonly runner: ProcessRunner,
    private readonly versionFile?: string,
  ) {}

  /** Nix's version, asked once per nix binary (its path, size and mtime: a stat, no process). */
  async nixVersion(options: NixOptions): Promise<Version | undefined> {
    const identity = await nixIdentity(options.env);
    let version = this.versions.get(identity);
    if (version === undefined) {
      version = this.rememberedVersion(identity).then(
        (known) =>
          known ??
          this.runner
            .run(argv.nixVersion(), {
              env: options.env,
              timeoutMs: 10_000,
              ...(options.signal === undefined ? {} : { signal: options.signal }),
            })
            .then(async (result) => {
              const parsed = argv.parseNixVersion(result.stdout);
              if (parsed !== undefined) await this.rememberVersion(identity, parsed);
              return parsed;
            }),
      );
      this.versions.set(identity, version);
      version.catch(() => this.versions.delete(identity));
    }
    return version;
  }

  private async rememberedVersion(identity: string): Promise<Version | undefined> {
    if (this.versionFile === undefined || identity === 'nix-not-found') return undefined;
    const known = (await readJson(this.versionFile))[identity];
    return Array.isArray(known) && known.length === 3 && known.every((n) => typeof n === 'number')
      ? (known as unknown as Version)
      : undefined;
  }

  private async rememberVersion(identity: string, version: Version): Promise<void> {
    if (this.versionFile === undefined || identity === 'nix-not-found') return;
    const known = await readJson(this.versionFile);
    await fs.mkdir(dirname(this.versionFile), { recursive: true });
    await writeFileAtomic(this.versionFile, `${JSON.stringify({ ...known, [identity]: version })}\n`).catch(() => undefined);
  }

  /** Captures an environment: a file nix-shell reads, or a flake's devShell (`shell`; undefined: its default). */
  async capture(file: string, options: NixOptions & { readonly shell?: string }): Promise<CapturedEnvironment> {
    const usePrintDevEnv =
      options.method === undefined
        ? argv.supportsPrintDevEnv((await this.nixVersion(options)) ?? [0, 0, 0])
        : options.method === 'print-dev-env';
    if (argv.isFlake(file) && !usePrintDevEnv) {
      throw new PplNixError(
        { kind: 'nixFailed', exitCode: undefined, detail: 'flakes need Nix 2.4 or later' },
        'Entering a flake devShell needs Nix 2.4 or later (nix print-dev-env).',
      );
    }
    const command = argv.isFlake(file)
      ? argv.printDevEnvFlake(file, options.shell)
      : usePrintDevEnv
        ? argv.printDevEnv(file)
        : argv.nixShellCapture(file);
    const result = await this.runner.run(command, {
      env: options.env,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.onProgress === undefined ? {} : { onStderrLine: options.onProgress }),
    });
    if (result.exitCode !== 0) throw parseNixError(result.stderr, result.exitCode);
    const captured = usePrintDevEnv ? parseDevEnvJson(result.stdout) : parseEnvNul(result.stdout);
    const base = options.env as Record<string, string>;
    const variables = environmentDelta(captured, base);
    const prefix = pathPrefix(captured['PATH'] ?? '', base['PATH'] ?? '');
    const python = await findPython(prefix.join(':'));
    return {
      variables,
      pathPrefix: prefix,
      ...(python === undefined ? {} : { python }),
      method: usePrintDevEnv ? 'print-dev-env' : 'nix-shell',
      durationMs: result.durationMs,
    };
  }

  /**
   * A flake's devShell names for one system, asked of Nix: it evaluates the flake (trusted
   * workspaces only) and may fetch its inputs, so it is bounded (60 s by default) and cancellable.
   */
  async devShellNames(file: string, system: string, options: NixOptions): Promise<string[]> {
    const result = await this.runner.run(argv.flakeDevShellNames(file, system), {
      env: options.env,
      timeoutMs: options.timeoutMs ?? 60_000,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.onProgress === undefined ? {} : { onStderrLine: options.onProgress }),
    });
    if (result.exitCode !== 0) throw parseNixError(result.stderr, result.exitCode);
    const names = readJsonText(result.stdout);
    if (!Array.isArray(names) || !names.every((name) => typeof name === 'string'))
      throw new PplNixError(
        { kind: 'nixFailed', exitCode: 0, detail: result.stdout },
        `nix eval printed no list of names: ${result.stdout.slice(0, 200)}`,
      );
    return names;
  }

  /** The sha256 fetchTarball wants for a URL (downloads it). */
  async prefetch(url: string, options: NixOptions): Promise<string> {
    const result = await this.runner.run(argv.prefetchTarball(url), {
      env: options.env,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (result.exitCode !== 0) throw parseNixError(result.stderr, result.exitCode);
    const hash = result.stdout.trim().split('\n').pop() ?? '';
    if (!/^[0-9a-z]{52}$/.test(hash))
      throw new PplNixError(
        { kind: 'nixFailed', exitCode: 0, detail: result.stdout },
        `nix-prefetch-url printed no hash: ${result.stdout}`,
      );
    return hash;
  }
}

/** First python3 (or python) on the shell's own PATH entries that lives in the Nix store. */
async function findPython(shellPath: string): Promise<string | undefined> {
  for (const name of ['python3', 'python']) {
    for (const candidate of executableCandidates(shellPath, name)) {
      if (!candidate.startsWith('/nix/store/')) continue;
      try {
        await fs.access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not here; keep looking.
      }
    }
  }
  return undefined;
}

/** JSON text, or undefined when it is not JSON. */
function readJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The Nix system this machine builds for (x86_64-linux), from Node's platform and architecture. */
export function currentSystem(): string | undefined {
  return nixSystemOf(process.platform, process.arch);
}

/** A small JSON object file, or {} when it is missing or damaged. */
async function readJson(path: string): Promise<Record<string, unknown>> {
  try {
    const value = JSON.parse(await fs.readFile(path, 'utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
