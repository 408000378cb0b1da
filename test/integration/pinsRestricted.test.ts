// Pins in Restricted Mode: checking availability and updating a pin evaluate the pin's Nix code,
// so they refuse (and start no process); migrating only rewrites text and still works.
// Runs only in the run with Workspace Trust on (its title contains "Restricted Mode").
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { repoRoot } from '../nix/fixture';
import { api, folder } from './support';

describe('Pins in Restricted Mode', function () {
  this.timeout(60_000);
  const file = (): vscode.Uri => vscode.Uri.joinPath(folder().uri, 'tweag', 'shell.nix');

  before(() => {
    mkdirSync(join(folder().uri.fsPath, 'tweag'), { recursive: true });
    copyFileSync(join(repoRoot(), 'test/fixtures/tweag-2022/shell.nix'), file().fsPath);
  });

  after(() => rmSync(join(folder().uri.fsPath, 'tweag'), { recursive: true, force: true }));

  it('the picker refuses to check a pin, saying why, and no process starts', async () => {
    const pplNix = await api();
    const before = pplNix.processes().length;
    const replies = await pplNix.sendPickerMessage(folder(), {
      type: 'checkAvailability',
      pin: 'nixos-25.05 (2025-07-15)',
      python: '3.12',
    });
    assert.ok(
      replies.some((r) => r.type === 'availability' && r.state === 'failed' && /Restricted Mode/.test(r.message ?? '')),
      JSON.stringify(replies),
    );
    assert.equal(pplNix.processes().length, before);
  });

  it('Check packages at this pin and Update nixpkgs pin evaluate nothing', async () => {
    const pplNix = await api();
    const before = pplNix.processes().length;
    assert.equal(await vscode.commands.executeCommand('pplNix.checkAvailability', file()), undefined);
    assert.equal(await vscode.commands.executeCommand('pplNix.updatePin', file(), 'nixos-25.05', { confirm: true }), undefined);
    assert.equal(pplNix.processes().length, before);
    assert.match(readFileSync(file().fsPath, 'utf8'), /nixpkgs-unstable\.tar\.gz/, 'the file is untouched');
  });

  it('Migrate old shell.nix still reproduces the Tweag file exactly (text only, no evaluation)', async () => {
    const pplNix = await api();
    const before = pplNix.processes().length;
    const result = (await vscode.commands.executeCommand('pplNix.migrate', file(), 'reproduce')) as { choice: string };
    assert.equal(result.choice, 'reproduce');
    assert.match(readFileSync(file().fsPath, 'utf8'), /archive\/30d3d79b7d3607d56546dd2a6b49e156ba0ec634\.tar\.gz/);
    assert.equal(pplNix.processes().length, before);
  });
});
