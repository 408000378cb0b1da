// The picker writes a flake: the "flake.nix (+ flake.lock)" choice renames the file, the preview
// says a lock comes with it, and Create writes flake.nix and a flake.lock with the pin's hash.
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { convertHash } from '../../src/core/nix/hashes';
import { openPicker, runCommand, screenshot, session } from './support';

describe('The picker writes a flake', () => {
  it('choosing flake.nix (+ flake.lock) writes flake.nix and its flake.lock, pinned to the same hash', async function () {
    this.timeout(90_000);
    const { page, workspace, fixture } = session();
    rmSync(join(workspace, 'flake-e2e'), { recursive: true, force: true });
    await runCommand(page, 'View: Hide Panel').catch(() => undefined);
    const view = await openPicker(page);
    await view.getByLabel('nixpkgs').selectOption('fixture');
    await view.getByLabel('Python', { exact: true }).selectOption('3.12');
    await view.getByLabel('Environment name', { exact: true }).fill('flaky');
    await view.getByLabel('File', { exact: true }).fill('flake-e2e/shell.nix');
    await view.getByLabel('Open a terminal in the shell after creating').uncheck();
    await view.getByLabel('Use it as the Python interpreter').uncheck();
    await view.getByRole('checkbox', { name: 'PyMC', exact: true }).check();
    const flake = view.getByRole('radio', { name: 'flake.nix (+ flake.lock)', exact: true });
    await flake.check();
    assert.equal(await view.getByLabel('File', { exact: true }).inputValue(), 'flake-e2e/flake.nix', 'a flake is named flake.nix');
    assert.equal(await view.getByRole('group', { name: 'Write' }).count(), 1, 'the two choices are one labelled group');
    await view.getByText('New flake-e2e/flake.nix (flake.lock next to it locks nixpkgs to the same hash):').waitFor({ timeout: 10_000 });
    assert.match(
      (await view.getByLabel('Preview of the file').textContent()) ?? '',
      /devShells\.x86_64-linux\.default = shell "x86_64-linux";/,
    );
    await screenshot(page, 'picker-flake');
    await view.getByRole('button', { name: 'Create flake-e2e/flake.nix', exact: true }).click();
    await view.getByRole('status').filter({ hasText: 'flake-e2e/flake.nix created' }).waitFor({ timeout: 30_000 });
    const written = readFileSync(join(workspace, 'flake-e2e/flake.nix'), 'utf8');
    assert.ok(written.includes(`url = "${fixture.url}";`) && written.includes('flake = false;'));
    const lock = JSON.parse(readFileSync(join(workspace, 'flake-e2e/flake.lock'), 'utf8')) as {
      nodes: { nixpkgs: { locked: { narHash: string } } };
    };
    assert.equal(lock.nodes.nixpkgs.locked.narHash, convertHash(fixture.sha256, 'sri'));
    // Back to shell.nix: the file name follows.
    await view.getByRole('radio', { name: 'shell.nix', exact: true }).check();
    assert.equal(await view.getByLabel('File', { exact: true }).inputValue(), 'flake-e2e/shell.nix');
  });
});
