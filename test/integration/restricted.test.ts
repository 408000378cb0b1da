// Restricted Mode (an untrusted folder): PPL Nix writes files but evaluates nothing, starts
// no process, and says why. Runs only in the run with Workspace Trust on (scripts/test.mjs).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it('the picker still writes files in Restricted Mode, and says the environment was not entered', async () => {
    const pplNix = await api();
    const [init] = await pplNix.sendPickerMessage(folder(), { type: 'ready' });
    assert.ok(init?.type === 'init' && init.trusted === false);
    const pin = init.pins.find((p) => p.origin === 'shipped')!;
    const form = {
      ...init.form,
      pin: pin.label,
      python: pin.preferredPython!,
      file: 'restricted/picker.nix',
      packages: ['emcee'],
      openTerminal: true,
      useInterpreter: true,
    };
    const replies = await pplNix.sendPickerMessage(folder(), { type: 'create', form });
    const result = replies.find((reply) => reply.type === 'result');
    assert.ok(result?.type === 'result' && result.ok, JSON.stringify(replies));
    assert.match(result.message, /created/);
    assert.match(result.message, /Restricted Mode: the environment was not entered/);
    const written = readFileSync(join(folder().uri.fsPath, 'restricted', 'picker.nix'), 'utf8');
    assert.match(written, /withPackages \(ps: with ps; \[[^\]]*emcee/);
    assert.equal(vscode.window.terminals.filter((t) => t.name.startsWith('PPL Nix')).length, 0, 'no nix-shell terminal');
    assert.equal(pplNix.processes().length, 0);
  });
});
