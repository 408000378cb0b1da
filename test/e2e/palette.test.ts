// End to end, as a user: the packaged extension installed in code-server, driven through the UI.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, paletteRows, runCommand, screenshot, session } from './support';

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
    await screenshot(page, 'palette-ppl-nix');
    assert.ok(rows.length > 0, 'no rows for ">PPL Nix"');
    for (const row of rows) assert.match(row, /^PPL Nix: /, `unexpected row ${row}`);
    // The list is virtualised (only visible rows exist in the DOM): look each command up by its title.
    for (const command of paletteCommands) {
      const found = await paletteRows(page, label(command));
      assert.ok(found.includes(label(command)), `"${label(command)}" not in the palette (rows: ${found.join(' | ')})`);
    }
    await page.keyboard.press('Escape');
  });

  it('"PPL Nix: Show Log" opens the output panel on the "PPL Nix" channel', async () => {
    const { page } = session();
    await runCommand(page, 'PPL Nix: Show Log');
    const panel = page.locator('.part.panel');
    await panel.waitFor({ state: 'visible', timeout: 15_000 });
    // The output view's channel picker shows the revealed channel.
    const picker = panel.locator('select.monaco-select-box');
    await page.waitForFunction(
      (select) => (select as HTMLSelectElement | null)?.selectedOptions[0]?.text === 'PPL Nix',
      await picker.elementHandle({ timeout: 15_000 }),
      { timeout: 15_000 },
    );
    await screenshot(page, 'show-log');
  });
});
