// "Create PPL Nix shell" as a user does it: the palette, clicks in the webview, the real
// overwrite dialog; then real Nix parses and enters what was written.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../nix/fixture';
import { eventually, openPalette, runCommand, screenshot, session, waitForWorkbench, webviewFrame } from './support';

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
    await screenshot(page, 'picker-default-theme'); // the README's media/screenshot.png comes from here

    await view.getByRole('button', { name: /create/i }).click();
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
    assert.ok(await view.getByRole('button', { name: /create/i }).isDisabled());
    await extra.fill('');
    await eventually(async () => assert.ok(await view.getByRole('button', { name: /create/i }).isEnabled()));
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
    await view.getByRole('button', { name: /create/i }).click();
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
      // "Preferences: Color Theme" is not the first row (the Marketplace one is): click it by name.
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
      await runCommand(page, 'PPL Nix: Create PPL Nix shell'); // opens the picker, or reveals it
      const view = webviewFrame(page);
      await view.getByRole('heading', { name: 'Create PPL Nix shell' }).waitFor();
      // The webview takes its colours from the theme: the body's background is the editor's.
      const kind = await view.locator('body').evaluate((body) => body.className);
      assert.match(
        kind,
        new RegExp(`vscode-${workbenchClass === 'vs' ? 'light' : workbenchClass === 'vs-dark' ? 'dark' : 'high-contrast'}`),
      );
      await screenshot(page, name);
    });
  }
});
