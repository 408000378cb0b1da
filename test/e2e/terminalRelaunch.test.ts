// PPL Nix's own nix-shell terminal (issue 15 item 5): opened right after Create, it used to be
// flagged with VS Code's ⚠ "The following extensions want to relaunch the terminal to contribute
// to its environment: PPL Nix" as soon as PPL Nix's environment collection changed while it ran
// (the enter after Create finishing, or switching environments). It now opts out of collections
// (strictEnv: nix-shell sets its environment up itself), so its tab never shows the warning.
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, run } from '../nix/fixture';
import { eventually, openPicker, runCommand, screenshot, session } from './support';

describe("PPL Nix's own terminal", () => {
  it('the nix-shell terminal opened after Create is never flagged "want to relaunch the terminal"', async function () {
    this.timeout(180_000);
    const { page, workspace, fixture, nixEnv } = session();
    rmSync(join(workspace, 'relaunch'), { recursive: true, force: true });
    // A second environment to switch to later (written by the CLI, as PPL Nix writes it).
    const other = await run(
      process.execPath,
      [join(repoRoot(), 'dist/cli.js'), 'new', '--pin-url', fixture.url, '--pin-sha256', fixture.sha256, '--python', '3.12'].concat([
        '--packages',
        'numpy',
        '--name',
        'other',
        '--out',
        join(workspace, 'relaunch', 'other.nix'),
      ]),
      { env: nixEnv },
    );
    assert.equal(other.code, 0, other.stderr);

    await runCommand(page, 'View: Hide Panel').catch(() => undefined);
    const view = await openPicker(page);
    await view.getByLabel('nixpkgs').selectOption('fixture');
    await view.getByLabel('Python', { exact: true }).selectOption('3.12');
    await view.getByLabel('Extra Python packages', { exact: true }).fill('');
    await view.getByLabel('Extra system packages', { exact: true }).fill('');
    await view.getByLabel('Environment name', { exact: true }).fill('relaunch');
    await view.getByLabel('File', { exact: true }).fill('relaunch/shell.nix');
    await view.getByRole('checkbox', { name: 'emcee', exact: true }).check();
    await view.getByLabel('Open a terminal in the shell after creating').check();
    await view.getByLabel('Use it as the Python interpreter').uncheck();
    await view.getByRole('button', { name: /^Create (relaunch\/)?shell\.nix$/ }).click();

    // The terminal runs nix-shell while the environment is entered (PPL Nix's collection changes).
    await eventually(
      async () => assert.ok((await page.getByText('PPL Nix: relaunch').count()) > 0, 'a terminal "PPL Nix: relaunch"'),
      60_000,
    );
    const status = page
      .locator('[id="ppl-nix.ppl-nix.pplNix.environment"], .statusbar-item')
      .filter({ hasText: /relaunch \(Python 3\.12\)/ });
    await status.first().waitFor({ timeout: 90_000 });
    const tab = page.locator('.terminal-tabs-entry, .single-terminal-tab').filter({ hasText: 'PPL Nix: relaunch' }).first();
    await tab.waitFor({ timeout: 20_000 });
    await page.waitForTimeout(2_000); // the shell is up and has printed its prompt

    // Switch to the other environment from the status bar: the collection changes again, surely after the terminal started.
    await status.first().click();
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'relaunch/other.nix' }).first().click();
    await page
      .locator('.statusbar-item')
      .filter({ hasText: /other \(Python 3\.12\)/ })
      .first()
      .waitFor({ timeout: 90_000 });
    await page.waitForTimeout(2_000); // VS Code flags a terminal right after the change event
    await screenshot(page, 'terminal-after-create');
    assert.equal(await tab.locator('.codicon-warning').count(), 0, `no ⚠ on the terminal PPL Nix opened: ${await tab.innerHTML()}`);
    await tab.hover();
    await page.waitForTimeout(1_000);
    assert.equal(await page.getByText(/want to relaunch the terminal/).count(), 0, 'no "want to relaunch" hover');
  });
});
