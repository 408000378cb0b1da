// The picker's package list with the keyboard only, as a user goes through it: one Tab stop per
// package (the homepage link is reached with the Right arrow), and unticking a package while a
// filter is active keeps it in the list and keeps focus on it. Also what the list says about
// CmdStan next to CmdStanPy, and how invalid names are reported while the preview stays.
import * as assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { eventually, openPicker, runCommand, screenshot, session } from './support';

/** The focused element in the webview: its id, and whether it is inside a package of the list. */
const focused = (view: FrameLocator): Promise<{ id: string; tag: string; label: string; inPackage: boolean }> =>
  view.locator('body').evaluate(() => {
    const element = document.activeElement;
    return {
      id: element?.id ?? '',
      tag: element?.tagName.toLowerCase() ?? '',
      label: element?.getAttribute('aria-label') ?? '',
      inPackage: Boolean(element?.closest('.package')),
    };
  });

/** A fresh list: no filter, nothing ticked (keyboard: each ticked, enabled box gets a Space). */
async function clearList(view: FrameLocator): Promise<void> {
  await view.getByLabel('Filter packages').fill('');
  const ticked = view.locator('.package input[type=checkbox]:checked:not(:disabled)');
  for (let i = 0; i < 40 && (await ticked.count()) > 0; i++) await ticked.first().press('Space');
  await eventually(async () => assert.equal(await view.locator('.package input[type=checkbox]:checked').count(), 0));
}

describe('The package list, with the keyboard', () => {
  before(async () => {
    await runCommand(session().page, 'View: Hide Panel').catch(() => undefined);
  });

  it('takes one Tab stop per package; the homepage link is reached with the Right arrow', async function () {
    this.timeout(90_000);
    const { page } = session();
    const view = await openPicker(page);
    await clearList(view);
    const expected = await view
      .locator('.package:not([hidden]) input[type=checkbox]:not(:disabled)')
      .evaluateAll((boxes) => boxes.map((box) => box.id));
    assert.ok(expected.length > 20, `the whole catalog is listed (${expected.length})`);
    await view.getByLabel('Filter packages').focus();
    const stops: string[] = [];
    for (let i = 0; i < expected.length + 5; i++) {
      await page.keyboard.press('Tab');
      const now = await focused(view);
      if (!now.inPackage) {
        if (stops.length > 0) break; // left the list
        continue; // e.g. a suggestion before the list
      }
      stops.push(now.id || `${now.tag}[aria-label=${now.label}]`);
    }
    assert.deepEqual(stops, expected, 'one stop per package, its checkbox');

    // From PyMC's checkbox: Right arrow to its homepage link, Left arrow (or Escape) back.
    await view.getByRole('checkbox', { name: 'PyMC', exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    assert.equal((await focused(view)).label, 'PyMC homepage');
    assert.equal(await view.getByRole('link', { name: 'PyMC homepage' }).getAttribute('tabindex'), '-1');
    await page.keyboard.press('ArrowLeft');
    assert.equal((await focused(view)).id, 'pkg-pymc');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Escape');
    assert.equal((await focused(view)).id, 'pkg-pymc');
    // Down and Up arrows move along the list.
    await page.keyboard.press('ArrowDown');
    assert.equal((await focused(view)).id, expected[expected.indexOf('pkg-pymc') + 1]);
    await page.keyboard.press('ArrowUp');
    assert.equal((await focused(view)).id, 'pkg-pymc');
  });

  it('filter "py": unticking PyMC with Space keeps it shown and focused, and so does a ticked package the filter does not match', async function () {
    this.timeout(90_000);
    const { page } = session();
    const view = await openPicker(page);
    await clearList(view);
    // Tick PyMC and ArviZ with the keyboard.
    await view.getByLabel('Filter packages').focus();
    await page.keyboard.press('Tab');
    assert.equal((await focused(view)).id, 'pkg-pymc', 'PyMC comes first');
    await page.keyboard.press('Space');
    for (let i = 0; i < 40 && (await focused(view)).id !== 'pkg-arviz'; i++) await page.keyboard.press('ArrowDown');
    assert.equal((await focused(view)).id, 'pkg-arviz');
    await page.keyboard.press('Space');
    // Filter "py" (ArviZ does not match it, but is ticked: shown).
    await view.getByLabel('Filter packages').focus();
    await page.keyboard.type('py');
    const pymcItem = view.locator('.package[data-id="pymc"]');
    const arvizItem = view.locator('.package[data-id="arviz"]');
    await eventually(async () =>
      assert.equal(await view.locator('.package[data-id="graphviz"]').isHidden(), true, 'Graphviz is filtered out'),
    );
    assert.ok(await arvizItem.isVisible(), 'ticked ArviZ stays in the list');
    await page.keyboard.press('Tab');
    assert.equal((await focused(view)).id, 'pkg-pymc');
    await page.keyboard.press('Space');
    assert.equal(await view.getByRole('checkbox', { name: 'PyMC', exact: true }).isChecked(), false, 'PyMC unticked');
    assert.equal((await focused(view)).id, 'pkg-pymc', 'focus stays on its checkbox');
    assert.ok(await pymcItem.isVisible(), 'PyMC stays in the list');
    for (let i = 0; i < 40 && (await focused(view)).id !== 'pkg-arviz'; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    assert.equal(await view.getByRole('checkbox', { name: 'ArviZ', exact: true }).isChecked(), false, 'ArviZ unticked');
    assert.equal((await focused(view)).id, 'pkg-arviz', 'focus stays on its checkbox');
    assert.ok(await arvizItem.isVisible(), 'ArviZ stays in the list until the filter changes');
    await screenshot(page, 'picker-filter-untick');
    // A new filter text: ArviZ no longer matches.
    await view.getByLabel('Filter packages').focus();
    await page.keyboard.type('m');
    await eventually(async () => assert.equal(await arvizItem.isHidden(), true));
    await view.getByLabel('Filter packages').fill('');
  });

  it('shows CmdStan ticked and "added by CmdStanPy" while CmdStanPy is ticked', async function () {
    this.timeout(60_000);
    const { page } = session();
    const view = await openPicker(page);
    await clearList(view);
    const cmdstan = view.getByRole('checkbox', { name: 'CmdStan', exact: true });
    assert.equal(await cmdstan.isChecked(), false);
    await view.getByRole('checkbox', { name: 'CmdStanPy', exact: true }).check();
    await eventually(async () => assert.ok(await cmdstan.isChecked(), 'CmdStan shows ticked'));
    assert.ok(await cmdstan.isDisabled(), 'and cannot be unticked while CmdStanPy adds it');
    const addedBy = view.locator('.package[data-id="cmdstan"] .added-by');
    assert.equal((await addedBy.textContent())?.trim(), 'added by CmdStanPy');
    assert.ok(await addedBy.isVisible());
    const description = await cmdstan.evaluate((box) =>
      (box.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' '),
    );
    assert.match(description, /added by CmdStanPy/, 'the reason is the checkbox’s description');
    await view.locator('.package[data-id="cmdstan"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'picker-cmdstan-added-by');
    await view.getByRole('checkbox', { name: 'CmdStanPy', exact: true }).uncheck();
    await eventually(async () => assert.equal(await cmdstan.isChecked(), false));
    assert.ok(await cmdstan.isEnabled());
  });

  it('names every bad name in one line and keeps the last valid preview, dimmed', async function () {
    this.timeout(60_000);
    const { page } = session();
    const view = await openPicker(page);
    await view.getByLabel('nixpkgs').selectOption('fixture');
    await view.getByLabel('Python', { exact: true }).selectOption('3.12');
    const extra = view.getByLabel('Extra Python packages', { exact: true });
    await extra.fill('tqdm');
    const preview = view.getByLabel('Preview of the file');
    await eventually(async () => assert.match((await preview.textContent()) ?? '', /tqdm/));
    const valid = (await preview.textContent()) ?? '';
    await extra.fill('tqdm not;valid also;bad');
    const messages = view.getByText('"not;valid"', { exact: false });
    await messages.first().waitFor();
    assert.equal(await messages.count(), 1, 'one message');
    const message = (await messages.textContent()) ?? '';
    assert.match(message, /"not;valid" and "also;bad"/, 'naming both');
    assert.equal(message.split('not Nix attribute names').length, 2, 'the rule said once');
    assert.equal(await preview.textContent(), valid, 'the last valid preview stays');
    assert.ok(await preview.isVisible());
    assert.ok(Number(await preview.evaluate((pre) => getComputedStyle(pre).opacity)) < 1, 'dimmed');
    await view.getByText('Fix the marked fields: the preview shows the last valid file.').waitFor();
    await screenshot(page, 'picker-invalid-names');
    await extra.fill('');
    await eventually(async () => assert.equal(await preview.evaluate((pre) => getComputedStyle(pre).opacity), '1'));
  });
});
