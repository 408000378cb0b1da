// Runs the integration tests (test/integration, compiled to out/test/integration) inside a real
// VS Code extension host: code-server + headless chromium, with this repo as the extension under
// development. Builds nothing: run `node scripts/build.mjs` first.
//
// Usage: node scripts/run-integration.mjs [--trust] [--grep PATTERN] [--env KEY=VALUE]... [--workspace DIR] [--timeout SECONDS]
//                                          [--extension-development-path DIR]
//   --trust       Workspace Trust ON: the (untrusted) workspace opens in Restricted Mode
//   --grep        only the tests matching PATTERN (as PPL_NIX_TEST_GREP in the extension host)
//   --invert      with --grep: every test but those
//   --extra-extension DIR   also load this extension (e.g. test/fixtures/python-setting-standin)
//   --env         extra variable for the extension host; PPL_NIX_* variables of this process pass anyway
//   --workspace   folder to copy and open instead of test/fixtures/workspace
//   --extension-development-path   the extension to load (default: this repo), to check the harness itself
// Exits with the tests' exit code (0 = all passed).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { format, parseArgs } from 'node:util';
import { ROOT, addCleanup, installExtension, interrupted, launchBrowser, log, startCodeServer } from './lib/host.mjs';

const { values: opts } = parseArgs({
  options: {
    trust: { type: 'boolean', default: false },
    grep: { type: 'string' },
    invert: { type: 'boolean', default: false },
    'extra-extension': { type: 'string', multiple: true, default: [] },
    env: { type: 'string', multiple: true, default: [] },
    workspace: { type: 'string', default: join(ROOT, 'test/fixtures/workspace') },
    timeout: { type: 'string', default: '300' },
    'extension-development-path': { type: 'string', default: ROOT },
  },
});

const started = Date.now();
const debug = Boolean(process.env.PPL_NIX_DEBUG); // prints every workbench log line, and the browser console
/** Workbench chatter of an offline code-server, hidden unless PPL_NIX_DEBUG is set. */
const NOISE = [
  /^(Resolving|Resolved) connection token/,
  /^Creating a socket/,
  /^\[reconnection-grace-time\]/,
  /^\[Service Worker\]/,
  /^Ignoring fetching additional builtin extensions/,
  /^Updating additional builtin extensions cache/,
  /^\[AccountPolicyGate\]/,
  /^\[AgentHost/,
  /^No search provider registered/,
  /^Canceled: Canceled/,
  /authentication provider 'github'/,
];
const testsEntry = join(ROOT, 'out/test/integration/index.js');
for (const file of [join(ROOT, 'dist/extension.js'), testsEntry]) {
  if (!existsSync(file)) {
    console.error(`[integration] ${file} is missing: run node scripts/build.mjs first`);
    process.exit(2);
  }
}

// Variables for the extension host: env of the code-server process reaches it.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('PPL_NIX_')));
for (const pair of opts.env) {
  const eq = pair.indexOf('=');
  if (eq < 1) throw new Error(`--env expects KEY=VALUE, got ${pair}`);
  env[pair.slice(0, eq)] = pair.slice(eq + 1);
}
if (opts.grep) env.PPL_NIX_TEST_GREP = opts.grep;
if (opts.invert) env.PPL_NIX_TEST_INVERT = '1';
// Nix in the extension host runs offline on the fixture: the same settings as the Nix tier
// (NIX_CONFIG, NIX_PATH; never /etc/nix). Compiled helper from test/nix/fixture.ts.
const fixtureHelper = join(ROOT, 'out/test/nix/fixture.js');
if (existsSync(fixtureHelper)) {
  const { nixTestEnv } = createRequire(import.meta.url)(fixtureHelper);
  const nixEnv = nixTestEnv();
  for (const name of ['NIX_CONFIG', 'NIX_PATH']) if (nixEnv[name] !== undefined) env[name] = nixEnv[name];
}

// A fresh copy of the workspace each run: tests may write into it (shell.nix, .vscode/...).
const tmp = mkdtempSync(join(tmpdir(), 'ppl-nix-integration-'));
const workspace = join(tmp, 'workspace');
cpSync(resolve(opts.workspace), workspace, { recursive: true });
addCleanup(() => rmSync(tmp, { recursive: true, force: true, maxRetries: 3 })); // also on Ctrl-C

/** Installs extra extensions (folders, packaged with vsce) the way a user would; only one extension can be under development. */
async function installExtras(dirs, extensionsDir) {
  mkdirSync(extensionsDir, { recursive: true });
  for (const dir of dirs) {
    const vsix = join(tmp, `${basename(dir)}.vsix`);
    const packed = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/@vscode/vsce/vsce'),
        'package',
        '--no-dependencies',
        '--allow-missing-repository',
        '--skip-license',
        '-o',
        vsix,
      ],
      { cwd: resolve(dir), encoding: 'utf8', input: 'y\n' },
    );
    if (packed.status !== 0) throw new Error(`vsce package ${dir} failed: ${packed.stdout}${packed.stderr}`);
    await installExtension(vsix, extensionsDir);
  }
  return extensionsDir;
}

let server;
let browser;
let exitCode = 1;
try {
  server = await startCodeServer({
    folder: workspace,
    extensionDevelopmentPath: resolve(opts['extension-development-path']),
    extensionsDir: await installExtras(opts['extra-extension'], join(tmp, 'extensions')),
    env,
    trust: opts.trust,
    // With trust ON, open in Restricted Mode without the modal "Do you trust the authors?" dialog.
    settings: { 'workbench.startupEditor': 'none', 'security.workspace.trust.startupPrompt': 'never' },
  });
  browser = await launchBrowser();
  const { page } = browser;

  // The smoke-test driver reports through these two window functions: expose them before loading.
  let finish;
  const finished = new Promise((r) => {
    finish = r;
  });
  await page.exposeFunction('codeAutomationLog', (level, args) => {
    // Workbench and extension host logs both arrive here, console-style (mocha: format string + args).
    const text = format(...(Array.isArray(args) ? args : [args]));
    if (debug) return console.log(`[${level}] ${text}`);
    if (NOISE.some((re) => re.test(text))) return;
    (level === 'error' ? process.stderr : process.stdout).write(`${text}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => finish(Number(code)));
  if (debug) page.on('console', (m) => m.type() !== 'log' && console.log(`[browser ${m.type()}] ${m.text()}`));

  const timeoutMs = Number(opts.timeout) * 1000;
  log(`running ${testsEntry} in the extension host${opts.trust ? ' (Workspace Trust ON)' : ''}`);
  await page.goto(server.workbenchUrl({ extensionTestsPath: testsEntry }));
  let timer;
  const timedOut = new Promise((r) => {
    timer = setTimeout(() => r('timeout'), timeoutMs);
  });
  const result = await Promise.race([finished, timedOut]);
  clearTimeout(timer);
  if (result === 'timeout') {
    console.error(
      `[integration] FAILED: no result after ${opts.timeout} s. Either a test hangs or the extension host never ` +
        'ran the tests (payload ignored?). PPL_NIX_DEBUG=1 prints all workbench logs. Last lines of the code-server log:',
    );
    console.error(readFileSync(server.logFile, 'utf8').split('\n').slice(-30).join('\n'));
    exitCode = 1;
  } else {
    exitCode = result;
  }
} catch (error) {
  if (!interrupted()) console.error(`[integration] FAILED to run: ${error.stack ?? error}`);
  exitCode = 2;
} finally {
  await browser?.close();
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
}
if (interrupted()) process.exit(130); // the signal handler finishes the cleanup
log(`integration tests ${exitCode === 0 ? 'passed' : `FAILED (exit ${exitCode})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(exitCode);
