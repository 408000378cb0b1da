// Migrating old files: the seed (published shape) reproduced exactly or modernized; real-world
// constructs carried over without losing a package; what cannot be read is refused.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTargetOf } from '../../src/core/pins/check';
import { defaultPin } from '../../src/core/pins/pins';
import { detectOldStyle, modernize, reproduceExactly } from '../../src/core/shellNix/migrate';
import { pythonPackageNames } from '../../src/core/shellNix/reader';
import { readShellNix } from '../../src/core/spec/readback';
import { repoRoot } from '../nix/fixture';

const SEED = readFileSync(join(repoRoot(), 'test/fixtures/tweag-2022/shell.nix'), 'utf8');

describe('migrating the seed file (the 2022 Tweag post, as published)', () => {
  it('is old-style: a moving branch over http with a fixed hash, whose hash names the 2022 revision', () => {
    const old = detectOldStyle(SEED);
    assert.ok(old);
    assert.match(old.problem, /moving branch http:\/\/github\.com\/NixOS\/nixpkgs\/archive\/nixpkgs-unstable\.tar\.gz/);
    assert.equal(old.pin?.rev, '30d3d79b7d3607d56546dd2a6b49e156ba0ec634');
    assert.deepEqual(pythonPackageNames(old.file), ['pymc3', 'matplotlib', 'numpy', 'ipython']);
  });

  it('"Reproduce exactly" changes only the url, to the revision its sha256 names', () => {
    const result = reproduceExactly(SEED);
    assert.ok(result.ok, !result.ok ? result.reason : '');
    assert.equal(
      result.text,
      SEED.replace(
        'http://github.com/NixOS/nixpkgs/archive/nixpkgs-unstable.tar.gz',
        'https://github.com/NixOS/nixpkgs/archive/30d3d79b7d3607d56546dd2a6b49e156ba0ec634.tar.gz',
      ),
    );
    assert.equal(detectOldStyle(result.text), undefined, 'no longer old-style');
  });

  it('"Modernize" writes a PPL Nix file on the newest release: an offered Python, pymc3 → pymc with the API warning, nothing lost', () => {
    const result = modernize(SEED, { name: 'bayes' });
    assert.ok(!('reason' in result), 'reason' in result ? result.reason : '');
    assert.equal(result.spec.pin.label, defaultPin().label);
    assert.equal(result.spec.python, defaultPin().preferredPython);
    assert.deepEqual([...result.spec.packages].sort(), ['ipython', 'matplotlib', 'numpy', 'pymc']);
    assert.deepEqual(
      result.carried.map((c) => `${c.from}→${c.to ?? '-'}`),
      ['pymc3→pymc', 'matplotlib→matplotlib', 'numpy→numpy', 'ipython→ipython'],
    );
    assert.ok(result.warnings.some((w) => /PyMC3 → PyMC 5/.test(w)));
    assert.equal(readShellNix(result.text).kind, 'managed');
  });

  it('check reads the seed at the revision its hash names, and says the file itself is broken', () => {
    const target = checkTargetOf(SEED);
    assert.ok(!('reason' in target), 'reason' in target ? target.reason : '');
    assert.equal(target.pin.url, 'https://github.com/NixOS/nixpkgs/archive/30d3d79b7d3607d56546dd2a6b49e156ba0ec634.tar.gz');
    assert.equal(target.python, '3.9');
    assert.deepEqual(target.pythonPackages, ['pymc3', 'matplotlib', 'numpy', 'ipython']);
    assert.match(target.fileProblem ?? '', /moving branch/);
  });
});

describe('migrating what people wrote', () => {
  it('packages the old file defined itself are named in a warning and a comment, never written as packages', () => {
    const text = `let pkgs = import (fetchTarball { url = "https://github.com/NixOS/nixpkgs/archive/nixos-20.09.tar.gz"; sha256 = "${defaultPin().sha256}"; }) {};
      mylib = pkgs.python38.pkgs.buildPythonPackage { pname = "mylib"; version = "1"; src = ./.; };
    in pkgs.mkShell { buildInputs = [ (pkgs.python38.withPackages (ps: [ ps.numpy ps.scikitlearn mylib ])) pkgs.git ]; }`;
    const result = modernize(text, { name: 'x' });
    assert.ok(!('reason' in result), 'reason' in result ? result.reason : '');
    assert.deepEqual(result.spec.packages, ['numpy']);
    assert.deepEqual(result.spec.extraPackages, ['scikit-learn'], 'scikitlearn mapped through the renames table');
    assert.deepEqual(result.spec.systemPackages, ['git']);
    assert.ok(!result.spec.extraPackages.includes('mylib'));
    assert.ok(result.warnings.some((w) => /mylib was not carried over/.test(w)));
    assert.match(
      result.text,
      /^# Migrated by PPL Nix\. Not carried over from the old file \(see its \.bak copy\):\n# {3}mylib: defined by the old file itself/,
    );
  });

  it('refuses what it cannot fully read: a flake, a file that does not parse, `with a // b;`', () => {
    const flake = modernize(
      '{ inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-23.05"; outputs = { nixpkgs, ... }: { devShells.x86_64-linux.default = nixpkgs.legacyPackages.x86_64-linux.mkShell { }; }; }',
    );
    assert.match('reason' in flake ? flake.reason : '', /flake/);
    const broken = modernize('let pkgs = import <nixpkgs> {}; in pkgs.python3.withPackages (ps: [ ps.numpy');
    assert.match('reason' in broken ? broken.reason : '', /does not parse \(line 1/);
    const merged = modernize(
      'let pkgs = import <nixpkgs> {}; ml = pkgs.python37Packages; in pkgs.mkShell { buildInputs = with pkgs // ml; [ numpy R ]; }',
    );
    assert.match('reason' in merged ? merged.reason : '', /cannot read every package/);
  });
});
