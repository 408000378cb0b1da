// The picker's submit button and what follows it, as a user sees them: the button names the file
// and the action, Enter submits only from the button (Ctrl+Enter from anywhere), and the result
// shows next to the button in the theme's colours, with a notification offering the next steps.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { eventually, openPicker, rgb, runCommand, screenshot, session } from './support';

/** A valid form on the fixture pin, writing `file`, with neither terminal nor interpreter afterwards. */
async function prepare(page: Page, file: string, name: string): Promise<FrameLocator> {
  const { workspace } = session();
  rmSync(join(workspace, file), { force: true });
  await runCommand(page, 'View: Hide Panel').catch(() => undefined);
  const view = await openPicker(page);
  await view.getByLabel('nixpkgs').selectOption('fixture');
  await view.getByLabel('Python', { exact: true }).selectOption('3.12');
  await view.getByLabel('Extra Python packages', { exact: true }).fill('');
  await view.getByLabel('Extra system packages', { exact: true }).fill('');
  await view.getByLabel('Environment name', { exact: true }).fill(name);
  await view.getByLabel('File', { exact: true }).fill(file);
  await view.getByLabel('Open a terminal in the shell after creating').uncheck();
  await view.getByLabel('Use it as the Python interpreter').uncheck();
  await view.getByRole('button', { name: `Create ${file}`, exact: true }).waitFor({ timeout: 10_000 });
  return view;
}

/** The id of the element focused in the webview. */
const focusedId = (view: FrameLocator): Promise<string> => view.locator('body').evaluate(() => document.activeElement?.id ?? '');

describe("The picker's submit button, Enter and the result", () => {
  it('names the file and the action: Create envs/numpyro.nix, Replace default.nix…, Update after creating', async function () {
    this.timeout(90_000);
    const { page, workspace } = session();
    const view = await prepare(page, 'envs/numpyro.nix', 'numpyro');
    assert.ok(await view.getByRole('button', { name: 'Create envs/numpyro.nix', exact: true }).isEnabled());
    writeFileSync(join(workspace, 'default.nix'), '{ pkgs ? import <nixpkgs> { } }: pkgs.mkShell { }\n');
    await view.getByLabel('File', { exact: true }).fill('default.nix');
    // A file PPL Nix did not write: replaced only after a question (the ellipsis).
    await view.getByRole('button', { name: 'Replace default.nix\u2026', exact: true }).waitFor({ timeout: 10_000 });
    await view.getByLabel('File', { exact: true }).fill('envs/numpyro.nix');
    await view.getByRole('checkbox', { name: 'NumPyro', exact: true }).check();
    await view.getByRole('button', { name: 'Create envs/numpyro.nix', exact: true }).click();
    await view.getByRole('status').filter({ hasText: 'envs/numpyro.nix created' }).waitFor({ timeout: 30_000 });
    // Now a PPL Nix file: the same button updates it.
    await view.getByRole('button', { name: 'Update envs/numpyro.nix', exact: true }).waitFor({ timeout: 10_000 });
    await screenshot(page, 'picker-update-button');
    rmSync(join(workspace, 'default.nix'), { force: true });
  });

  it('Enter on a checkbox or in a text field does not submit; Ctrl+Enter does from anywhere, Enter does on the button', async function () {
    this.timeout(90_000);
    const { page, workspace } = session();
    const view = await prepare(page, 'envs/keys.nix', 'keys');
    const written = join(workspace, 'envs/keys.nix');
    const pymc = view.getByRole('checkbox', { name: 'PyMC', exact: true });
    await pymc.focus();
    if (!(await pymc.isChecked())) await page.keyboard.press('Space');
    assert.ok(await pymc.isChecked(), 'Space ticks it');
    assert.ok(await view.getByRole('button', { name: 'Create envs/keys.nix', exact: true }).isEnabled(), 'the form is ready');
    await page.keyboard.press('Enter');
    await view.getByLabel('Environment name', { exact: true }).focus();
    await page.keyboard.press('Enter');
    await view.getByLabel('Filter packages').focus();
    await page.keyboard.press('Enter');
    await page.waitForTimeout(2_000); // a create would have written the file by now
    assert.equal(existsSync(written), false, 'Enter on a checkbox, the name or the filter wrote nothing');
    assert.ok(await pymc.isChecked(), 'Enter did not toggle the checkbox');

    // Ctrl+Enter from the checkbox submits.
    await pymc.focus();
    await page.keyboard.press('Control+Enter');
    await view.getByRole('status').filter({ hasText: 'envs/keys.nix created' }).waitFor({ timeout: 30_000 });
    assert.match(readFileSync(written, 'utf8'), /pymc/);
    assert.equal(await focusedId(view), 'pkg-pymc', 'focus stays where it was');

    // Enter on the button submits (after a change, so the file is updated).
    const arviz = view.getByRole('checkbox', { name: 'ArviZ', exact: true });
    const hadArviz = await arviz.isChecked();
    await arviz.focus();
    await page.keyboard.press('Space');
    const update = view.getByRole('button', { name: 'Update envs/keys.nix', exact: true });
    await update.waitFor({ timeout: 10_000 });
    await update.focus();
    await page.keyboard.press('Enter');
    await view.getByRole('status').filter({ hasText: 'envs/keys.nix updated' }).waitFor({ timeout: 30_000 });
    assert.equal(/^\s+arviz$/m.test(readFileSync(written, 'utf8')), !hadArviz, 'ArviZ toggled in the file');
  });

  it('shows the result next to the button in the theme colours, and a notification with the next steps', async function () {
    this.timeout(120_000);
    const { page, workspace } = session();
    await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
    const view = await prepare(page, 'envs/next.nix', 'next');
    await view.getByRole('checkbox', { name: 'emcee', exact: true }).check();
    await view.getByRole('button', { name: 'Create envs/next.nix', exact: true }).click();
    const status = view.getByRole('status').filter({ hasText: 'envs/next.nix created' });
    await status.waitFor({ timeout: 30_000 });
    assert.ok(existsSync(join(workspace, 'envs/next.nix')));

    // Next to the button, both in sight (not below the fold), in the theme's colours.
    const placed = await view.locator('body').evaluate(() => {
      const button = document.querySelector<HTMLElement>('button[type=submit]')!;
      const status = document.querySelector<HTMLElement>('.status')!;
      const b = button.getBoundingClientRect();
      const s = status.getBoundingClientRect();
      const theme = getComputedStyle(document.documentElement);
      const icon = status.querySelector('.codicon')!;
      return {
        sameBar: button.parentElement === status.parentElement,
        inView: [b, s].every((r) => r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0),
        gap: Math.max(0, s.top - b.bottom),
        role: status.getAttribute('role'),
        colour: getComputedStyle(status).color,
        foreground: theme.getPropertyValue('--vscode-foreground').trim(),
        iconColour: getComputedStyle(icon).color,
        passed: theme.getPropertyValue('--vscode-testing-iconPassed').trim(),
        iconClass: icon.className,
      };
    });
    assert.equal(placed.role, 'status');
    assert.ok(placed.sameBar, 'the message sits in the button bar');
    assert.ok(placed.inView, 'button and message are both in the window');
    assert.ok(placed.gap <= 8, `right next to the button (${placed.gap} px below it)`);
    assert.equal(rgb(placed.colour), rgb(placed.foreground), 'the text has the theme foreground');
    assert.match(placed.iconClass, /codicon-pass/);
    assert.notEqual(placed.passed, '', 'the theme sets --vscode-testing-iconPassed');
    assert.equal(rgb(placed.iconColour), rgb(placed.passed), 'the icon has the theme "passed" colour');
    await screenshot(page, 'picker-created');

    // The notification: "Open Terminal" opens a nix-shell terminal for the file written; "Add
    // Example Model" is offered too. (The e2e code-server runs with VS Code's
    // smoke-test driver, which shows no toasts: the notification is read in the Notifications center.)
    await runCommand(page, 'Notifications: Show Notifications');
    const notification = page.locator('.notifications-center .notification-list-item').filter({ hasText: 'envs/next.nix created' });
    await notification.waitFor({ timeout: 15_000 });
    assert.equal(await notification.getByRole('button', { name: 'Add Example Model' }).count(), 1);
    await screenshot(page, 'picker-created-notification');
    await notification.getByRole('button', { name: 'Open Terminal' }).click();
    await eventually(async () => assert.ok((await page.getByText('PPL Nix: next').count()) > 0, 'a terminal named "PPL Nix: next"'));
    await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
    await runCommand(page, 'View: Hide Panel').catch(() => undefined);
  });
});
