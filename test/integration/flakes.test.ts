// A flake with two devShells in the real extension host, on real Nix with the fixture nixpkgs:
// the status-bar switcher offers both (read from flake.nix, no Nix run), entering the other one
// gives new terminals its environment, and the status item, the API and the switcher say which.
import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { EnvState } from '../../src/core/enter/status';
import { packFixture } from '../nix/fixture';
import { api, folder, inNewTerminal, publicApi, until } from './support';

describe('Flakes with several devShells', function () {
  this.timeout(120_000);
  const dir = (): string => join(folder().uri.fsPath, 'flakes');
  let previous: EnvState;

  before(async () => {
    const fixture = await packFixture();
    previous = (await api()).environmentState(folder()).state;
    mkdirSync(dir(), { recursive: true });
    writeFileSync(
      join(dir(), 'flake.nix'),
      `{
  outputs = { self }:
    let
      system = "x86_64-linux";
      pkgs = import (builtins.fetchTarball { url = "${fixture.url}"; sha256 = "${fixture.sha256}"; }) { inherit system; };
    in
    {
      devShells.\${system} = {
        default = pkgs.mkShell { name = "cpu"; packages = [ (pkgs.python312.withPackages (ps: [ ps.pymc ])) ]; WHICH_SHELL = "cpu"; };
        gpu = pkgs.mkShell { name = "gpu"; packages = [ (pkgs.python312.withPackages (ps: [ ps.numpyro ])) ]; WHICH_SHELL = "gpu"; };
      };
    };
}
`,
    );
  });

  after(async () => {
    rmSync(dir(), { recursive: true, force: true });
    if (previous.kind === 'active') await (await api()).enter(folder(), vscode.Uri.joinPath(folder().uri, previous.env.file));
  });

  it('the switcher lists both devShells of flake.nix, without running Nix', async () => {
    const pplNix = await api();
    const before = pplNix.processes().length;
    const items = (await pplNix.switcherItems(folder())).filter((item) => item.label.includes('flakes/flake.nix'));
    assert.deepEqual(items, [
      { label: '$(beaker) flakes/flake.nix', description: 'default devShell' },
      { label: '$(beaker) flakes/flake.nix#gpu', description: 'devShell' },
    ]);
    // Read from flake.nix: no `nix` process (an earlier enter's GC roots, nix-store, may still be made meanwhile).
    assert.deepEqual(
      pplNix
        .processes()
        .slice(before)
        .filter((p) => p.command === 'nix'),
      [],
    );
  });

  it('choosing flake.nix#gpu enters that devShell: new terminals get it, the status item, the API and the switcher say so', async () => {
    const pplNix = await api();
    const state = (await pplNix.chooseInSwitcher(folder(), '$(beaker) flakes/flake.nix#gpu')) as EnvState;
    assert.equal(state.kind, 'active', JSON.stringify(state));
    assert.match(pplNix.environmentState(folder()).statusText, /#gpu/);
    const started = pplNix.processes().map((p) => p.args.join(' '));
    assert.ok(
      started.some((args) => args.includes('print-dev-env') && args.endsWith(`path:${dir()}#gpu`)),
      started.join('\n'),
    );
    const output = await until(
      'a new terminal in the gpu devShell',
      async () => {
        const text = await inNewTerminal('echo "$WHICH_SHELL"; python3 -c "import numpyro; print(\'numpyro\')" 2>/dev/null; echo "$PATH"');
        return text.startsWith('gpu\n') ? text : undefined;
      },
      30_000,
    );
    const [which, imported, path] = output.split('\n');
    assert.deepEqual([which, imported], ['gpu', 'numpyro']);
    assert.match(path ?? '', /^\/nix\/store\/[0-9a-z]{32}-[^:]*python3[^:]*\/bin:/);
    const environment = (await publicApi()).getEnvironment(folder().uri);
    assert.equal(environment?.shell, 'gpu');
    assert.equal(environment?.file.fsPath, join(dir(), 'flake.nix'));
    const items = await pplNix.switcherItems(folder());
    assert.deepEqual(
      items.filter((item) => item.label.includes('flakes/flake.nix')).map((item) => item.description),
      ['default devShell', 'devShell · active'],
    );
  });

  it('the default devShell is another environment: entered and cached apart', async () => {
    const pplNix = await api();
    const state = (await pplNix.chooseInSwitcher(folder(), '$(beaker) flakes/flake.nix')) as EnvState;
    assert.ok(state.kind === 'active' && state.env.shell === undefined, JSON.stringify(state));
    assert.doesNotMatch(pplNix.environmentState(folder()).statusText, /#/);
    const before = pplNix.processes().length;
    const again = (await pplNix.chooseInSwitcher(folder(), '$(beaker) flakes/flake.nix#gpu')) as EnvState;
    assert.ok(again.kind === 'active' && again.env.fromCache && again.env.shell === 'gpu', JSON.stringify(again));
    // (The default's GC roots may still be made in the background: only captures count here.)
    const captures = pplNix
      .processes()
      .slice(before)
      .filter((p) => p.args.includes('print-dev-env'));
    assert.deepEqual(captures, [], 'the gpu devShell came back from its own cache entry');
  });
});
