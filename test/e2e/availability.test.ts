// Availability in the picker, as a user sees it: at a shipped pin, removed packages are marked
// "not available at this pin" without any evaluation; "Check packages at this pin" evaluates the
// fixture pin with Nix and shows versions and the broken package.
import * as assert from 'node:assert/strict';
import { eventually, runCommand, screenshot, session, webviewFrame } from './support';

describe('Package availability in the picker', () => {
  it('warns about removed packages at a shipped pin, and shows versions and broken packages after checking with Nix', async function () {
    this.timeout(120_000);
    const { page } = session();
    await runCommand(page, 'View: Hide Panel').catch(() => undefined);
    await runCommand(page, 'PPL Nix: Create PPL Nix shell');
    const view = webviewFrame(page);
    await view.getByRole('heading', { name: 'Create PPL Nix shell' }).waitFor({ timeout: 30_000 });
    const aesaraWarning = view.locator('.package[data-id="aesara"] .warning');
    await view.getByLabel('nixpkgs').selectOption('nixos-25.05 (2025-07-15)');
    await eventually(async () =>
      assert.match((await aesaraWarning.textContent()) ?? '', /^(Removed from nixpkgs before this pin|Not available at this pin)/),
    );
    assert.equal(await view.locator('.package[data-id="pymc"] .warning').isHidden(), true, 'PyMC is not warned about');

    await view.getByLabel('nixpkgs').selectOption('fixture');
    await view.getByLabel('Python', { exact: true }).selectOption('3.12');
    await eventually(async () => assert.equal(await aesaraWarning.isHidden(), true, 'no guesses for a custom pin'));
    await view.getByRole('button', { name: 'Check packages at this pin' }).click();
    await view.getByText('Checked with Nix: Python 3.12.7', { exact: false }).waitFor({ timeout: 60_000 });
    await eventually(async () => assert.equal((await view.locator('.package[data-id="pymc"] .badge').textContent())?.trim(), '5.19.1'));
    assert.match((await aesaraWarning.textContent()) ?? '', /Marked broken at this pin \(2\.9\.3\)/);
    await view.locator('.package[data-id="aesara"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'picker-availability');
  });
});
