// The walkthrough as a user opens it (Welcome: Open Walkthrough…): five steps from "Nix" to
// "Pin and share", each with its button and its theme-following picture.
import * as assert from 'node:assert/strict';
import { closePalette, eventually, openPalette, runCommand, screenshot, session, setColorTheme } from './support';

const STEPS = [
  'Check that Nix is installed',
  'Create a PPL Nix shell',
  'Enter it: terminal and interpreter',
  'Add and run an example model',
  'Pin and share',
];

describe('The walkthrough', () => {
  it('opens with its five steps; the Nix step has Check again, and is done since Nix is found', async function () {
    this.timeout(90_000);
    const { page } = session();
    await closePalette(page);
    await openPalette(page);
    await page.locator('.quick-input-widget input.input').fill('>Welcome: Open Walkthrough');
    await page.locator('.quick-input-list .monaco-list-row.focused').filter({ hasText: 'Open Walkthrough' }).waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Get started with PPL Nix' }).first().click();
    const walkthrough = page.locator('.gettingStartedContainer');
    await walkthrough.getByText('Get started with PPL Nix').first().waitFor({ timeout: 30_000 });
    for (const title of STEPS) await walkthrough.getByText(title, { exact: true }).first().waitFor({ timeout: 10_000 });
    // The first step is open: its buttons, and its picture (an SVG drawn with the theme's colours).
    await walkthrough.getByRole('button', { name: 'Check again' }).waitFor({ timeout: 10_000 });
    await walkthrough.getByRole('button', { name: 'Install Nix' }).waitFor({ timeout: 10_000 });
    // Nix is installed here: the step is checked off (completion event onContext:pplNix.nixFound).
    const nixStep = walkthrough.locator('.getting-started-step').filter({ hasText: 'Check that Nix is installed' }).first();
    await nixStep
      .locator('.codicon-pass-filled, .codicon-getting-started-step-checked, [class*="checked"]')
      .first()
      .waitFor({ timeout: 20_000 });
    // Room for the picture (the workbench drops it beside a narrow step list), then the same in a dark theme.
    // (Earlier tests leave a terminal panel and the Explorer open.)
    await runCommand(page, 'View: Hide Panel').catch(() => undefined);
    await runCommand(page, 'View: Close Primary Side Bar');
    // SVG media is drawn inside a webview (so the theme's --vscode-* colours reach it).
    const picture = page
      .locator('.getting-started-media iframe.webview')
      .first()
      .contentFrame()
      .frameLocator('iframe#active-frame')
      .locator('svg')
      .first();
    await picture.waitFor({ timeout: 15_000 });
    assert.match((await picture.textContent()) ?? '', /Nix not found[\s\S]*Check again/);
    await screenshot(page, 'walkthrough');
    await setColorTheme(page, 'Dark Modern', 'vs-dark');
    await screenshot(page, 'walkthrough-dark');
    // Every step's picture draws (each is an SVG of what the step shows).
    for (const [title, shows] of [
      ['Create a PPL Nix shell', /Create PPL Nix shell[\s\S]*withPackages/],
      ['Enter it: terminal and interpreter', /nix-shell[\s\S]*bayes \(Python 3\.12\)/],
      ['Add and run an example model', /Run in PPL Nix shell[\s\S]*OK: posterior means within tolerance/],
      ['Pin and share', /git add shell\.nix[\s\S]*Update nixpkgs pin/],
    ] as const) {
      await walkthrough.getByText(title, { exact: true }).first().click();
      await eventually(async () => assert.match((await picture.textContent({ timeout: 5_000 })) ?? '', shows));
      await screenshot(page, `walkthrough-${title.split(/\W+/)[0]!.toLowerCase()}-${title.split(/\W+/)[1]!.toLowerCase()}`);
    }
    // (Left in the dark theme with the side bar closed: the suite's last test.)
  });
});
