// The README's screenshots, from the real UI: the demo's setup (scripts/lib/demo-setup.mjs) on a
// fresh copy of the demo workspace, then the newcomer's path of test/e2e/demoTour.ts, the one the
// e2e test checks, with a picture at each step:
//
//   picker-light, picker-dark  the "Create PPL Nix shell" picker at 800 px, PyMC + ArviZ on the default pin:
//                              its top (light theme), its packages (dark theme)
//   status-switcher            the status-bar switcher open, after Create entered the environment
//   terminal                   the shell.nix written, and the terminal PPL Nix opened inside it: its python, emcee
//   interpreter                .vscode/settings.json and the status tooltip: the interpreter is the environment's
//   example-output             the emcee example, its "Run in PPL Nix shell" lens, and its output
//
// The environment is built on the demo's offline stand-in pin (works here without the internet);
// the picker pictures show the default, shipped pin. PNGs are quantized with pngquant when it is
// there (installed from Debian when root).
//
// Usage: node scripts/screenshot.mjs [--out-dir media/screenshots] [--only picker-dark,terminal] [--no-package]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareDemo } from './demo.mjs';
import { aptInstall, haveCommands } from './lib/apt.mjs';
import { setUpDemo } from './lib/demo-setup.mjs';
import { ROOT, addCleanup, interrupted, launchBrowser, log, startCodeServer } from './lib/host.mjs';

const SHOTS = ['picker-light', 'picker-dark', 'status-switcher', 'terminal', 'interpreter', 'example-output'];
const PICKER = { width: 800, height: 800 };
const WINDOW = { width: 1280, height: 720 };

const { values: opts } = parseArgs({
  options: {
    'out-dir': { type: 'string', default: join(ROOT, 'media/screenshots') },
    only: { type: 'string' },
    'no-package': { type: 'boolean', default: false }, // read by prepareDemo()
  },
});
const outDir = resolve(opts['out-dir']);
const wanted = opts.only ? opts.only.split(',').map((s) => s.trim()) : SHOTS;
for (const name of wanted) if (!SHOTS.includes(name)) throw new Error(`unknown shot ${name}; shots: ${SHOTS.join(', ')}`);

const { extensionsDir } = await prepareDemo();
const tourModule = join(ROOT, 'out/test/e2e/demoTour.js');
if (!existsSync(tourModule)) {
  log(`${tourModule} is missing: building`);
  spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
}
const tour = createRequire(import.meta.url)(tourModule);

// A fixed, short folder: its path shows in the terminal's prompt and in the settings.
const tmp = join(tmpdir(), 'ppl-nix-readme');
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp);
const workspace = join(tmp, 'demo-workspace');
cpSync(join(ROOT, 'test/fixtures/demo-workspace'), workspace, { recursive: true });
addCleanup(() => rmSync(tmp, { recursive: true, force: true, maxRetries: 3 })); // also on Ctrl-C

const saved = [];
let server;
let browser;
let failed = false;
try {
  const setup = await setUpDemo({ workspace, stateDir: join(tmp, 'state'), mode: 'offline' });
  if (setup.mode !== 'offline') throw new Error(`the pictures need Nix to build the demo's stand-in: ${setup.reason}`);
  server = await startCodeServer({
    ...setup.serverOptions,
    extensionsDir,
    settings: { ...setup.serverOptions.settings, ...tour.TOUR_SETTINGS },
  });
  browser = await launchBrowser(PICKER);
  const { page } = browser;
  mkdirSync(outDir, { recursive: true });
  const shot = async (name) => {
    if (!wanted.includes(name)) return;
    await page.waitForTimeout(800); // fonts, icons, highlighting and hovers settle
    const path = join(outDir, `${name}.png`);
    await page.screenshot({ path });
    saved.push(path);
  };

  /** The picker as most users first see it: the default pin, PyMC and ArviZ ticked, in both themes. */
  const pickerShots = async () => {
    if (!wanted.some((name) => name.startsWith('picker-'))) return;
    await tour.runCommand(page, 'View: Close Primary Side Bar');
    const view = await tour.openPicker(page);
    for (const name of ['PyMC', 'ArviZ']) await view.getByRole('checkbox', { name, exact: true }).check();
    await view.getByLabel('Environment name', { exact: true }).focus(); // no focus ring on a package
    await shot('picker-light'); // the top: name, file, pin, Python
    await tour.setColorTheme(page, 'Dark 2026', 'vs-dark');
    // The packages, grouped, with their descriptions and notes.
    await view
      .locator('fieldset', { hasText: 'Probabilistic programming' })
      .first()
      .evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('picker-dark');
    await tour.setColorTheme(page, 'Light 2026', 'vs');
    const tab = page.locator('.tab.active', { hasText: 'Create PPL Nix shell' });
    await tab.hover();
    await tab.locator('.tab-actions .action-label').first().click();
    await tab.waitFor({ state: 'detached', timeout: 10_000 });
    await tour.runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  };

  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  await tour.newcomerTour({
    page,
    workspace,
    pin: setup.pin.label,
    at: async (step) => {
      if (step === 'trusted') {
        await pickerShots();
        await page.setViewportSize(WINDOW);
      } else if (step === 'switcher') await shot('status-switcher');
      else if (step === 'terminal') {
        // The file PPL Nix wrote above the terminal running inside it.
        await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'shell.nix' }).click();
        await page.locator('.tab.active', { hasText: 'shell.nix' }).waitFor({ timeout: 15_000 });
        await shot('terminal');
      } else if (step === 'interpreter') await shot('interpreter');
      else if (step === 'output') await shot('example-output');
    },
  });
} catch (error) {
  if (!interrupted()) console.error(`[screenshot] FAILED: ${error.stack ?? error}`);
  failed = true;
} finally {
  await browser?.close();
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
}

// Smaller files: 256-colour palettes are plenty for UI pictures.
if (saved.length > 0 && !haveCommands(['pngquant'])) {
  const problem = aptInstall(['pngquant'], log);
  if (problem) log(`pictures left as they are (${problem})`);
}
for (const path of saved) {
  if (haveCommands(['pngquant'])) {
    spawnSync('pngquant', ['--force', '--skip-if-larger', '--strip', '--quality', '80-100', '--output', path, path], { stdio: 'inherit' });
  }
  log(`saved ${relative(ROOT, path)} (${Math.round(statSync(path).size / 1024)} KB)`);
}
process.exit(interrupted() ? 130 : failed ? 1 : 0);
