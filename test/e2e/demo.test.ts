// `npm run demo` works for a newcomer on a machine without the internet: the demo's own setup
// (scripts/lib/demo-setup.mjs, the function demo.mjs calls) on a fresh copy of the demo workspace,
// forced to its offline stand-in pin, then the whole path in the real UI (demoTour.ts): trust,
// Create with emcee, the environment enters, a terminal in the shell, the interpreter, "Add example
// model" and "Run in PPL Nix shell", up to the posterior the example prints. Its own code-server
// (the demo's options) and its own chromium (a webview in a second tab of the session's browser
// stayed blank).
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { newcomerTour, TOUR_SETTINGS } from './demoTour';
import { ROOT, RESULTS_DIR } from './support';

/** What scripts/lib/demo-setup.mjs and host.mjs give (plain JS, typed here). */
interface DemoSetup {
  mode: 'online' | 'offline' | 'no-nix';
  reason: string;
  pin?: { label: string; url: string; sha256: string; pythons: string[] };
  realModules: string[];
  serverOptions: { folder: string; env: Record<string, string>; trust: boolean; settings: Record<string, unknown> };
}
interface DemoServer {
  url: string;
  stop(): Promise<void>;
}
interface DemoBrowser {
  page: Page;
  close(): Promise<void>;
}
const load = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(ROOT, path)).href)) as T;

describe('The demo (npm run demo), offline', () => {
  let tmp: string;
  let server: DemoServer | undefined;
  let browser: DemoBrowser | undefined;

  after(async function () {
    this.timeout(30_000);
    await browser?.close();
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  });

  it('takes a newcomer from Create to the emcee example recovering the slope, on the offline stand-in pin', async function () {
    this.timeout(180_000);
    const started = Date.now();
    const steps: string[] = []; // when each step was done, since the test started
    const at = async (step: string): Promise<void> => void steps.push(`${step} ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const { setUpDemo, OFFLINE_PIN_LABEL } = await load<{
      setUpDemo(o: { workspace: string; stateDir: string; mode: 'offline'; log(m: string): void }): Promise<DemoSetup>;
      OFFLINE_PIN_LABEL: string;
    }>('scripts/lib/demo-setup.mjs');
    const host = await load<{ startCodeServer(o: object): Promise<DemoServer>; launchBrowser(): Promise<DemoBrowser> }>(
      'scripts/lib/host.mjs',
    );
    tmp = mkdtempSync(join(tmpdir(), 'ppl-nix-e2e-demo-'));
    const workspace = join(tmp, 'demo-workspace');
    cpSync(join(ROOT, 'test/fixtures/demo-workspace'), workspace, { recursive: true });
    const setup = await setUpDemo({ workspace, stateDir: join(tmp, 'state'), mode: 'offline', log: () => undefined });
    assert.equal(setup.mode, 'offline', setup.reason);
    assert.deepEqual(setup.realModules, ['emcee', 'numpy', 'scipy'], 'Debian python3-numpy, python3-scipy, python3-emcee are installed');
    const settings = JSON.parse(readFileSync(join(workspace, '.vscode/settings.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(settings['pplNix.customPins'], [setup.pin]);
    assert.match(readFileSync(join(workspace, 'README.md'), 'utf8'), /## This demo runs offline\n[^]*demo: offline stand-in for nixpkgs/);
    await at('set up');

    const extensionsDir = process.env['PPL_NIX_E2E_EXTENSIONS_DIR'];
    server = await host.startCodeServer({
      ...setup.serverOptions,
      extensionsDir,
      settings: { ...setup.serverOptions.settings, ...TOUR_SETTINGS }, // the README is read above
    });
    browser = await host.launchBrowser();
    await at('started');
    const { page } = browser;
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`); // the URL the demo prints
    try {
      const tour = await newcomerTour({ page, workspace, pin: OFFLINE_PIN_LABEL, at });
      assert.equal(tour.status, `demo-workspace (Python ${setup.pin!.pythons.at(-1)!})`, 'the Python the picker proposed');
      assert.ok(
        tour.switcher.some((row) => row.includes('shell.nix')),
        `the switcher lists shell.nix: ${tour.switcher.join(' | ')}`,
      );
      assert.match(
        tour.shellTerminal,
        /^\/nix\/store\/[a-z0-9]{32}-python3-[\d.]+-env\/bin\/python3?$/m,
        "the terminal's python is the environment's",
      );
      assert.equal(tour.interpreterPath, join(workspace, '.ppl-nix/demo-workspace/env/bin/python3'));
      assert.match(tour.tooltip, /nterpreter/);
      assert.match(
        tour.output,
        /^ {2}slope +posterior mean +(1\.[7-9]|2\.[0-2])\d* +true +2\.00/m,
        'the posterior mean of the slope is near 2',
      );
      assert.match(tour.output, /^OK: posterior means within tolerance$/m);
    } catch (error) {
      mkdirSync(RESULTS_DIR, { recursive: true });
      await page.screenshot({ path: join(RESULTS_DIR, 'demo-newcomer-failed.png') }).catch(() => undefined);
      throw error;
    }
    console.log(`      (${steps.join(', ')}; done at ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  });
});
