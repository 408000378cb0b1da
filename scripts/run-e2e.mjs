// End-to-end tests: plain mocha in Node (not in the extension host) driving code-server's UI in
// headless chromium. The extension is installed the way a user does: packaged to a .vsix, then
// `code-server --install-extension`. Builds nothing but the .vsix: run `node scripts/build.mjs` first.
//
// Usage: node scripts/run-e2e.mjs [--grep PATTERN] [--no-package]
//   --no-package  reuse ./ppl-nix.vsix instead of running scripts/package.mjs
// Screenshots (also of every failed test) land in test-results/. Exits with mocha's exit code.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, ensureCodeServer, installExtension, log } from './lib/host.mjs';

const { values: opts } = parseArgs({
  options: {
    grep: { type: 'string' },
    'no-package': { type: 'boolean', default: false },
  },
});
const started = Date.now();
const outDir = join(ROOT, 'out/test/e2e');
const support = join(outDir, 'support.js');
const tests = existsSync(outDir)
  ? readdirSync(outDir)
      .filter((f) => f.endsWith('.test.js'))
      .sort()
      .map((f) => join(outDir, f))
  : [];
if (!existsSync(support) || tests.length === 0) {
  console.error(`[e2e] no compiled tests in ${outDir}: run node scripts/build.mjs first`);
  process.exit(2);
}

/** Packages the extension; falls back to a throwaway `vsce package` while scripts/package.mjs does not exist. */
function packageExtension(tmp) {
  const vsix = join(ROOT, 'ppl-nix.vsix');
  if (opts['no-package']) {
    log('--no-package: reusing ppl-nix.vsix as it is (tests compare it with the current package.json)');
    return vsix;
  }
  if (existsSync(join(ROOT, 'scripts/package.mjs'))) {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/package.mjs')], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`scripts/package.mjs failed (exit ${r.status})`);
    return vsix;
  }
  log('scripts/package.mjs does not exist yet: packaging a temporary vsix with vsce');
  const tmpVsix = join(tmp, 'ppl-nix-dev.vsix');
  const r = spawnSync('npx', ['vsce', 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '-o', tmpVsix], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`vsce package failed (exit ${r.status})`);
  return tmpVsix;
}

const tmp = mkdtempSync(join(tmpdir(), 'ppl-nix-e2e-run-'));
let exitCode = 1;
try {
  await ensureCodeServer();
  const t0 = Date.now();
  const vsix = packageExtension(tmp);
  if (!existsSync(vsix)) throw new Error(`${vsix} does not exist`);
  log(`packaged ${vsix} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const extensionsDir = join(tmp, 'extensions');
  await installExtension(vsix, extensionsDir);

  // mocha in its own process; support.js (root hooks) starts code-server + chromium once.
  const mocha = join(ROOT, 'node_modules/mocha/bin/mocha.js');
  const args = [
    mocha,
    '--require',
    support,
    '--timeout',
    '120000',
    '--slow',
    '10000',
    ...(opts.grep ? ['--grep', opts.grep] : []),
    ...tests,
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, PPL_NIX_E2E_EXTENSIONS_DIR: extensionsDir },
  });
  // Ctrl-C reaches mocha too (same terminal process group); its hooks stop server and browser.
  process.on('SIGINT', () => {});
  exitCode = await new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 130 : 1))));
} catch (error) {
  console.error(`[e2e] FAILED to run: ${error.stack ?? error}`);
  exitCode = 2;
} finally {
  rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
}
log(`e2e tests ${exitCode === 0 ? 'passed' : `FAILED (exit ${exitCode})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(exitCode);
