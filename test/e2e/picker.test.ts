// "Create PPL Nix shell" as a user does it: the palette, clicks in the webview, the real
// overwrite dialog; then real Nix parses and enters what was written.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../nix/fixture';
import { eventually, rgb, runCommand, screenshot, session, setColorTheme, waitForWorkbench, webviewFrame } from './support';

describe('Create PPL Nix shell, by clicking', () => {
  it('creates a pinned shell.nix for PyMC + ArviZ that nix-shell enters', async function () {
    this.timeout(120_000);
    const { page, workspace, fixture, nixEnv } = session();
    await runCommand(page, 'View: Hide Panel').catch(() => undefined); // room for the picker
    await runCommand(page, 'PPL Nix: Create PPL Nix shell');
    const view = webviewFrame(page);
    await view.getByRole('heading', { name: 'Create PPL Nix shell' }).waitFor({ timeout: 30_000 });
    await view.getByLabel('nixpkgs').selectOption('fixture');
    await view.getByLabel('Python', { exact: true }).selectOption('3.12');
    await view.getByRole('checkbox', { name: 'PyMC', exact: true }).check();
    // Choosing PyMC suggests ArviZ.
    await view.getByRole('button', { name: 'Add ArviZ' }).waitFor();
    await view.getByRole('checkbox', { name: 'ArviZ', exact: true }).check();
    await view.getByRole('button', { name: 'Add ArviZ' }).waitFor({ state: 'detached' });
    const preview = view.getByLabel('Preview of the file');
    await eventually(async () => assert.match((await preview.textContent()) ?? '', /python312\.withPackages[\s\S]*pymc[\s\S]*arviz/));
    const shown = (await preview.textContent()) ?? '';
    await view.getByRole('heading', { name: 'Create PPL Nix shell' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'picker-default-theme'); // (the README's pictures in media/screenshots/ are made by scripts/screenshot.mjs)

    await view.getByRole('button', { name: 'Create shell.nix', exact: true }).click();
    await view.getByRole('status').filter({ hasText: 'shell.nix created' }).waitFor({ timeout: 30_000 });
    const file = join(workspace, 'shell.nix');
    const text = readFileSync(file, 'utf8');
    assert.equal(text, shown, 'the file is exactly what the preview showed');
    for (const expected of [fixture.url, fixture.sha256, 'python312', 'withPackages', 'pymc', 'arviz', 'mkShell'])
      assert.ok(text.includes(expected), expected);
    const parsed = await run('nix-instantiate', ['--parse', file], { env: nixEnv });
    assert.equal(parsed.code, 0, parsed.stderr);
    const entered = await run('nix-shell', [file, '--run', 'python -c "import pymc, arviz, sys; print(sys.executable)"'], {
      env: nixEnv,
      timeoutMs: 60_000,
    });
    assert.equal(entered.code, 0, entered.stderr);
    assert.match(entered.stdout, /^\/nix\/store\//m);
    // "Open a terminal in the shell after creating" is on by default: a terminal named after the environment.
    await page
      .locator('.terminal-tabs-entry, .single-terminal-tab, .terminal-outer-container')
      .first()
      .waitFor({ timeout: 20_000 })
      .catch(() => undefined);
    await eventually(async () =>
      assert.ok((await page.getByText('PPL Nix: workspace').count()) > 0, 'a terminal named "PPL Nix: workspace"'),
    );
  });

  it('after Create, the status item shows the environment, lists it with "Create…", and a reload re-enters it from the cache', async function () {
    this.timeout(120_000);
    const { page, workspace } = session();
    const status = page.getByRole('button', { name: /^PPL Nix: workspace \(Python 3\.12\)/ });
    await status.waitFor({ timeout: 60_000 });
    const settings = JSON.parse(readFileSync(join(workspace, '.vscode/settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(settings['python.defaultInterpreterPath'], join(workspace, '.ppl-nix/workspace/env/bin/python3'));
    assert.ok(settings['pplNix.customPins'], 'the user settings in the file were kept');
    await status.click();
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'shell.nix' }).first().waitFor();
    await rows.filter({ hasText: 'Create PPL Nix shell…' }).waitFor();
    await screenshot(page, 'status-switcher');
    await page.keyboard.press('Escape');
    // Reload the way a user does (the workbench saves its state, webview state included, on the way out).
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('load', { timeout: 30_000 }).catch(() => undefined);
    await waitForWorkbench(page);
    await status.waitFor({ timeout: 60_000 });
    // The picker came back with its state (webview state + serializer).
    const view = webviewFrame(page);
    await view.getByRole('heading', { name: 'Create PPL Nix shell' }).waitFor({ timeout: 30_000 });
    assert.ok(await view.getByRole('checkbox', { name: 'PyMC', exact: true }).isChecked());
    assert.equal(await view.getByLabel('nixpkgs').inputValue(), 'fixture');
    await runCommand(page, 'PPL Nix: Show Log');
    await page.locator('.part.panel').getByText('from cache (no Nix process)').first().waitFor({ timeout: 20_000 });
    await runCommand(page, 'View: Hide Panel').catch(() => undefined);
  });

  it('shows an inline message and disables Create for an invalid package name', async () => {
    const view = webviewFrame(session().page);
    const extra = view.getByLabel('Extra Python packages', { exact: true });
    await extra.fill('tqdm not;valid');
    await view.getByText('"not;valid" is not a Nix attribute name', { exact: false }).waitFor();
    assert.equal(await extra.getAttribute('aria-invalid'), 'true');
    // shell.nix exists now, written by PPL Nix: the button updates it.
    assert.ok(await view.getByRole('button', { name: 'Update shell.nix', exact: true }).isDisabled());
    await extra.fill('');
    await eventually(async () => assert.ok(await view.getByRole('button', { name: 'Update shell.nix', exact: true }).isEnabled()));
  });

  it('asks before replacing a file it did not write, and keeps a backup', async function () {
    this.timeout(60_000);
    const { page, workspace } = session();
    const file = join(workspace, 'shell.nix');
    const foreign = '{ pkgs ? import <nixpkgs> {} }: pkgs.mkShell { }\n';
    writeFileSync(file, foreign);
    const view = webviewFrame(page);
    await view.getByLabel('File', { exact: true }).fill('envs/x.nix');
    await view.getByLabel('File', { exact: true }).fill('shell.nix'); // re-checks the file's status
    await view.getByText('was not written by PPL Nix', { exact: false }).waitFor();
    await view.getByRole('button', { name: 'Replace shell.nix\u2026', exact: true }).click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.getByText('exists and was not written by PPL Nix').waitFor({ timeout: 15_000 });
    await screenshot(page, 'overwrite-dialog');
    await dialog.getByRole('button', { name: 'Replace and keep a backup' }).click();
    await view.getByRole('status').filter({ hasText: 'replaced' }).waitFor({ timeout: 20_000 });
    assert.equal(readFileSync(`${file}.bak`, 'utf8'), foreign);
    assert.match(readFileSync(file, 'utf8'), /ppl-nix-spec/);
    assert.ok(existsSync(file));
  });

  for (const [theme, workbenchClass, name] of [
    ['Dark Modern', 'vs-dark', 'picker-dark'],
    ['Dark High Contrast', 'hc-black', 'picker-high-contrast'],
    ['Light Modern', 'vs', 'picker-light'],
  ] as const) {
    it(`follows the ${theme} theme`, async function () {
      this.timeout(60_000);
      const { page } = session();
      await runCommand(page, 'View: Hide Panel').catch(() => undefined);
      await setColorTheme(page, theme, workbenchClass);
      await runCommand(page, 'PPL Nix: Create PPL Nix shell'); // opens the picker, or reveals it
      const view = webviewFrame(page);
      await view.getByRole('heading', { name: 'Create PPL Nix shell' }).waitFor();
      // Our controls take their colours from the theme's variables (not fixed colours): each
      // computed colour equals the variable VS Code set for this theme, and the page is as dark
      // or as light as the theme.
      const colours = await view.locator('body').evaluate(() => {
        const variables = getComputedStyle(document.documentElement);
        const pick = (selector: string, property: 'color' | 'backgroundColor', variable: string) => {
          const element = document.querySelector(selector);
          return {
            selector,
            property,
            variable,
            computed: element ? getComputedStyle(element)[property] : 'missing',
            theme: variables.getPropertyValue(variable).trim(),
          };
        };
        return [
          pick('body', 'backgroundColor', '--vscode-editor-background'),
          pick('body', 'color', '--vscode-foreground'),
          pick('button.primary', 'backgroundColor', '--vscode-button-background'),
          pick('button.primary', 'color', '--vscode-button-foreground'),
          pick('input[type=text]', 'backgroundColor', '--vscode-input-background'),
          pick('input[type=text]', 'color', '--vscode-input-foreground'),
          pick('.description', 'color', '--vscode-descriptionForeground'),
        ];
      });
      for (const colour of colours) {
        assert.notEqual(colour.theme, '', `${colour.variable} is set by the ${theme} theme`);
        assert.equal(rgb(colour.computed), rgb(colour.theme), `${colour.selector} ${colour.property} follows ${colour.variable}`);
      }
      const background = luminance(rgb(colours[0]!.computed));
      if (workbenchClass === 'vs') assert.ok(background > 0.7, `a light page (${background})`);
      else assert.ok(background < 0.2, `a dark page (${background})`);
      await screenshot(page, name);
    });
  }
});

/** Relative luminance (0 black … 1 white) of an "r,g,b,a" colour. */
function luminance(colour: string): number {
  const [r, g, b] = colour
    .split(',')
    .map(Number)
    .map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
