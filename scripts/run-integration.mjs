// Runs the integration tests (test/integration, compiled to out/test/integration) inside a real
// VS Code extension host: code-server + headless chromium, with this repo as the extension under
// development. Builds nothing: run `node scripts/build.mjs` first.
//
// Usage: node scripts/run-integration.mjs [--trust] [--grep PATTERN] [--env KEY=VALUE]... [--workspace DIR] [--timeout SECONDS]
//                                          [--extension-development-path DIR]
//   --trust       Workspace Trust ON: the (untrusted) workspace opens in Restricted Mode
//   --grep        only the tests matching PATTERN (as PPL_NIX_TEST_GREP in the extension host)
//   --env         extra variable for the extension host; PPL_NIX_* variables of this process pass anyway
//   --workspace   folder to copy and open instead of test/fixtures/workspace
//   --extension-development-path   the extension to load (default: this repo), to check the harness itself
// Exits with the tests' exit code (0 = all passed).
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format, parseArgs } from 'node:util';
import { ROOT, addCleanup, interrupted, launchBrowser, log, startCodeServer } from './lib/host.mjs';

const { values: opts } = parseArgs({
  options: {
    trust: { type: 'boolean', default: false },
    grep: { type: 'string' },
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
  /^(Resolving|Resolved) connection token/, /^Creating a socket/, /^\[reconnection-grace-time\]/, /^\[Service Worker\]/,
  /^Ignoring fetching additional builtin extensions/, /^Updating additional builtin extensions cache/, /^\[AccountPolicyGate\]/,
  /^\[AgentHost/, /^No search provider registered/, /^Canceled: Canceled/, /authentication provider 'github'/,
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

// A fresh copy of the workspace each run: tests may write into it (shell.nix, .vscode/...).
const tmp = mkdtempSync(join(tmpdir(), 'ppl-nix-integration-'));
const workspace = join(tmp, 'workspace');
cpSync(resolve(opts.workspace), workspace, { recursive: true });
addCleanup(() => rmSync(tmp, { recursive: true, force: true, maxRetries: 3 })); // also on Ctrl-C

let server;
let browser;
let exitCode = 1;
try {
  server = await startCodeServer({
    folder: workspace,
    extensionDevelopmentPath: resolve(opts['extension-development-path']),
    env,
    trust: opts.trust,
    // With trust ON, open in Restricted Mode without the modal "Do you trust the authors?" dialog.
    settings: { 'workbench.startupEditor': 'none', 'security.workspace.trust.startupPrompt': 'never' },
  });
  browser = await launchBrowser();
  const { page } = browser;

  // The smoke-test driver reports through these two window functions: expose them before loading.
  let finish;
  const finished = new Promise((r) => { finish = r; });
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
  const timedOut = new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); });
  const result = await Promise.race([finished, timedOut]);
  clearTimeout(timer);
  if (result === 'timeout') {
    console.error(`[integration] FAILED: no result after ${opts.timeout} s. Either a test hangs or the extension host never ` +
      'ran the tests (payload ignored?). PPL_NIX_DEBUG=1 prints all workbench logs. Last lines of the code-server log:');
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
