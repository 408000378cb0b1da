// Restricted Mode (an untrusted folder): PPL Nix writes files but evaluates nothing, starts
// no process, and says why. Runs only in the run with Workspace Trust on (scripts/test.mjs).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { api, folder } from './support';

const SHA = '1jvflnbrxa8gjxkwjq6kdpdzgwp0hs59h9l3xjasksv0v7xlwykz';

describe('Restricted Mode', function () {
  this.timeout(60_000);

  it('the folder is untrusted in this run', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('writes a shell.nix but enters nothing and starts no process', async () => {
    const pplNix = await api();
    const file = vscode.Uri.joinPath(folder().uri, 'shell.nix');
    await pplNix.writeShell(
      file.fsPath,
      { name: 'untrusted', packages: ['pymc'], pinUrl: 'file:///tmp/nixpkgs.tar.gz', pinSha256: SHA, python: '3.12' },
      { replaceForeign: true },
    );
    assert.match(readFileSync(file.fsPath, 'utf8'), /withPackages/);
    await pplNix.autoEnter();
    const state = await pplNix.enter(folder(), file);
    assert.equal(state.kind, 'untrusted');
    assert.match(pplNix.environmentState(folder()).statusText, /untrusted/);
    await assert.rejects(pplNix.capture(file.fsPath), /Restricted Mode/);
    assert.equal(pplNix.processes().length, 0, 'no process at all in Restricted Mode');
  });

  it('the picker still writes files in Restricted Mode', async () => {
    const pplNix = await api();
    const [init] = await pplNix.sendPickerMessage(folder(), { type: 'ready' });
    assert.ok(init?.type === 'init' && init.trusted === false);
    assert.equal(pplNix.processes().length, 0);
  });
});
