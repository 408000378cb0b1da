// The real VS Code host used offline by the integration tests, the e2e tests and `npm run demo`:
// code-server (= VS Code in a browser) driven by Debian's headless chromium through playwright-core.
// @vscode/test-electron cannot download VS Code here; code-server comes from the npm registry.
//
//   ensureCodeServer()           installs Node 24 + code-server into .vscode-test/ once (code-server-install.mjs)
//   startCodeServer({ folder })  starts it on a free port → { url, port, authority, workbenchUrl(), stop() }
//   installExtension(vsix, dir)  `code-server --install-extension`, as a user does
//   launchBrowser()              headless chromium → { context, page, close() }
//
// Plain ESM JavaScript: it runs with the machine's Node 20 before anything is built.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, CODE_SERVER_VERSION, ensureCodeServer, log, timed } from './code-server-install.mjs';

export { CACHE_DIR, CHROMIUM, CODE_SERVER_VERSION, NODE_VERSION, ROOT, ensureCodeServer, log } from './code-server-install.mjs';

// ---------------------------------------------------------------------------------------------
// code-server

/** A free TCP port on 127.0.0.1; the preferred one (and the next few) first when given. */
export async function freePort(preferred) {
  const tryPort = (port) =>
    new Promise((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const { port: bound } = server.address(); // read before close(): address() is null afterwards
        server.close(() => resolve(bound));
      });
    });
  for (let port = preferred ?? 0; preferred && port < preferred + 20; port++) {
    if (await tryPort(port)) return port;
  }
  return tryPort(0);
}

/** The environment for code-server: no leaked VS Code variables, HOME/XDG in a temp dir, no gallery. */
function serverEnv(tmp, port, env) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VSCODE_') && k !== 'ELECTRON_RUN_AS_NODE'));
  const home = join(tmp, 'home');
  for (const dir of ['.config', '.local/share', '.cache']) mkdirSync(join(home, dir), { recursive: true });
  return {
    ...clean,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local/share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    PORT: String(port), // code-server lets $PORT override --bind-addr: keep them equal
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: '' }), // offline: never ask a marketplace
    ...env, // the caller's variables last: they reach the extension host (e.g. PPL_NIX_TEST_*)
  };
}

/** Pids of every process below pid (terminals run in their own sessions, outside our process group). */
function descendants(pid) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      /* process ended meanwhile */
    }
  }
  const result = [];
  const walk = (p) =>
    (children.get(p) ?? []).forEach((c) => {
      result.push(c);
      walk(c);
    });
  walk(pid);
  return result;
}

const running = new Set(); // stop()/close() of servers and browsers still up, run on Ctrl-C / exit
let signalsHooked = false;
let interruptedBy;
/** The signal that is stopping this process (scripts then skip their own failure reporting), if any. */
export const interrupted = () => interruptedBy;
function hookSignals() {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, async () => {
      interruptedBy = signal;
      log(`${signal}: stopping code-server / chromium`);
      await Promise.allSettled([...running].map((stop) => stop()));
      process.exit(130);
    });
  }
  // Last resort (process.exit() anywhere): synchronous kill of the code-server process groups.
  process.once('exit', () => running.forEach((stop) => stop.killNow?.()));
}

/** Runs fn (sync or async) on Ctrl-C / SIGTERM too, e.g. to delete a temp dir; returns a remover. */
export function addCleanup(fn) {
  const cleanup = async () => {
    running.delete(cleanup);
    await fn();
  };
  running.add(cleanup);
  hookSignals();
  return () => running.delete(cleanup);
}

/**
 * Starts code-server on 127.0.0.1 and waits until it answers HTTP.
 * @param {object} o
 * @param {string} o.folder                      folder opened by the workbench
 * @param {string} [o.extensionDevelopmentPath]  for workbenchUrl() payloads (extension under development)
 * @param {string} [o.extensionsDir]             installed extensions (default: an empty temp dir)
 * @param {Record<string,string>} [o.env]        extra environment, reaches the extension host
 * @param {boolean} [o.trust]                    Workspace Trust ON (Restricted Mode possible); default OFF
 * @param {object} [o.settings]                  extra user settings
 * @param {number} [o.port]                      preferred port (default: any free port)
 */
export async function startCodeServer(o) {
  const cs = await ensureCodeServer();
  const t0 = Date.now();
  const port = await freePort(o.port);
  const tmp = mkdtempSync(join(tmpdir(), 'ppl-nix-code-server-'));
  const userDataDir = join(tmp, 'user-data');
  const extensionsDir = o.extensionsDir ?? join(tmp, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const settings = {
    'telemetry.telemetryLevel': 'off',
    'chat.disableAIFeatures': true,
    'security.workspace.trust.enabled': Boolean(o.trust),
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden', // the (empty, AI-less) chat side bar
    ...o.settings,
  };
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  const args = [
    cs.entry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    // Without VS Code's smoke-test driver the ?payload= (extensionTestsPath) is silently ignored.
    '--vscode-option',
    'enable-smoke-test-driver',
    ...(o.trust ? [] : ['--disable-workspace-trust']),
    o.folder,
  ];
  const logFile = join(tmp, 'code-server.log');
  const out = openSync(logFile, 'a');
  // detached: own process group, so stop() can kill code-server with its extension host and helpers.
  const child = spawn(cs.node, args, { detached: true, stdio: ['ignore', out, out], env: serverEnv(tmp, port, o.env) });
  let exited = false;
  const exitedPromise = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      exited = true;
      resolve(code ?? signal);
    }),
  );

  const killNow = () => {
    if (exited) return;
    for (const pid of [...descendants(child.pid), -child.pid]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
  let stopping; // the promise of the first stop(): later calls (signal handler + finally) share it
  const stop = () =>
    (stopping ??= (async () => {
      running.delete(stop);
      if (!exited) {
        const pids = descendants(child.pid);
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
        const deadline = Date.now() + 5000;
        while (!exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        for (const pid of [...pids, -child.pid]) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* already gone */
          }
        }
      }
      rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
    })());
  stop.killNow = killNow;
  running.add(stop);
  hookSignals();

  const url = `http://127.0.0.1:${port}`;
  const logTail = () => readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) {
      const tail = logTail();
      await stop();
      throw new Error(`code-server exited during startup:\n${tail}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      const tail = logTail();
      await stop();
      throw new Error(`code-server did not answer on ${url} within 90 s:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  log(`code-server ${CODE_SERVER_VERSION} up at ${url} in ${((Date.now() - t0) / 1000).toFixed(1)} s (pid ${child.pid}, log ${logFile})`);

  const authority = `127.0.0.1:${port}`; // also what vscode.env.remoteName reports in the extension host
  return {
    url,
    port,
    authority,
    folder: o.folder,
    extensionsDir,
    userDataDir,
    logFile,
    pid: child.pid,
    stop,
    exited: exitedPromise, // resolves with the exit code (or signal) when code-server ends
    get stopping() {
      return Boolean(stopping);
    }, // true once stop() was called (an exit is then expected)
    /** URL opening the folder, optionally running extension tests (needs the smoke-test driver). */
    workbenchUrl({ folder = o.folder, extensionDevelopmentPath = o.extensionDevelopmentPath, extensionTestsPath } = {}) {
      const remote = (path) => `vscode-remote://${authority}${path}`;
      const payload = [['skipWelcome', 'true']];
      if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
      if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
      return `${url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    },
  };
}

/** Installs a .vsix into an extensions dir the way a user does (`code-server --install-extension`). */
export async function installExtension(vsix, extensionsDir) {
  const cs = await ensureCodeServer();
  const tmp = mkdtempSync(join(tmpdir(), 'ppl-nix-install-'));
  mkdirSync(extensionsDir, { recursive: true });
  await timed(`install ${vsix} into ${extensionsDir}`, () => {
    const r = spawnSync(
      cs.node,
      [cs.entry, '--extensions-dir', extensionsDir, '--user-data-dir', join(tmp, 'user-data'), '--install-extension', vsix, '--force'],
      { encoding: 'utf8', env: serverEnv(tmp, 0, {}) },
    );
    rmSync(tmp, { recursive: true, force: true });
    if (r.status !== 0 || /failed|error/i.test(r.stderr)) throw new Error(`--install-extension failed: ${r.stdout}${r.stderr}`);
  });
}

// ---------------------------------------------------------------------------------------------
// Browser

/**
 * Headless Debian chromium with a fresh profile (deleted by close()).
 * @param {{ width?: number, height?: number, headless?: boolean }} [o]
 */
export async function launchBrowser(o = {}) {
  const { chromium } = await import('playwright-core'); // lazily: demo.mjs imports this file before `npm ci`
  const profile = mkdtempSync(join(tmpdir(), 'ppl-nix-chromium-'));
  // Interrupted while chromium starts (close() not yet registered): playwright kills it on exit; remove its profile too.
  process.once('exit', () => rmSync(profile, { recursive: true, force: true }));
  const t0 = Date.now();
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: o.headless ?? true,
    viewport: { width: o.width ?? 1280, height: o.height ?? 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
    // Our own signal handler closes browser and server together (playwright's would exit first).
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  log(`chromium up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  let closing; // shared by every caller: the profile is removed only after chromium has exited
  const close = () =>
    (closing ??= (async () => {
      running.delete(close);
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    })());
  running.add(close);
  hookSignals();
  return { context, page, close };
}
