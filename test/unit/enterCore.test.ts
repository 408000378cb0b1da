import { strict as assert } from 'node:assert';
import { keyMaterial, parseCacheEntry } from '../../src/core/enter/cache';
import { localImports } from '../../src/core/enter/dependencies';
import { statusView, type ActiveEnv } from '../../src/core/enter/status';

const ENV: ActiveEnv = {
  name: 'bayes',
  file: 'shell.nix',
  python: '/w/.ppl-nix/bayes/env/bin/python3',
  pythonVersion: '3.12',
  pin: 'nixos-25.05 (2025-07-15)',
  fromCache: true,
};
const ENTRY = {
  version: 1,
  key: 'k',
  file: '/w/shell.nix',
  capturedAt: '2026-11-25T00:00:00Z',
  variables: { CMDSTAN: '/nix/store/x' },
  pathPrefix: ['/nix/store/a/bin'],
  python: '/nix/store/a/bin/python3',
  storePaths: ['/nix/store/a'],
};

describe('the environment cache (pure part)', () => {
  it('changes its key with the file, its imports, the nix binary, NIX_PATH and the method', () => {
    const base = { fileHash: 'f', imports: [{ path: './a.nix', hash: 'a' }], nixIdentity: '/usr/bin/nix:1:2', nixPath: '', method: 'auto' };
    const key = keyMaterial(base);
    assert.equal(keyMaterial({ ...base }), key);
    for (const changed of [
      { fileHash: 'g' },
      { imports: [{ path: './a.nix', hash: 'b' }] },
      { nixIdentity: '/usr/bin/nix:1:3' },
      { nixPath: 'nixpkgs=/x' },
      { method: 'nix-shell' },
      { shell: 'gpu' },
    ]) {
      assert.notEqual(keyMaterial({ ...base, ...changed }), key, JSON.stringify(changed));
    }
  });

  it('finds the local files a Nix file imports, not URLs or comments', () => {
    const text =
      'let overlay = import ./overlay.nix; data = ../data/x.csv; # ./commented.nix\n url = "https://x/y/./z"; in callPackage ./pkgs/foo { }';
    assert.deepEqual(localImports(text), ['../data/x.csv', './overlay.nix', './pkgs/foo']);
  });

  it('discards corrupt or foreign cache files', () => {
    assert.deepEqual(parseCacheEntry(JSON.stringify(ENTRY)), ENTRY);
    for (const bad of [
      '',
      '{"version":1,"key":',
      JSON.stringify({ ...ENTRY, version: 2 }),
      JSON.stringify({ ...ENTRY, storePaths: ['/tmp/x'] }),
      JSON.stringify({ ...ENTRY, variables: { A: 1 } }),
    ]) {
      assert.equal(parseCacheEntry(bad), undefined, bad);
    }
  });
});

describe('the status item, state by state', () => {
  it('shows the environment with its Python version, and where it came from', () => {
    const view = statusView({ kind: 'active', env: ENV });
    assert.equal(view.text, '$(beaker) bayes (Python 3.12)');
    assert.match(view.tooltip, /nixpkgs: nixos-25\.05[\s\S]*Interpreter: \/w\/\.ppl-nix\/bayes\/env\/bin\/python3[\s\S]*from cache/);
    assert.equal(view.severity, undefined);
  });

  it('names a flake devShell other than the default after the environment: bayes#gpu', () => {
    const view = statusView({ kind: 'active', env: { ...ENV, shell: 'gpu', file: 'flake.nix' } });
    assert.equal(view.text, '$(beaker) bayes#gpu (Python 3.12)');
    assert.match(view.tooltip, /File: flake\.nix \(devShell gpu\)/);
  });

  it('spins while loading and says what is still in use', () => {
    const view = statusView({ kind: 'loading', file: 'shell.nix', name: 'bayes', progress: "building 'python3-env.drv'", previous: ENV });
    assert.match(view.text, /sync~spin/);
    assert.match(view.tooltip, /building 'python3-env\.drv'[\s\S]*Still using bayes/);
  });

  it('warns when stale (last working environment kept) and errs when nothing works', () => {
    const stale = statusView({
      kind: 'stale',
      env: ENV,
      error: 'Syntax error at shell.nix:3:1',
      errorData: { kind: 'syntaxError', detail: 'x' },
    });
    assert.equal(stale.severity, 'warning');
    assert.match(stale.tooltip, /Reload failed: the last working environment \(bayes \(Python 3\.12\)\) stays applied[\s\S]*Syntax error/);
    // ENV was entered from the cache once, but this reload failed: the tooltip must not say "Entered from cache".
    assert.doesNotMatch(stale.tooltip, /from cache/i);
    const failed = statusView({
      kind: 'failed',
      file: 'shell.nix',
      name: 'bayes',
      error: 'hash mismatch',
      errorData: { kind: 'hashMismatch', specified: 'a', got: 'b' },
    });
    assert.equal(failed.severity, 'error');
    assert.match(statusView({ kind: 'untrusted' }).tooltip, /Restricted Mode/);
    assert.match(statusView({ kind: 'disabled' }).text, /circle-slash/);
  });
});
