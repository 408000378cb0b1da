// Reliability: an extension under the Python extension's id whose exports lack the environments
// API (an old or failed Python extension), or whose API call throws, must not fail an enter:
// setting the interpreter is an optional step; PPL Nix falls back to python.defaultInterpreterPath
// (here .vscode/settings.json, as the stand-in registers no setting), says so once, and the
// environment is active with terminals getting it. Runs only in the run that loads the stand-in.
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { packFixture } from '../nix/fixture';
import { api, folder } from './support';

describe('Python extension broken (a stand-in under ms-python.python)', function () {
  this.timeout(120_000);

  for (const mode of ['nothing', 'throws'] as const) {
    it(`an extension that ${mode === 'nothing' ? 'exports no environments API' : 'throws from its API'} does not stop the enter`, async () => {
      assert.ok(vscode.extensions.getExtension('ms-python.python'), 'the stand-in is loaded under the real id');
      await vscode.workspace.getConfiguration('pythonStandin').update('mode', mode, vscode.ConfigurationTarget.Workspace);
      const fixture = await packFixture();
      const pplNix = await api();
      const name = `broken-${mode}`;
      const file = vscode.Uri.joinPath(folder().uri, `${name}.nix`);
      await pplNix.writeShell(
        file.fsPath,
        { name, packages: ['emcee'], pinUrl: fixture.url, pinSha256: fixture.sha256, python: '3.12' },
        { replaceForeign: true },
      );
      const settings = join(folder().uri.fsPath, '.vscode', 'settings.json');
      rmSync(settings, { force: true });
      const state = await pplNix.enter(folder(), file, { setInterpreter: true });
      assert.equal(state.kind, 'active', JSON.stringify(state));
      const link = join(folder().uri.fsPath, '.ppl-nix', name, 'env', 'bin', 'python3');
      const written = JSON.parse(readFileSync(settings, 'utf8')) as Record<string, unknown>;
      assert.equal(written['python.defaultInterpreterPath'], link, 'the fallback wrote the interpreter setting');
      assert.match(pplNix.environmentState(folder()).statusText, new RegExp(name));
    });
  }
});
