// The newcomer's path through `npm run demo`, in the real UI: trust the folder, Create a shell.nix
// with emcee on the demo's pin, the environment enters (status bar), the switcher, a terminal in
// the shell, the Python interpreter, "Add example model" and "Run in PPL Nix shell" up to the
// posterior the example prints. demo.test.ts checks what each step shows; scripts/screenshot.mjs
// photographs the same steps for the README (through the `at` hook), so the pictures show what
// the test proves. Not a test file itself: run-e2e.mjs only runs *.test.js.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { closePalette, eventually, openPalette, openPicker, waitForWorkbench } from './support';

export { openPicker, runCommand, setColorTheme } from './support';

/**
 * User settings for a code-server the tour drives, over the demo's: xterm's DOM renderer, so the
 * terminal's text can be read; and no README at start (the demo opens it, at times late, even after
 * the picker, whose place in front it then takes).
 */
export const TOUR_SETTINGS = { 'terminal.integrated.gpuAcceleration': 'off', 'workbench.startupEditor': 'none' };

export type TourStep = 'trusted' | 'picker' | 'entered' | 'switcher' | 'terminal' | 'interpreter' | 'output';

export interface TourOptions {
  page: Page;
  /** The demo workspace code-server opened (a copy of test/fixtures/demo-workspace). */
  workspace: string;
  /** The nixpkgs pin to choose in the picker (its label). */
  pin: string;
  /** Called when a step's result is on screen, before the tour moves on (screenshots). */
  at?: (step: TourStep) => Promise<void>;
}

export interface TourResult {
  /** The environment's name, as the picker proposed it (the folder's name). */
  name: string;
  /** The status bar item once the environment was entered. */
  status: string;
  /** The rows of the status-bar switcher. */
  switcher: string[];
  /** The terminal's text after asking its python who it is (inside the nix-shell). */
  shellTerminal: string;
  /** `python.defaultInterpreterPath` in the workspace settings. */
  interpreterPath: unknown;
  /** The status item's tooltip (says where the interpreter is set). */
  tooltip: string;
  /** The terminals' text once the example printed its verdict. */
  output: string;
}

/** The status bar item of PPL Nix's environment. */
export const statusItem = (page: Page): Locator => page.locator('[id="ppl-nix.ppl-nix.pplNix.environment"]');

/** The text of every terminal of the panel (xterm's DOM renderer, see TOUR_SETTINGS). */
export async function terminalText(page: Page): Promise<string> {
  return (await page.locator('.terminal-wrapper .xterm-rows').allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
}

/** Waits until the terminals show text matching `pattern`; returns all their text. */
export async function waitForTerminal(page: Page, pattern: RegExp, timeoutMs: number): Promise<string> {
  return eventually(async () => {
    const text = await terminalText(page);
    if (!pattern.test(text)) throw new Error(`the terminal never showed ${String(pattern)}; it shows:\n${text}`);
    return text;
  }, timeoutMs);
}

/** Trusts the folder the way a newcomer does: Restricted Mode in the status bar, then Trust. */
export async function trustFolder(page: Page): Promise<void> {
  await waitForWorkbench(page);
  const restricted = page.locator('.statusbar-item', { hasText: 'Restricted Mode' });
  // Workspace Trust is known a moment after the workbench shows: a fresh folder opens restricted.
  const known = await restricted
    .waitFor({ timeout: 20_000 })
    .then(() => true)
    .catch(() => false);
  if (!known) return; // trusted already
  // Early clicks can go unheard, and the Workspace Trust editor renders twice as it opens: retry
  // until the folder is trusted. (The banner's Manage link ignored clicks in headless chromium.)
  const trust = page.getByRole('button', { name: 'Trust', exact: true });
  await eventually(async () => {
    if ((await restricted.count()) === 0) return;
    if (!(await trust.isVisible())) await restricted.click({ timeout: 2_000 });
    await trust.click({ timeout: 3_000 });
    await restricted.waitFor({ state: 'detached', timeout: 3_000 });
  }, 30_000);
  // The Workspace Trust editor is a modal one: its close button (Escape only when it has the focus).
  const modal = page.locator('.monaco-modal-editor-block');
  await eventually(async () => {
    if ((await modal.count()) === 0) return;
    await modal.locator('.codicon-close').first().click({ timeout: 2_000 });
    await modal.waitFor({ state: 'detached', timeout: 2_000 });
  }, 15_000);
}

export async function newcomerTour(o: TourOptions): Promise<TourResult> {
  const { page } = o;
  const at = o.at ?? (async () => undefined);

  await trustFolder(page);
  await at('trusted');

  // Create: the demo's pin, emcee, a terminal and the interpreter afterwards (the defaults).
  const view = await openPicker(page);
  await view.getByLabel('nixpkgs').selectOption(o.pin);
  await view.getByRole('checkbox', { name: 'emcee', exact: true }).check();
  const name = await view.getByLabel('Environment name', { exact: true }).inputValue();
  for (const option of ['Open a terminal in the shell after creating', 'Use it as the Python interpreter']) {
    if (!(await view.getByLabel(option).isChecked())) throw new Error(`"${option}" is not ticked by default`);
  }
  await at('picker');
  await view.getByRole('button', { name: 'Create shell.nix', exact: true }).click();

  // Enter: the status bar names the environment once it is applied.
  const entered = statusItem(page).filter({ hasText: new RegExp(`${name} \\(Python 3\\.\\d+\\)`) });
  await entered.waitFor({ timeout: 90_000 });
  const status = (await entered.innerText()).trim();
  await at('entered');

  // The switcher: the folder's environments and what can be done with them.
  await statusItem(page).click();
  const rows = page.locator('.quick-input-list .monaco-list-row');
  await rows.first().waitFor({ timeout: 10_000 });
  const switcher = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  await at('switcher');
  await page.keyboard.press('Escape');

  // The terminal PPL Nix opened runs inside the nix-shell: its python is the environment's.
  await page
    .locator('.terminal-tabs-entry, .single-terminal-tab')
    .filter({ hasText: `PPL Nix: ${name}` })
    .first()
    .waitFor({ timeout: 30_000 });
  await waitForTerminal(page, /\[nix-shell:[^\]]*\][$#]/, 60_000);
  await page.locator('.terminal-wrapper.active .xterm-screen').click();
  await page.keyboard.type(`python -c 'import sys, emcee; print(sys.executable); print("emcee", emcee.__version__)'\n`);
  const shellTerminal = await waitForTerminal(page, /^emcee \d/m, 30_000);
  await at('terminal');

  // The interpreter: the workspace setting points into .ppl-nix/<name>/env, and the tooltip says so.
  const settingsFile = join(o.workspace, '.vscode/settings.json');
  const interpreterPath = await eventually(async () => {
    const value = (JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>)['python.defaultInterpreterPath'];
    if (value === undefined) throw new Error(`python.defaultInterpreterPath is not set in ${settingsFile}`);
    return value;
  });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: '.vscode' }).click();
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'settings.json' }).click();
  await page.locator('.tab.active', { hasText: 'settings.json' }).waitFor({ timeout: 15_000 });
  await statusItem(page).hover();
  const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: /nterpreter/ });
  await hover.first().waitFor({ timeout: 10_000 });
  const tooltip = (await hover.first().innerText()).trim();
  await at('interpreter');
  await page.mouse.move(600, 300);

  // The example model, and running it in the shell from the lens above its first line.
  // (Not runCommand(): the command opens a quick pick of its own, so the widget never hides.)
  await closePalette(page);
  await openPalette(page);
  await page.locator('.quick-input-widget input.input').fill('>PPL Nix: Add example model');
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'PPL Nix: Add example model' }).waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Add example model' }).waitFor({ timeout: 15_000 });
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'emcee' }).first().click();
  await page.locator('.tab.active', { hasText: 'emcee_linear_regression.py' }).waitFor({ timeout: 30_000 });
  const lens = page.locator('.codelens-decoration a', { hasText: 'Run in PPL Nix shell' });
  await lens.waitFor({ timeout: 30_000 });
  await lens.click();
  const output = await waitForTerminal(page, /OK: posterior means within tolerance|FAILED: |Traceback/, 90_000);
  await at('output');
  return { name, status, switcher, shellTerminal, interpreterPath, tooltip, output };
}
