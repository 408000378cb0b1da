// End to end, as a user: the packaged extension installed in code-server, driven through the UI.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, closePalette, eventually, paletteRows, runCommand, screenshot, session } from './support';

interface Command {
  command: string;
  title: string;
  category?: string;
}
interface PackageJson {
  contributes?: {
    commands?: Command[];
    menus?: { commandPalette?: { command: string; when?: string }[] };
  };
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const hiddenOrConditional = new Set((pkg.contributes?.menus?.commandPalette ?? []).filter((m) => m.when).map((m) => m.command));
/** Commands a user sees in the palette of a freshly opened (trusted) workspace. */
const paletteCommands = (pkg.contributes?.commands ?? []).filter((c) => c.category === 'PPL Nix' && !hiddenOrConditional.has(c.command));
const label = (c: Command): string => `${c.category}: ${c.title}`;

describe('Command palette', () => {
  it('lists the PPL Nix commands when typing ">PPL Nix"', async () => {
    const { page } = session();
    assert.ok(paletteCommands.length > 0, 'package.json declares no "PPL Nix" commands');
    const rows = await paletteRows(page, 'PPL Nix');
    assert.ok(rows.length > 0, 'no rows for ">PPL Nix"');
    for (const row of rows) assert.match(row, /^PPL Nix: /, `unexpected row ${row}`);
    // The list is virtualised (only visible rows exist in the DOM): look each command up by its title.
    // Retried: commands with an `enablement` (e.g. isWorkspaceTrusted) are hidden until their context is known.
    for (const command of paletteCommands) {
      await eventually(async () => {
        const found = await paletteRows(page, label(command));
        assert.ok(found.includes(label(command)), `"${label(command)}" not in the palette (rows: ${found.join(' | ')})`);
      });
    }
    await paletteRows(page, 'PPL Nix');
    await screenshot(page, 'palette-ppl-nix');
    await closePalette(page);
  });

  it('"PPL Nix: Show Log" opens the output panel on the "PPL Nix" channel', async () => {
    const { page } = session();
    await runCommand(page, 'PPL Nix: Show Log');
    await page.locator('.part.panel').waitFor({ state: 'visible', timeout: 15_000 });
    // The output view's channel picker (VS Code renders one in the panel title and one in the view).
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll<HTMLSelectElement>('.part.panel select[aria-label="Switch Output"]')].some(
          (select) => select.selectedOptions[0]?.text === 'PPL Nix',
        ),
      undefined,
      { timeout: 15_000 },
    );
    await screenshot(page, 'show-log');
  });
});
