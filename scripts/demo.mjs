// `npm run demo`: the real user experience in your browser. Builds and packages the extension,
// installs the .vsix into a fresh code-server (VS Code 1.139 for the web), opens a demo Python
// project with Workspace Trust ON, prints the URL and runs until Ctrl-C.
//
// Usage: npm run demo            (PORT=9000 npm run demo for another port; the next free one is used if busy)
//        npm run demo -- --no-package   skips build + package and installs the existing ppl-nix.vsix
// The demo project is .vscode-test/demo-workspace (copied once from test/fixtures/demo-workspace; delete it to reset).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// host.mjs needs nothing from node_modules at import time, so it can be imported before `npm ci`.
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

async function main() {
  const { extensionsDir } = await prepareDemo();
  const workspace = join(CACHE_DIR, 'demo-workspace');
  if (!existsSync(workspace)) {
    cpSync(join(ROOT, 'test/fixtures/demo-workspace'), workspace, { recursive: true });
    log(`demo workspace created: ${workspace}`);
  } else {
    log(`reusing demo workspace ${workspace} (delete it to start over)`);
  }
  const server = await startCodeServer({
    folder: workspace,
    extensionsDir,
    trust: true, // the real experience: the folder opens in Restricted Mode until the user trusts it
    settings: { 'workbench.startupEditor': 'readme' }, // opens the demo's README.md
    port: Number(process.env.PORT) || 8080,
  });
  const line = '='.repeat(72);
  console.log(
    `\n${line}\n  PPL Nix demo is running:  ${server.url}/?folder=${encodeURIComponent(workspace)}\n` +
      `  Open it in your browser (forward port ${server.port} if this is a remote machine).\n  Press Ctrl-C to stop.\n${line}\n`,
  );
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
