// Saves media/screenshot.png (1280x800) of the demo for the README: the demo's analysis.py open, then
// the "Create PPL Nix shell" picker (default) or, with --palette, the palette listing the commands.
// Same setup as `npm run demo`, but headless and on a fresh copy of the demo workspace so the picture
// does not depend on earlier demo sessions.
//
// Usage: node scripts/screenshot.mjs [--out media/screenshot.png] [--command "PPL Nix: Create PPL Nix shell" | --palette] [--no-package]
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareDemo } from './demo.mjs';
import { ROOT, addCleanup, interrupted, launchBrowser, log, startCodeServer } from './lib/host.mjs';

const { values: opts } = parseArgs({
  options: {
    out: { type: 'string', default: join(ROOT, 'media/screenshot.png') },
    command: { type: 'string', default: 'PPL Nix: Create PPL Nix shell' },
    palette: { type: 'boolean', default: false },
    'no-package': { type: 'boolean', default: false }, // read by prepareDemo()
  },
});
const out = resolve(opts.out);

const { extensionsDir } = await prepareDemo();
const tmp = mkdtempSync(join(tmpdir(), 'ppl-nix-screenshot-'));
const workspace = join(tmp, 'demo-workspace');
cpSync(join(ROOT, 'test/fixtures/demo-workspace'), workspace, { recursive: true });
addCleanup(() => rmSync(tmp, { recursive: true, force: true, maxRetries: 3 })); // also on Ctrl-C

let server;
let browser;
let failed = false;
try {
  // Trust OFF: no trust dialog in the picture (the folder counts as trusted).
  server = await startCodeServer({ folder: workspace, extensionsDir, settings: { 'workbench.startupEditor': 'none' } });
  browser = await launchBrowser({ width: 1280, height: 800 });
  const { page } = browser;
  await page.goto(server.workbenchUrl());
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  // Appears once the workbench restored its contributions and Workspace Trust is known (see test/e2e/support.ts).
  await page.locator('[id="status.problems"]').waitFor({ timeout: 60_000 });

  // Open analysis.py by clicking it in the explorer.
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'analysis.py' }).click();
  await page.locator('.tab.active', { hasText: 'analysis.py' }).waitFor({ timeout: 30_000 });

  // The command palette filtered to the extension's commands...
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(opts.palette ? '>PPL Nix' : `>${opts.command}`);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 10_000 });
  if (!opts.palette) {
    // ...or the command's webview: Enter once the command is the focused row, then wait for its content.
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: opts.command }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    const webview = page.locator('iframe.webview').last().contentFrame().frameLocator('iframe#active-frame');
    await webview.locator('body *').first().waitFor({ timeout: 30_000 });
  }
  await page.waitForTimeout(1500); // let fonts, icons and the editor's highlighting settle

  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  log(`saved ${out}`);
} catch (error) {
  if (!interrupted()) console.error(`[screenshot] FAILED: ${error.stack ?? error}`);
  failed = true;
} finally {
  await browser?.close();
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
}
process.exit(interrupted() ? 130 : failed ? 1 : 0);
