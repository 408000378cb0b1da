// npm run bench: figures, not pass/fail (see bench/README.md). In order:
//   1. Debian's direnv (an anchor) and nix-bin, installed when missing and we are root;
//   2. node scripts/build.mjs, then out/test/bench/bench.js: core and Nix figures (Node);
//   3. node scripts/package.mjs (production build, ppl-nix.vsix), then scripts/bench-ui.mjs:
//      bundle sizes, activation, picker and the switcher in code-server (retried once if it fails);
//   4. out/test/bench/bench.js report: the table, bench/results.json, media/bench-scale.svg and
//      the table in the README's "Performance" section.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { aptInstall, haveCommands } from './lib/apt.mjs';

const root = new URL('..', import.meta.url).pathname;
const parts = join(root, 'out/bench');
const started = Date.now();
const say = (message) => console.log(`[bench] ${message}`);
const node = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status;
const must = (args) => {
  const status = node(args);
  if (status !== 0) {
    say(`${args.join(' ')} failed (exit ${status})`);
    process.exit(status ?? 1);
  }
};

for (const [commands, packages] of [
  [['nix-shell', 'nix-instantiate', 'nix-hash'], ['nix-bin']],
  [['direnv'], ['direnv']],
]) {
  if (haveCommands(commands)) continue;
  const problem = aptInstall(packages, say);
  if (problem) say(`${packages.join(' ')}: ${problem} (the figures that need it are reported as not measured)`);
}

mkdirSync(parts, { recursive: true });
must(['scripts/build.mjs']);
must(['out/test/bench/bench.js', '--out', join(parts, 'node.json')]);
must(['scripts/package.mjs']);
const host = join(parts, 'host.json');
let status = node(['scripts/bench-ui.mjs', '--out', host]);
if (status !== 0) {
  // Another code-server run (integration tests) may have held the CPU or a port: wait, retry once.
  say(`bench-ui failed (exit ${status}); retrying in 60 s`);
  await new Promise((r) => setTimeout(r, 60_000));
  status = node(['scripts/bench-ui.mjs', '--out', host]);
}
if (status !== 0) {
  const skipped = [`every real-host figure (activation, bundles, picker, switcher): scripts/bench-ui.mjs failed twice (exit ${status})`];
  const part = { part: 'host', startedAt: new Date().toISOString(), loadAverage: loadavg()[0], seconds: 0, figures: [], skipped };
  writeFileSync(host, `${JSON.stringify(part)}\n`);
}
must(['out/test/bench/bench.js', 'report', join(parts, 'node.json'), host]);
say(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
