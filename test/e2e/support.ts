// End-to-end test support: one code-server (with the packaged extension installed, as a user would)
// and one headless chromium page per run, plus helpers to drive the workbench.
// scripts/run-e2e.mjs loads this file with `mocha --require`, so mochaHooks below start/stop them.
// Each *.test.ts bundles its own copy of this module: the shared state lives on globalThis.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, FrameLocator, Page } from 'playwright-core';
import { nixTestEnv, packFixture, type PackedFixture } from '../nix/fixture';

/** Repository root (this file runs from out/test/e2e/). */
export const ROOT = resolve(__dirname, '../../..');
export const RESULTS_DIR = join(ROOT, 'test-results');

/** What scripts/lib/host.mjs returns (plain JS, typed here). */
interface Server {
  url: string;
  authority: string;
  folder: string;
  stop(): Promise<void>;
  workbenchUrl(o?: { folder?: string }): string;
}
interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}
interface Host {
  startCodeServer(o: {
    folder: string;
    extensionsDir?: string;
    env?: Record<string, string>;
    trust?: boolean;
    settings?: object;
  }): Promise<Server>;
  launchBrowser(o?: { width?: number; height?: number }): Promise<Browser>;
  addCleanup(fn: () => void | Promise<void>): () => void;
}

export interface Session {
  server: Server;
  browser: Browser;
  page: Page;
  /** The opened workspace: a temp copy of test/fixtures/workspace. */
  workspace: string;
  /** The fixture nixpkgs, offered in the workspace as the custom pin "fixture". */
  fixture: PackedFixture;
  /** The environment Nix runs with (offline settings), also given to code-server. */
  nixEnv: NodeJS.ProcessEnv;
}

/** Shared by every bundle that includes this module (see above). */
const shared = globalThis as typeof globalThis & { __pplNixE2E?: (Session & { tmp: string }) | undefined };

/** The running session (started by the root hooks). */
export function session(): Session {
  const s = shared.__pplNixE2E;
  if (!s) throw new Error('no e2e session: run through scripts/run-e2e.mjs (mocha --require out/test/e2e/support.js)');
  return s;
}

async function start(): Promise<void> {
  // A variable path keeps esbuild from bundling host.mjs (it uses import.meta.url for its paths).
  const hostPath = join(ROOT, 'scripts/lib/host.mjs');
  const host = (await import(pathToFileURL(hostPath).href)) as Host;
  const extensionsDir = process.env['PPL_NIX_E2E_EXTENSIONS_DIR'];
  if (!extensionsDir) throw new Error('PPL_NIX_E2E_EXTENSIONS_DIR is not set: run through scripts/run-e2e.mjs');
  const tmp = mkdtempSync(join(tmpdir(), 'ppl-nix-e2e-'));
  const workspace = join(tmp, 'workspace');
  cpSync(join(ROOT, 'test/fixtures/workspace'), workspace, { recursive: true });
  host.addCleanup(() => rmSync(tmp, { recursive: true, force: true, maxRetries: 3 })); // also on Ctrl-C
  // The fixture nixpkgs as a custom pin of the workspace, as a user would add a mirror.
  const fixture = await packFixture();
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  const pin = { label: 'fixture', url: fixture.url, sha256: fixture.sha256, pythons: ['3.11', '3.12', '3.13'] };
  writeFileSync(join(workspace, '.vscode/settings.json'), `${JSON.stringify({ 'pplNix.customPins': [pin] }, null, 2)}\n`);
  // Nix in the extension host and its terminals runs offline on the fixture (NIX_CONFIG, NIX_PATH).
  const nixEnv = nixTestEnv();
  const passed = Object.fromEntries(['NIX_CONFIG', 'NIX_PATH'].map((name) => [name, nixEnv[name] ?? '']));
  const server = await host.startCodeServer({
    folder: workspace,
    extensionsDir,
    env: passed,
    settings: { 'workbench.startupEditor': 'none' },
  });
  const browser = await host.launchBrowser();
  shared.__pplNixE2E = { server, browser, page: browser.page, workspace, tmp, fixture, nixEnv };
  await browser.page.goto(server.workbenchUrl());
  await waitForWorkbench(browser.page);
}

async function stop(): Promise<void> {
  const s = shared.__pplNixE2E;
  shared.__pplNixE2E = undefined;
  await s?.browser.close();
  await s?.server.stop();
  if (s) rmSync(s.tmp, { recursive: true, force: true, maxRetries: 3 });
}

/**
 * Waits until the workbench shows the opened folder and has restored its contributions: the status
 * bar's problems item appears late, after Workspace Trust is known (palette enablement depends on it).
 */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('[id="status.problems"]').waitFor({ state: 'visible', timeout: 60_000 });
}

/** Opens the quick input in command mode. F1 alone is racy (e.g. focus in a terminal): retry. */
export async function openPalette(page: Page): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  for (let attempt = 0; attempt < 5; attempt++) {
    if (!(await input.isVisible())) {
      await page
        .locator('.monaco-workbench')
        .click({ position: { x: 5, y: 5 }, force: true })
        .catch(() => {});
      await page.keyboard.press('F1');
    }
    try {
      await input.waitFor({ state: 'visible', timeout: 2_000 });
      return;
    } catch {
      await page.keyboard.press('Escape');
    }
  }
  throw new Error('the command palette did not open');
}

/** Fills a freshly opened palette with `>text`; returns the labels of the rows shown (rendered ones). */
export async function paletteRows(page: Page, text: string): Promise<string[]> {
  await closePalette(page); // a fresh palette re-evaluates which commands are enabled
  await openPalette(page);
  await page.locator('.quick-input-widget input.input').fill(`>${text}`);
  const rows = page.locator('.quick-input-list .monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: 10_000 });
  return (await rows.locator('.label-name').allTextContents()).map((t) => t.trim());
}

export async function closePalette(page: Page): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  if (await widget.isVisible()) {
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: 5_000 });
  }
}

/** Retries fn until it stops throwing: the workbench settles asynchronously (trust, extension host). */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Runs a command by its palette title ("PPL Nix: Show Log"), the way a user does. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await closePalette(page);
  await openPalette(page);
  await page.locator('.quick-input-widget input.input').fill(`>${title}`);
  // Enter only once the wanted command is the focused row (the list filters asynchronously).
  const focused = page.locator('.quick-input-list .monaco-list-row.focused .label-name');
  await focused.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) }).waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The DOM inside the (last opened) webview: VS Code nests the content in iframe#active-frame. */
export function webviewFrame(page: Page): FrameLocator {
  return page.locator('iframe.webview').last().contentFrame().frameLocator('iframe#active-frame');
}

/** Opens (or reveals) the picker with the palette command; returns its frame once the form is there. */
export async function openPicker(page: Page): Promise<FrameLocator> {
  await runCommand(page, 'PPL Nix: Create PPL Nix shell');
  const view = webviewFrame(page);
  await view.getByRole('heading', { name: 'Create PPL Nix shell' }).waitFor({ timeout: 30_000 });
  await view.getByLabel('Preview of the file').waitFor({ timeout: 30_000 });
  return view;
}

/** Chooses a colour theme the way a user does ("Preferences: Color Theme"), then waits for the workbench to wear it. */
export async function setColorTheme(page: Page, theme: string, workbenchClass: string): Promise<void> {
  // "Preferences: Color Theme" is not the first row (the Marketplace one is): click it by name.
  await closePalette(page);
  await openPalette(page);
  await page.locator('.quick-input-widget input.input').fill('>Preferences: Color Theme');
  await page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: /^\s*Preferences: Color Theme\s*$/ }) })
    .click();
  await page.locator('.quick-input-widget input.input').fill(theme);
  await page.locator('.quick-input-list .monaco-list-row.focused').filter({ hasText: theme }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`.monaco-workbench.${workbenchClass}`).waitFor({ timeout: 15_000 });
}

/** Saves test-results/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path });
  return path;
}

/** A CSS colour (#rgb, #rrggbb, #rrggbbaa, rgb(), rgba()) as "r,g,b,a" with a in 0..1 (two decimals). */
export function rgb(colour: string): string {
  const hex = /^#([0-9a-f]{3,8})$/i.exec(colour.trim())?.[1];
  let parts: number[];
  if (hex !== undefined) {
    const full = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
    parts = [0, 2, 4, 6].map((i) => (i < full.length ? parseInt(full.slice(i, i + 2), 16) : 255));
    parts[3] = parts[3]! / 255;
  } else {
    parts = (/rgba?\(([^)]*)\)/.exec(colour)?.[1] ?? '')
      .split(/[ ,/]+/)
      .filter(Boolean)
      .map(Number);
    if (parts.length === 3) parts.push(1);
  }
  return parts.map((n, i) => (i === 3 ? n.toFixed(2) : String(Math.round(n)))).join(',');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Mocha root hooks (mocha --require): one server and browser for the whole run. */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(180_000);
    await start();
  },
  async afterEach(this: Mocha.Context): Promise<void> {
    const test = this.currentTest;
    const s = shared.__pplNixE2E;
    if (s && test?.state === 'failed') {
      const path = await screenshot(s.page, `${test.fullTitle()}-failed`).catch(() => undefined);
      if (path) console.log(`    screenshot: ${path}`);
    }
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(30_000);
    await stop();
  },
};
