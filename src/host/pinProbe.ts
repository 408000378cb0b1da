// Availability at a pin, evaluated by Nix and cached on disk. A pin's content never changes
// (its sha256 fixes it), so a cached answer for (pin hash, Python) is never stale: only names
// not asked before are evaluated. The cache lives under globalStorageUri in the extension
// and under $XDG_CACHE_HOME/ppl-nix in the CLI.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import * as argv from '../core/nix/argv';
import {
  probeExpression,
  probeQueryProblem,
  parseProbe,
  parseThrowMessage,
  throwMessageExpression,
  withThrowMessage,
  type ProbeQuery,
  type PackageProbe,
  type PinProbe,
} from '../core/pins/probe';
import { PplNixError } from '../core/errors';
import { parseNixError } from '../core/nix/nixErrors';
import type { PinRef } from '../core/pins/pins';
import { readIfExists, writeFileAtomic } from './files';
import type { ProcessRunner } from './process';

export interface EvalOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** Nix's stderr lines (download progress on the first use of a pin). */
  readonly onProgress?: (line: string) => void;
}

interface CacheFile {
  readonly pythons: readonly string[];
  readonly pythonVersion?: string;
  readonly python: Record<string, PackageProbe>;
  readonly system: Record<string, PackageProbe>;
}

const DEFAULT_TIMEOUT_MS = 30 * 60 * 1000; // first use of a pin downloads ~40 MB of nixpkgs

/** The CLI's cache folder: $XDG_CACHE_HOME/ppl-nix, else ~/.cache/ppl-nix. */
export function cliCacheDir(env: NodeJS.ProcessEnv): string {
  const base = env['XDG_CACHE_HOME'] || join(env['HOME'] ?? '/tmp', '.cache');
  return join(base, 'ppl-nix');
}

export class PinProbeService {
  /** Evaluations run (tests assert that a cached answer runs none). */
  evaluations = 0;

  constructor(
    private readonly runner: ProcessRunner,
    private readonly cacheDir: string,
  ) {}

  /** The cache file of (pin, Python): named by a hash, so no value from a file ever becomes a path. */
  private cachePath(pin: PinRef, python: string): string {
    const name = createHash('sha256').update(`${pin.url}\n${pin.sha256}\n${python}`).digest('hex').slice(0, 40);
    return join(this.cacheDir, 'availability', `${name}.json`);
  }

  private async readCache(pin: PinRef, python: string): Promise<CacheFile | undefined> {
    const text = await readIfExists(this.cachePath(pin, python));
    if (text === undefined) return undefined;
    try {
      const raw = JSON.parse(text) as CacheFile;
      return Array.isArray(raw.pythons) && typeof raw.python === 'object' && typeof raw.system === 'object' ? raw : undefined;
    } catch {
      return undefined; // a damaged cache is re-evaluated
    }
  }

  /** What the pin offers for these names; evaluates only what the cache does not know. */
  async check(query: ProbeQuery, options: EvalOptions): Promise<PinProbe> {
    const problem = probeQueryProblem(query);
    if (problem !== undefined) throw new PplNixError({ kind: 'invalidInput', field: 'pin', value: query.pin.label }, problem);
    const cached = await this.readCache(query.pin, query.python);
    const missingPython = query.pythonPackages.filter((n) => cached?.python[n] === undefined);
    const missingSystem = query.systemPackages.filter((n) => cached?.system[n] === undefined);
    let merged: CacheFile | undefined = cached;
    if (cached === undefined || missingPython.length > 0 || missingSystem.length > 0) {
      const fresh = await this.evaluate({ ...query, pythonPackages: missingPython, systemPackages: missingSystem }, options);
      merged = {
        pythons: fresh.pythons,
        ...(fresh.pythonVersion === undefined ? {} : { pythonVersion: fresh.pythonVersion }),
        python: { ...cached?.python, ...fresh.python },
        system: { ...cached?.system, ...fresh.system },
      };
      await fs.mkdir(join(this.cacheDir, 'availability'), { recursive: true });
      await writeFileAtomic(this.cachePath(query.pin, query.python), `${JSON.stringify(merged, null, 1)}\n`);
    }
    const pick = (from: Record<string, PackageProbe>, names: readonly string[]): Record<string, PackageProbe> =>
      Object.fromEntries(names.map((n) => [n, from[n]!]));
    return {
      pythons: merged!.pythons,
      ...(merged!.pythonVersion === undefined ? {} : { pythonVersion: merged!.pythonVersion }),
      python: pick(merged!.python, query.pythonPackages),
      system: pick(merged!.system, query.systemPackages),
    };
  }

  /** One evaluation for everything, then one small evaluation per throwing name for its message. */
  private async evaluate(query: ProbeQuery, options: EvalOptions): Promise<PinProbe> {
    this.evaluations++;
    const result = await this.runner.run(argv.evalJson(probeExpression(query)), this.runOptions(options));
    const parsed =
      result.exitCode === 0
        ? parseProbe(result.stdout, query)
        : await this.oneByOne(query, options, parseNixError(result.stderr, result.exitCode));
    const explain = async (
      entries: Readonly<Record<string, PackageProbe>>,
      python: string | undefined,
    ): Promise<Record<string, PackageProbe>> => {
      const out: Record<string, PackageProbe> = {};
      for (const [name, entry] of Object.entries(entries)) {
        let message: string | undefined;
        if (entry.status === 'throws' && entry.message === undefined) {
          const run = await this.runner.run(argv.evalJson(throwMessageExpression(query.pin, python, name)), this.runOptions(options));
          message = run.exitCode === 0 ? undefined : parseThrowMessage(run.stderr);
        }
        out[name] = withThrowMessage(entry, name, message);
      }
      return out;
    };
    return { ...parsed, python: await explain(parsed.python, query.python), system: await explain(parsed.system, undefined) };
  }

  /**
   * tryEval catches throw and assert, not every error (abort, a missing attribute deep inside a
   * package): when the combined evaluation fails that way, each name is evaluated alone so one
   * bad package cannot hide the answer for the others. Download and hash errors are final.
   */
  private async oneByOne(query: ProbeQuery, options: EvalOptions, failure: PplNixError): Promise<PinProbe> {
    const names = query.pythonPackages.length + query.systemPackages.length;
    if (failure.kind !== 'nixFailed' || names < 2) throw failure;
    const base = await this.runner.run(
      argv.evalJson(probeExpression({ ...query, pythonPackages: [], systemPackages: [] })),
      this.runOptions(options),
    );
    if (base.exitCode !== 0) throw parseNixError(base.stderr, base.exitCode);
    const answer = parseProbe(base.stdout, { ...query, pythonPackages: [], systemPackages: [] });
    const probe = async (single: ProbeQuery, name: string, kind: 'python' | 'system'): Promise<PackageProbe> => {
      const run = await this.runner.run(argv.evalJson(probeExpression(single)), this.runOptions(options));
      if (run.exitCode === 0) return parseProbe(run.stdout, single)[kind][name]!;
      const message = parseThrowMessage(run.stderr);
      return { status: 'throws', ...(message === undefined ? {} : { message }) };
    };
    const python: Record<string, PackageProbe> = {};
    const system: Record<string, PackageProbe> = {};
    for (const name of query.pythonPackages)
      python[name] = await probe({ ...query, pythonPackages: [name], systemPackages: [] }, name, 'python');
    for (const name of query.systemPackages)
      system[name] = await probe({ ...query, pythonPackages: [], systemPackages: [name] }, name, 'system');
    return { ...answer, python, system };
  }

  private runOptions(options: EvalOptions): Parameters<ProcessRunner['run']>[1] {
    return {
      env: options.env,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.onProgress === undefined ? {} : { onStderrLine: options.onProgress }),
    };
  }
}
