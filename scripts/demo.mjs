// `npm run demo`: the real user experience in your browser. Builds and packages the extension,
// installs the .vsix into a fresh code-server (VS Code 1.139 for the web), opens a demo Python
// project with Workspace Trust ON, prints the URL and what to do, and runs until Ctrl-C.
// Works without Nix and without the internet too (scripts/lib/demo-setup.mjs): as root it installs
// Debian's nix-bin, and when nixpkgs cannot be downloaded the workspace offers an offline stand-in pin.
//
// Usage: npm run demo            (PORT=9000 npm run demo for another port; the next free one is used if busy)
//        npm run demo -- --no-package   skips build + package and installs the existing ppl-nix.vsix
//        npm run demo -- --offline      the offline stand-in pin even when nixpkgs is reachable
// The demo project is .vscode-test/demo-workspace (copied once from test/fixtures/demo-workspace; delete it to reset).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// host.mjs and demo-setup.mjs need nothing from node_modules at import time, so they load before `npm ci`.
import { setUpDemo } from './lib/demo-setup.mjs';
import { CACHE_DIR, ROOT, ensureCodeServer, installExtension, log, startCodeServer } from './lib/host.mjs';

/** Runs a command in the repo, inheriting the terminal; exits on failure. */
function step(what, cmd, args) {
  const t0 = Date.now();
  log(`${what}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[demo] ${what} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
  log(`${what}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/**
 * Everything before code-server starts: dependencies, build, vsix, code-server install, extension installed.
 * Shared with scripts/screenshot.mjs.
 */
export async function prepareDemo({ noPackage = process.argv.includes('--no-package') } = {}) {
  if (!existsSync(join(ROOT, 'node_modules'))) step('install dependencies', 'npm', ['ci']);
  if (noPackage) {
    log('--no-package: using ppl-nix.vsix as it is');
  } else {
    step('build', process.execPath, ['scripts/build.mjs']);
    step('package', process.execPath, ['scripts/package.mjs']);
  }
  const vsix = join(ROOT, 'ppl-nix.vsix');
  if (!existsSync(vsix)) throw new Error(`scripts/package.mjs did not produce ${vsix}`);
  await ensureCodeServer();
  // A fresh extensions dir each time: exactly the vsix just built, nothing stale.
  const extensionsDir = join(CACHE_DIR, 'demo-extensions');
  rmSync(extensionsDir, { recursive: true, force: true });
  await installExtension(vsix, extensionsDir);
  return { extensionsDir };
}

/** What to do next, for the case the demo runs in. */
function nextSteps(setup, url) {
  const pin =
    setup.mode === 'offline'
      ? `choose the nixpkgs pin "${setup.pin.label}",\n       tick emcee, click Create shell.nix`
      : 'tick emcee (or PyMC + ArviZ), click Create shell.nix';
  const lines = [
    `PPL Nix demo is running:  ${url}`,
    `Open it in your browser (forward port ${new URL(url).port} if this is a remote machine). Press Ctrl-C to stop.`,
    '',
    `Case: ${setup.mode} (${setup.reason}).`,
    ...(setup.mode === 'offline' ? [`      The workspace offers the pin "${setup.pin.label}" (.vscode/settings.json).`] : []),
    ...(setup.mode === 'no-nix' ? ['      Without Nix PPL Nix writes shell.nix files only; the status bar says "Nix not found".'] : []),
    '',
    'Then, in VS Code (the workspace README says the same):',
    '  1. Trust the folder: click "Restricted Mode" in the status bar, then Trust.',
    `  2. F1 > "PPL Nix: Create PPL Nix shell": ${pin}.`,
    ...(setup.mode === 'no-nix'
      ? ['  3. shell.nix is written; the status bar says "Nix not found": click it for what to do.']
      : [
          '  3. The status bar shows "demo-workspace (Python 3.x)"; a terminal "PPL Nix: demo-workspace" runs in the shell,',
          '     and the Python interpreter is .ppl-nix/demo-workspace/env/bin/python3.',
          '  4. F1 > "PPL Nix: Add example model" > emcee, then "Run in PPL Nix shell" above its first line:',
          '     the terminal prints the posterior means and "OK: posterior means within tolerance".',
        ]),
  ];
  const line = '='.repeat(76);
  return `\n${line}\n${lines.map((l) => (l ? `  ${l}` : '')).join('\n')}\n${line}\n`;
}

async function main() {
  const { extensionsDir } = await prepareDemo();
  const workspace = join(CACHE_DIR, 'demo-workspace');
  if (!existsSync(workspace)) {
    cpSync(join(ROOT, 'test/fixtures/demo-workspace'), workspace, { recursive: true });
    log(`demo workspace created: ${workspace}`);
  } else {
    log(`reusing demo workspace ${workspace} (delete it to start over)`);
  }
  const setup = await setUpDemo({
    workspace,
    stateDir: join(CACHE_DIR, 'demo-nixpkgs'),
    mode: process.argv.includes('--offline') ? 'offline' : 'auto',
  });
  const server = await startCodeServer({ ...setup.serverOptions, extensionsDir, port: Number(process.env.PORT) || 8080 });
  console.log(nextSteps(setup, `${server.url}/?folder=${encodeURIComponent(workspace)}`));
  // host.mjs stops code-server (its whole process group) on Ctrl-C; until then stay alive.
  const code = await server.exited;
  if (server.stopping) return; // Ctrl-C: host.mjs exits once everything is stopped
  console.error(`[demo] code-server exited unexpectedly (${code}); its log: ${server.logFile}`);
  process.exit(1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(`[demo] ${error.stack ?? error}`);
    process.exit(1);
  });
}
