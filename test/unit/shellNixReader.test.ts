// The one reader of real Nix files (core/shellNix/reader.ts): pins in every form, the Python
// version, every Python package reference, system packages and what the file defines itself.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertHash, hashForm } from '../../src/core/nix/hashes';
import { classifyNixpkgsUrl } from '../../src/core/shellNix/nixpkgsUrls';
import { pinContext } from '../../src/core/shellNix/pinContext';
import { pythonPackageNames, readNixFile } from '../../src/core/shellNix/reader';
import { repoRoot } from '../nix/fixture';

const SEED = readFileSync(join(repoRoot(), 'test/fixtures/tweag-2022/shell.nix'), 'utf8');
const names = (text: string): string[] => pythonPackageNames(readNixFile(text));

describe('reading real Nix files', () => {
  it('the seed file (published shape): http branch tarball with its hash, with pkgs;, python39, four packages', () => {
    const file = readNixFile(SEED);
    assert.deepEqual(file.errors, []);
    assert.equal(file.nixpkgs?.kind, 'branch');
    assert.equal(file.nixpkgs?.url?.value, 'http://github.com/NixOS/nixpkgs/archive/nixpkgs-unstable.tar.gz');
    assert.equal(SEED.slice(file.nixpkgs!.url!.literal!.start, file.nixpkgs!.url!.literal!.end), file.nixpkgs?.url?.value);
    assert.equal(file.nixpkgs?.hashForm, 'base32');
    assert.equal(file.nixpkgs?.imported, true, 'default_pkgs is imported');
    assert.equal(file.python, '3.9');
    assert.deepEqual(pythonPackageNames(file), ['pymc3', 'matplotlib', 'numpy', 'ipython']);
    assert.equal(pinContext(file).known?.rev, '30d3d79b7d3607d56546dd2a6b49e156ba0ec634', 'the hash names the 2022 revision');
  });

  it('every URL form of a moving branch or channel is one; a release tag is fixed; an exact revision is exact', () => {
    const moving = [
      'http://github.com/NixOS/nixpkgs/archive/nixpkgs-unstable.tar.gz',
      'https://github.com/nixos/nixpkgs/archive/nixos-21.05.tar.gz',
      'https://www.github.com/NixOS/nixpkgs/archive/master.tar.gz',
      'https://github.com/NixOS/nixpkgs/tarball/nixos-23.11',
      'https://github.com/NixOS/nixpkgs/archive/refs/heads/nixos-21.05-small.tar.gz',
      'https://nixos.org/channels/nixos-19.09/nixexprs.tar.xz',
      'https://channels.nixos.org/nixos-unstable/nixexprs.tar.xz',
      'github:NixOS/nixpkgs/nixos-23.05',
      'github:nixos/nixpkgs?ref=nixos-unstable',
    ];
    for (const url of moving) assert.ok(['branch', 'channel'].includes(classifyNixpkgsUrl(url)?.kind ?? ''), url);
    assert.deepEqual(classifyNixpkgsUrl('https://github.com/NixOS/nixpkgs/archive/20.03.tar.gz'), { kind: 'release-tag', tag: '20.03' });
    assert.equal(
      classifyNixpkgsUrl('https://github.com/NixOS/nixpkgs/archive/9ddcaffecdf098822d944d4147dd8da30b4e6843.tar.gz')?.kind,
      'exact-revision',
    );
    assert.equal(classifyNixpkgsUrl('https://github.com/oxalica/rust-overlay/archive/master.tar.gz'), undefined);
  });

  it('pins written other ways: let-bound rev and sha256 with inherit, fetchFromGitHub, <nixpkgs>, a project fetched first, flake inputs', () => {
    const letBound =
      readNixFile(`let rev = "614b4613980a522ba49f0d194531beddbb7220d3"; sha256 = "1kipdjdjcd1brm5a9lzlhffrgyid0byaqwfnpzlmw3q825z7nj6w";
      pkgs = import (fetchTarball { url = "https://github.com/NixOS/nixpkgs/archive/\${rev}.tar.gz"; inherit sha256; }) {}; in pkgs.mkShell {}`);
    assert.equal(letBound.nixpkgs?.kind, 'exact-revision');
    assert.equal(pinContext(letBound).known?.branch, 'nixos-23.11');
    const github = readNixFile(
      `let pkgs = import (fetchFromGitHub { owner = "NixOS"; repo = "nixpkgs"; rev = "614b4613980a522ba49f0d194531beddbb7220d3"; hash = "sha256-3Eh7fhEID17pv9ZxrPwCLfqXnYP006RKzSs0JptsN84="; }) {}; in pkgs.mkShell {}`,
    );
    assert.equal(github.nixpkgs?.kind, 'fetchFromGitHub');
    assert.equal(github.nixpkgs?.hashForm, 'sri');
    assert.equal(pinContext(github).known?.branch, 'nixos-23.11', 'found by revision (and its SRI hash)');
    const unpinned = readNixFile('{ pkgs ? import <nixpkgs> {} }: pkgs.mkShell { packages = [ pkgs.git ]; }');
    assert.equal(unpinned.nixpkgs?.kind, 'unpinned');
    assert.deepEqual(
      unpinned.systemPackages.map((s) => s.name),
      ['git'],
    );
    const projectFirst =
      readNixFile(`let overlay = fetchTarball "https://github.com/oxalica/rust-overlay/archive/a21c163919cd90dd67bcd03345fac5441e53cccc.tar.gz";
      pkgs = import (fetchTarball "https://github.com/NixOS/nixpkgs/archive/5cf5cad0da6244da30be1b6da2ff3d44b6f3ebe5.tar.gz") { overlays = [ (import overlay) ]; }; in pkgs.mkShell {}`);
    assert.equal(projectFirst.pins.length, 2);
    assert.equal(
      projectFirst.nixpkgs?.url?.value,
      'https://github.com/NixOS/nixpkgs/archive/5cf5cad0da6244da30be1b6da2ff3d44b6f3ebe5.tar.gz',
      'nixpkgs, not the project before it',
    );
    const flake = readNixFile('{ inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-23.05"; outputs = { self, nixpkgs }: { }; }');
    assert.equal(flake.isFlake, true);
    assert.equal(flake.nixpkgs?.kind, 'flake-input');
    assert.equal(flake.nixpkgs?.pinned?.kind, 'branch');
  });

  it('package lists in every form people write', () => {
    assert.deepEqual(names('pkgs.python3.withPackages (ps: [ ps.numpy /* ps.gone */ ps.scipy ])'), ['numpy', 'scipy']);
    assert.deepEqual(names('let my = ps: with ps; [ pymc arviz ]; in pkgs.python311.withPackages my'), ['pymc', 'arviz']);
    assert.deepEqual(names('pkgs.mkShell { buildInputs = [ pkgs.python37Packages.pymc3 pkgs.python37Packages.numpy ]; }'), [
      'pymc3',
      'numpy',
    ]);
    assert.deepEqual(
      names('with import <nixpkgs> {}; mkShell { buildInputs = with python3Packages; [ jax jaxlib ] ++ (with pkgs; [ git ]); }'),
      ['jax', 'jaxlib'],
    );
    assert.deepEqual(names('{ pkgs }: pkgs.mkShell { packages = [ pkgs.python3.pkgs.emcee ]; }'), ['emcee']);
    assert.deepEqual(names('(pkgs.python36.buildEnv.override { extraLibs = with pkgs.python36Packages; [ scipy scikitlearn ]; }).env'), [
      'scipy',
      'scikitlearn',
    ]);
    assert.deepEqual(names('python3.withPackages (ps: with ps; [ numpy (if cuda then torchWithCuda else torch) ])'), [
      'numpy',
      'torchWithCuda',
      'torch',
    ]);
    assert.equal(readNixFile('with pkgs; mkShell { buildInputs = [ python311 python311Packages.numpy ]; }').python, '3.11');
  });

  it('packages the file defines itself are read as such, not as nixpkgs packages', () => {
    const file = readNixFile(`let mylib = python3.pkgs.buildPythonPackage { pname = "mylib"; version = "1"; src = ./.; };
      in pkgs.mkShell { packages = [ (python3.withPackages (ps: [ ps.numpy mylib ])) ]; }`);
    assert.deepEqual(pythonPackageNames(file), ['numpy', 'mylib']);
    assert.ok(file.packages.find((p) => p.name === 'mylib')?.local);
    assert.ok(file.overlayOnly.includes('mylib'));
  });

  it('a file that does not parse: where, and the rest still read', () => {
    const file = readNixFile(
      'let pkgs = import <nixpkgs> {};\n  python = pkgs.python312.withPackages (ps: with ps; [ pymc arviz\n in pkgs.mkShell { packages = [ python ]; }',
    );
    assert.ok(file.errors.length > 0);
    assert.deepEqual(pythonPackageNames(file).slice(0, 2), ['pymc', 'arviz']);
    assert.equal(file.python, '3.12');
  });

  it('`with a // b;` cannot say which set a name comes from: unread, never guessed', () => {
    const file = readNixFile('let ml = pkgs.python37Packages; in pkgs.mkShell { buildInputs = with pkgs // ml; [ numpy R ]; }');
    assert.ok(file.unread.length > 0);
  });

  it('every hash form Nix accepts, converted exactly', () => {
    const base32 = '1kipdjdjcd1brm5a9lzlhffrgyid0byaqwfnpzlmw3q825z7nj6w';
    const sri = 'sha256-3Eh7fhEID17pv9ZxrPwCLfqXnYP006RKzSs0JptsN84=';
    assert.equal(convertHash(sri, 'base32'), base32);
    assert.equal(convertHash(base32, 'sri'), sri);
    assert.equal(convertHash(convertHash(base32, 'hex')!, 'base32'), base32);
    assert.equal(convertHash(`sha256:${base32}`, 'sri'), sri);
    assert.deepEqual([base32, sri, `sha256:${base32}`, convertHash(base32, 'hex')!, 'nope'].map(hashForm), [
      'base32',
      'sri',
      'sha256-prefixed',
      'hex',
      undefined,
    ]);
  });
});
