// With an extension that registers python.defaultInterpreterPath (the Python extension does;
// here a stand-in that contributes only that setting), PPL Nix writes it through the
// configuration API. Runs only in the run that loads the stand-in (scripts/test.mjs).
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { packFixture } from '../nix/fixture';
import { api, folder } from './support';

describe('Python setting registered by another extension', function () {
  this.timeout(120_000);

  it('writes python.defaultInterpreterPath through the configuration API and says so', async () => {
    assert.ok(vscode.extensions.getExtension('ppl-nix-tests.python-setting-standin'), 'the stand-in is loaded');
    const fixture = await packFixture();
    const pplNix = await api();
    const file = vscode.Uri.joinPath(folder().uri, 'shell.nix');
    await pplNix.writeShell(
      file.fsPath,
      { name: 'standin', packages: ['pymc'], pinUrl: fixture.url, pinSha256: fixture.sha256, python: '3.12' },
      { replaceForeign: true },
    );
    const state = await pplNix.enter(folder(), file);
    assert.equal(state.kind, 'active', JSON.stringify(state));
    const link = join(folder().uri.fsPath, '.ppl-nix', 'standin', 'env', 'bin', 'python3');
    const inspected = vscode.workspace.getConfiguration('python', folder().uri).inspect<string>('defaultInterpreterPath');
    assert.equal(inspected?.workspaceFolderValue ?? inspected?.workspaceValue, link);
    assert.match(pplNix.environmentState(folder()).statusText, /standin/);
  });
});
