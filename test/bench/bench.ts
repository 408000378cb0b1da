// npm run bench: figures, not pass/fail. Times what users feel: the picker's preview update per
// change (target ≤ 16 ms), `ppl-nix new`, and entering an environment cold and warm with real Nix.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { formToSpec, initialForm } from '../../src/core/picker/form';
import { defaultPin, parseCustomPins, SHIPPED_PINS } from '../../src/core/pins/pins';
import { updateShellNix } from '../../src/core/spec/readback';
import { renderShellNix } from '../../src/core/spec/render';
import { CATALOG } from '../../src/core/catalog/catalog';
import { PinProbeService } from '../../src/host/pinProbe';
import { silentLog } from '../../src/host/log';
import { EnvironmentService, type EnvironmentSource } from '../../src/host/environments';
import { NixService } from '../../src/host/nix';
import { ProcessRunner } from '../../src/host/process';
import { nixAvailable, nixTestEnv, packFixture, repoRoot, tempDir } from '../nix/fixture';

/** The environment file as the extension reads it: once per enter. */
const sourceOf = (file: string): EnvironmentSource => ({ file, text: readFileSync(file, 'utf8') });

function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `median ${at(0.5).toFixed(3)} ms, p95 ${at(0.95).toFixed(3)} ms, max ${sorted.at(-1)!.toFixed(3)} ms (n=${samples.length})`;
}

function time(fn: () => void, n: number): number[] {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    fn();
    samples.push(performance.now() - started);
  }
  return samples;
}

async function main(): Promise<void> {
  const pins = [...parseCustomPins([]).pins, ...SHIPPED_PINS];
  const form = { ...initialForm('file:///w', 'w', pins, defaultPin().label), packages: ['pymc', 'arviz', 'numpyro', 'jax', 'cmdstanpy', 'seaborn', 'ipykernel'], extraPackages: 'tqdm rich' };
  // Each picker change: validate the form, render the file; for an existing file, merge into it.
  const existing = renderShellNix(formToSpec(form, pins).spec!);
  console.log(`preview update (validate + render):        ${stats(time(() => renderShellNix(formToSpec(form, pins).spec!), 2000))}`);
  console.log(`preview update of an existing file (merge): ${stats(time(() => updateShellNix(existing, formToSpec(form, pins).spec!), 2000))}`);

  const available = nixAvailable();
  if (!available.ok) {
    console.log(`Nix figures skipped: ${available.reason ?? ''}`);
    return;
  }
  const fixture = await packFixture();
  const env = nixTestEnv();
  const dir = tempDir('ppl-nix-bench-');
  const cli = join(repoRoot(), 'dist/cli.js');
  const cliSamples: number[] = [];
  for (let i = 0; i < 10; i++) {
    const out = join(dir, `new-${i}`, 'shell.nix');
    const started = performance.now();
    execFileSync(process.execPath, [cli, 'new', '--pin-url', fixture.url, '--pin-sha256', fixture.sha256, '--python', '3.12', '--packages', 'pymc,arviz', '--out', out], { env });
    cliSamples.push(performance.now() - started);
  }
  console.log(`ppl-nix new (process start to file written): ${stats(cliSamples)}`);

  const nix = new NixService(new ProcessRunner(silentLog));
  for (const method of ['print-dev-env', 'nix-shell'] as const) {
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) {
      // A fresh package set each round, so "cold" builds the Python env and the shell derivation.
      const folder = join(dir, `${method}-${i}`);
      rmSync(folder, { recursive: true, force: true });
      mkdirSync(folder, { recursive: true });
      const file = join(folder, 'shell.nix');
      execFileSync(process.execPath, [cli, 'new', '--pin-url', fixture.url, '--pin-sha256', fixture.sha256, '--python', '3.12', '--packages', 'pymc,arviz', '--extra', (method === 'nix-shell' ? ['xarray', 'matplotlib', 'seaborn'] : ['numpy', 'scipy', 'pandas'])[i]!, '--name', `bench-${method}-${i}-${process.pid}`, '--out', file], { env });
      let started = performance.now();
      await nix.capture(file, { env, method });
      cold.push(performance.now() - started);
      started = performance.now();
      await nix.capture(file, { env, method });
      warm.push(performance.now() - started);
    }
    console.log(`capture with ${method.padEnd(13)} cold (build): ${stats(cold)}`);
    console.log(`capture with ${method.padEnd(13)} warm (built): ${stats(warm)}`);
  }

  // Availability of the whole catalog at a pin: one evaluation (cold), then the on-disk cache (warm).
  const query = { pin: { label: 'fixture', url: fixture.url, sha256: fixture.sha256 }, python: '3.12', pythonPackages: CATALOG.filter((e) => e.kind === 'python').map((e) => e.attr), systemPackages: ['cmdstan', 'graphviz'] };
  const availCold: number[] = [];
  const availWarm: number[] = [];
  for (let i = 0; i < 5; i++) {
    const service = new PinProbeService(new ProcessRunner(silentLog), join(dir, `avail-${i}`));
    let started = performance.now();
    await service.check(query, { env });
    availCold.push(performance.now() - started);
    started = performance.now();
    await service.check(query, { env });
    availWarm.push(performance.now() - started);
  }
  console.log(`catalog availability at a pin, evaluated:  ${stats(availCold)}`);
  console.log(`catalog availability at a pin, cached:     ${stats(availWarm)}`);

  // Entering: cold (capture + GC roots + link + cache write) vs warm (cache hit: no process).
  const runner = new ProcessRunner(silentLog);
  const service = new EnvironmentService(new NixService(runner), runner, silentLog);
  const cold: number[] = [];
  const warm: number[] = [];
  let warmProcesses = 0;
  for (let i = 0; i < 3; i++) {
    const workspace = join(dir, `enter-${i}`);
    const file = join(workspace, 'shell.nix');
    execFileSync(process.execPath, [cli, 'new', '--pin-url', fixture.url, '--pin-sha256', fixture.sha256, '--python', '3.12', '--packages', 'pymc,arviz', '--extra', ['corner', 'emcee', 'bambi'][i]!, '--name', `enter-${i}`, '--out', file], { env });
    const options = { env, workspaceDir: workspace, storageDir: join(workspace, '.storage'), name: `enter-${i}` };
    let started = performance.now();
    await service.enter(sourceOf(file), options);
    cold.push(performance.now() - started);
    for (let j = 0; j < 20; j++) {
      const before = runner.started.length;
      started = performance.now();
      const entered = await service.enter(sourceOf(file), options);
      warm.push(performance.now() - started);
      warmProcesses += runner.started.length - before;
      if (!entered.fromCache) throw new Error('warm enter missed the cache');
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`enter cold (capture, roots, link, cache):  ${stats(cold)}`);
  console.log(`enter warm (cache hit):                    ${stats(warm)}; Nix processes on the warm path: ${warmProcesses}`);
  console.log(`warm / cold (medians): ${((100 * median(warm)) / median(cold)).toFixed(1)} %`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
