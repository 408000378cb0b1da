// npm run bench, the Node part (compiled to out/test/bench/bench.js by scripts/build.mjs):
//
//   node out/test/bench/bench.js [--out FILE]        core + Nix figures; prints them, writes the part (JSON)
//   node out/test/bench/bench.js report PART.json…   merges parts: prints the table, writes bench/results.json,
//                                                    media/bench-scale.svg and the README's Performance table
//
// scripts/bench.mjs runs both around scripts/bench-ui.mjs (the real host). Figures, not tests:
// nothing fails on a missed target; the table says which are met. See bench/README.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { nixAvailable, packFixture, repoRoot, tempDir } from '../nix/fixture';
import { coreScale, previewFigures } from './core';
import { availabilityFigures, captureScale, cliFigures, enterFigures } from './nix';
import { merge, textTable, writeAll } from './report';
import type { Figure, Part, ScaleSeries } from './stats';

const log = (message: string): void => console.log(`[bench] ${message}`);

function machine(): Record<string, string> {
  const nix = spawnSync('nix', ['--version'], { encoding: 'utf8' });
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: String(cpus().length),
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GB`,
    os: `Linux ${release()}`,
    node: process.version,
    nix: nix.status === 0 ? nix.stdout.trim() : 'no Nix',
  };
}

async function step<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  const value = await fn();
  log(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return value;
}

async function nodePart(): Promise<Part> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const loadAverage = loadavg()[0]!;
  const tmp = tempDir('ppl-nix-bench-');
  const figures: Figure[] = [];
  const scale: ScaleSeries[] = [];
  const skipped: string[] = [];
  figures.push(...(await step('picker preview (Node)', () => previewFigures())));
  scale.push(...(await step('scale: render, diagnostics, discovery', () => coreScale(tmp))));
  const available = nixAvailable();
  if (!available.ok) {
    skipped.push(`every Nix figure: ${available.reason ?? 'Nix is not available'}`);
  } else {
    const fixture = await packFixture();
    const enter = await step('warm vs cold, anchors', () => enterFigures(fixture, tmp));
    figures.push(...enter.figures);
    skipped.push(...enter.skipped);
    figures.push(...(await step('availability', () => availabilityFigures(fixture, tmp))));
    figures.push(...(await step('CLI', () => cliFigures(fixture, tmp))));
    scale.push(...(await step('scale: capture with N packages', () => captureScale(fixture, tmp))));
  }
  return {
    part: 'node',
    startedAt,
    loadAverage,
    seconds: (performance.now() - started) / 1000,
    figures,
    scale,
    machine: machine(),
    skipped,
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === 'report') {
    const parts = args.slice(1).map((file) => JSON.parse(readFileSync(file, 'utf8')) as Part);
    const results = merge(parts);
    const { table, readme } = writeAll(repoRoot(), results);
    console.log(table);
    log(
      `wrote bench/results.json, media/bench-scale.svg${readme ? ' and the README table' : ' (README markers missing: table not written there)'}`,
    );
    return;
  }
  const outIndex = args.indexOf('--out');
  const out = outIndex >= 0 ? args[outIndex + 1]! : join(repoRoot(), 'out/bench/node.json');
  const part = await nodePart();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(part, null, 1)}\n`);
  console.log(textTable(merge([part])));
  log(`part written to ${out} (${part.seconds.toFixed(0)} s)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
