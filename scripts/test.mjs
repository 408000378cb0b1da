// npm test: every tier, in order, with a summary. `node scripts/test.mjs unit nix` runs some.
// Under CI=true a tier that cannot run FAILS; elsewhere it is reported as skipped, with why.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { aptInstall, haveCommands } from './lib/apt.mjs';

const root = new URL('..', import.meta.url).pathname;
const ci = process.env.CI === 'true' || process.env.CI === '1';
const TIERS = ['static', 'unit', 'nix', 'integration', 'e2e', 'package'];
const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : TIERS;
for (const tier of wanted) if (!TIERS.includes(tier)) throw new Error(`unknown tier ${tier}; tiers: ${TIERS.join(', ')}`);

/** Runs a command, echoing its output, counting mocha's "N passing / N failing / N pending". */
function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const counts = { passed: 0, failed: 0, pending: 0 };
    const pending = { stdout: '', stderr: '' };
    const scan = (chunk, out, stream) => {
      out.write(chunk);
      const lines = (pending[stream] + chunk.toString()).split('\n');
      pending[stream] = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^\s*(\d+) (passing|failing|pending)\b/.exec(line.replace(/\u001b\[[0-9;]*m/g, ''));
        if (match) counts[{ passing: 'passed', failing: 'failed', pending: 'pending' }[match[2]]] += Number(match[1]);
      }
    };
    child.stdout.on('data', (chunk) => scan(chunk, process.stdout, 'stdout'));
    child.stderr.on('data', (chunk) => scan(chunk, process.stderr, 'stderr'));
    child.on('close', (code) => resolve({ code: code ?? 1, ...counts }));
  });
}

const mocha = (pattern, env) =>
  run(process.execPath, ['node_modules/mocha/bin/mocha.js', '--reporter', 'spec', '--no-color', pattern], env);

/** Each tier: a check that says why it cannot run (undefined = it can), and what it runs. */
const tiers = {
  static: {
    why: () => undefined,
    run: async () => {
      // Types, lint, formatting, and the architecture (floors, no import cycle): each one check.
      const checks = [
        ['npx', ['tsc', '--noEmit', '-p', '.']],
        ['npx', ['eslint', '.']],
        ['npx', ['prettier', '--check', '.']],
        [process.execPath, ['scripts/check-architecture.mjs']],
      ];
      let failed = 0;
      for (const [command, args] of checks) if ((await run(command, args)).code !== 0) failed++;
      return { code: failed > 0 ? 1 : 0, passed: checks.length - failed, failed, pending: 0 };
    },
  },
  unit: { why: () => undefined, run: () => mocha('out/test/unit/*.test.js') },
  nix: {
    why: () => {
      if (!haveCommands(['nix-shell', 'nix-instantiate', 'nix-prefetch-url'])) {
        const problem = aptInstall(['nix-bin']);
        if (problem) return problem;
      }
      if (!existsSync('/usr/bin/python3')) {
        const problem = aptInstall(['python3-minimal']);
        if (problem) return problem;
      }
      // The fixture nixpkgs serves Debian's real numpy, scipy and emcee (the emcee example model runs for real).
      const missing = ['numpy', 'scipy', 'emcee'].filter((m) => !existsSync(`/usr/lib/python3/dist-packages/${m}`));
      if (missing.length > 0) {
        const problem = aptInstall(missing.map((m) => `python3-${m}`));
        if (problem) console.log(`[test] nix: ${problem}; the example models test says why it skips`);
      }
      return undefined;
    },
    run: () => mocha('out/test/nix/*.test.js'),
  },
  integration: {
    why: () => undefined,
    // Four extension-host runs: the main suites; Restricted Mode (Workspace Trust on); a
    // stand-in extension that registers python.defaultInterpreterPath; a broken Python extension.
    run: async () => {
      const runs = [
        ['--grep', 'Restricted Mode|Python setting registered|Python extension broken', '--invert'],
        ['--grep', 'Restricted Mode', '--trust'],
        ['--grep', 'Python setting registered', '--extra-extension', 'test/fixtures/python-setting-standin'],
        ['--grep', 'Python extension broken', '--extra-extension', 'test/fixtures/python-extension-standin'],
      ];
      const total = { code: 0, passed: 0, failed: 0, pending: 0 };
      for (const args of runs) {
        const result = await run(process.execPath, ['scripts/run-integration.mjs', ...args]);
        total.code ||= result.code;
        total.passed += result.passed;
        total.failed += result.failed;
        total.pending += result.pending;
      }
      return total;
    },
  },
  e2e: { why: () => undefined, run: () => run(process.execPath, ['scripts/run-e2e.mjs']) },
  package: { why: () => undefined, run: () => run(process.execPath, ['scripts/package.mjs', '--check']) },
};

if (!existsSync(`${root}node_modules/.package-lock.json`)) {
  console.log('[test] installing dependencies (npm ci)');
  if (spawnSync('npm', ['ci'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
}
console.log('[test] building');
if (spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);

const results = [];
for (const name of wanted) {
  const started = Date.now();
  console.log(`\n===== tier: ${name} =====`);
  const why = tiers[name].why();
  if (why !== undefined) {
    results.push({
      name,
      status: ci ? 'FAILED (cannot run under CI)' : 'skipped',
      why,
      passed: 0,
      failed: ci ? 1 : 0,
      pending: 0,
      seconds: 0,
    });
    console.log(`[test] ${name}: cannot run: ${why}`);
    continue;
  }
  const result = await tiers[name].run();
  // A tier that exits non-zero fails even when no mocha line was counted.
  const failed = result.code !== 0 ? Math.max(result.failed, 1) : result.failed;
  const ran = result.passed + failed > 0;
  const status = result.code !== 0 ? 'FAILED' : ran ? 'ok' : ci ? 'FAILED (ran no test)' : 'ran no test';
  results.push({
    name,
    status,
    passed: result.passed,
    failed: ran || !ci ? failed : 1,
    pending: result.pending,
    seconds: (Date.now() - started) / 1000,
  });
}

console.log('\n===== summary =====');
for (const r of results) {
  console.log(
    `${r.name.padEnd(12)} ${r.status.padEnd(28)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed ${String(r.pending).padStart(3)} pending  ${r.seconds.toFixed(1)} s${r.why ? `  (${r.why})` : ''}`,
  );
}
const total = results.reduce(
  (sum, r) => ({
    passed: sum.passed + r.passed,
    failed: sum.failed + r.failed,
    skipped: sum.skipped + r.pending + (r.status === 'skipped' ? 1 : 0),
  }),
  { passed: 0, failed: 0, skipped: 0 },
);
const ok = results.every((r) => r.status === 'ok' || (!ci && (r.status === 'skipped' || r.status === 'ran no test')));
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(ok ? 0 : 1);
