// The devShell names of a flake, read without evaluating it (core/shellNix/devShells.ts). The flake
// texts are ours; each reproduces the shape of a public flake.nix (names, inputs and packages
// changed), found with the code search of this project's tools:
//   eachSystem with five devShells.<name>  EMI-Group/evox flake.nix (`with utils.lib; eachSystem (with system; [ x86_64-linux ]) …`)
//   forAllSystems = genAttrs [ … ]         haru02w/dotfiles templates/python_cuda/flake.nix; leolavaur/waterllmarks flake.nix
//   forAllSystems over listToAttrs         smunix/cuda-devenv flake.nix
//   forAllSystems (pkgs: { … })            an unnamed flake: `forAllSystems = _args: genAttrs supportedSystems (system: _args (import nixpkgs { inherit system; }))`
//   eachDefaultSystem (system: let … in { devShells.default = …; })   SW10-Cryptanalysis/RWKV-6, eliseuv/sternhalma-agent flake.nix
//   let system = "x86_64-linux"; … in { devShells.${system}.default = shell; }   an unnamed CUDA flake
//   flake-parts mkFlake { … } { perSystem = { pkgs, … }: { devShells… } }        test/fixtures/real-world/flake-channel-url-input-flake-parts
//   legacy `devShell = …` in eachDefaultSystem                                    Hobr/my-nix devshell/python-cuda.nix
//   devShells.x86_64-linux = { default = …; }                                     test/fixtures/real-world/flake-pypkgs-from-other-python-set
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDevShells } from '../../src/core/shellNix/devShells';
import { nixSystemOf } from '../../src/core/nix/system';
import { repoRoot } from '../nix/fixture';

const LINUX = 'x86_64-linux';
const realWorld = (name: string): string => readFileSync(join(repoRoot(), 'test/fixtures/real-world', name, 'flake.nix'), 'utf8');

describe('reading the devShells of a flake', () => {
  it('devShells.<system>.<name> spelled out, for this system only', () => {
    const text = `{
  outputs = { self, nixpkgs }: {
    devShells.x86_64-linux.default = nixpkgs.legacyPackages.x86_64-linux.mkShell { };
    devShells.x86_64-linux.gpu = nixpkgs.legacyPackages.x86_64-linux.mkShell { };
    devShells.aarch64-darwin.metal = nixpkgs.legacyPackages.aarch64-darwin.mkShell { };
  };
}`;
    assert.deepEqual(readDevShells(text, LINUX), { names: ['default', 'gpu'], complete: true });
    assert.deepEqual(readDevShells(text, 'aarch64-darwin').names, ['metal']);
  });

  it('devShells.${system}.<name> with a let-bound system, or a system the outputs take per system', () => {
    const letBound = `{
  outputs = { self, nixpkgs }:
    let
      system = "x86_64-linux";
      pkgs = import nixpkgs { inherit system; config.allowUnfree = true; };
      shell = pkgs.mkShell { packages = [ pkgs.cudatoolkit ]; };
    in
    {
      devShells.\${system}.cuda = shell;
    };
}`;
    // (One binding per dynamic path: Nix refuses a second devShells.\${system}.… as "already defined".)
    assert.deepEqual(readDevShells(letBound, LINUX), { names: ['cuda'], complete: true });
    assert.deepEqual(readDevShells(letBound, 'aarch64-linux').names, [], 'the let binding says x86_64-linux');
    assert.deepEqual(readDevShells(realWorld('flake-devshells-system-default-jax'), LINUX), { names: ['default'], complete: true });
  });

  it('devShells = forAllSystems (system: { … }), through genAttrs, listToAttrs and a pkgs-taking helper', () => {
    const genAttrs = `{
  outputs = { self, nixpkgs, ... } @ inputs:
  let
    forAllSystems = nixpkgs.lib.genAttrs [ "x86_64-linux" "aarch64-linux" ];
  in
  {
    devShells = forAllSystems (system:
    let
      pkgs = import nixpkgs { inherit system; config.cudaSupport = true; };
    in
    {
      default = pkgs.callPackage ./shell.nix { };
      gpu = pkgs.callPackage ./shell.nix { cuda = true; };
    });
  };
  inputs = { nixpkgs.url = "github:nixos/nixpkgs/nixos-23.11"; };
}`;
    assert.deepEqual(readDevShells(genAttrs, LINUX), { names: ['default', 'gpu'], complete: true });
    const listToAttrs = `{
  outputs = { self, nixpkgs, ... } @ inputs:
    let
      systems = [ "x86_64-linux" "aarch64-darwin" ];
      forAllSystems = f: builtins.listToAttrs (map (name: { inherit name; value = f name; }) systems);
    in
    {
      devShells = forAllSystems
        (system:
          let pkgs = import nixpkgs { inherit system; };
          in { default = pkgs.mkShell { }; docs = pkgs.mkShell { }; });
    };
}`;
    assert.deepEqual(readDevShells(listToAttrs, LINUX).names, ['default', 'docs']);
    const pkgsHelper = `{
  outputs = { nixpkgs, ... }:
    let
      supportedSystems = [ "x86_64-linux" "aarch64-darwin" ];
      forAllSystems = _args: nixpkgs.lib.genAttrs supportedSystems (system: _args (import nixpkgs { inherit system; }));
    in
    {
      devShells = forAllSystems (pkgs: {
        default = import ./shell.nix { inherit pkgs; };
        notebook = import ./notebook.nix { inherit pkgs; };
      });
    };
}`;
    assert.deepEqual(readDevShells(pkgsHelper, LINUX).names, ['default', 'notebook']);
  });

  it('flake-utils eachDefaultSystem / eachSystem (system: { devShells.<name> = …; }), merged with //', () => {
    const eachSystem = `{
  outputs = { self, nixpkgs, utils }:
    with utils.lib;
    with nixpkgs.lib;
    eachSystem (with system; [ x86_64-linux ]) (system:
      let
        builder = import ./dev_env_builder.nix;
        cuda-env = builder { inherit system nixpkgs; cudaSupport = true; };
        cpu-env = builder { inherit system nixpkgs; };
      in {
        devShells.default = cpu-env;
        devShells.cpu = cpu-env;
        devShells.cuda = cuda-env;
        devShells.rocm = builder { inherit system nixpkgs; rocmSupport = true; };
      });
}`;
    assert.deepEqual(readDevShells(eachSystem, LINUX), { names: ['default', 'cpu', 'cuda', 'rocm'], complete: true });
    const merged = `{
  outputs = { self, nixpkgs, flake-utils }:
    let
      perSystem = system: let pkgs = nixpkgs.legacyPackages.\${system}; in {
        devShells = { default = pkgs.mkShell { }; gpu = pkgs.mkShell { }; };
      };
    in
    flake-utils.lib.eachSystem [ "x86_64-linux" ] perSystem // { overlays.default = final: prev: { }; };
}`;
    assert.deepEqual(readDevShells(merged, LINUX).names, ['default', 'gpu']);
    assert.deepEqual(readDevShells(merged, 'aarch64-darwin').names, [], 'eachSystem [ "x86_64-linux" ] names its systems');
  });

  it('devShells.<system> = { … }, flake-parts perSystem, and a flake whose whole body is let … in { … }', () => {
    assert.deepEqual(readDevShells(realWorld('flake-pypkgs-from-other-python-set'), LINUX), { names: ['default'], complete: true });
    assert.deepEqual(readDevShells(realWorld('flake-channel-url-input-flake-parts'), LINUX), { names: ['default'], complete: true });
    const letFlake = `let
  shells = pkgs: { default = pkgs.mkShell { }; stan = pkgs.mkShell { }; };
in
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
  outputs = { self, nixpkgs }: {
    devShells.x86_64-linux = shells nixpkgs.legacyPackages.x86_64-linux;
  };
}`;
    const read = readDevShells(letFlake, LINUX);
    assert.equal(read.complete, false, 'shells is a function PPL Nix does not call');
    assert.match(read.note ?? '', /function call .* \(line 7\)/);
  });

  it('says when it cannot tell: an import, a legacy devShell, a computed name, a file that does not parse', () => {
    const imported = `{ outputs = { self, nixpkgs }: { devShells = import ./nix/devshells.nix { inherit nixpkgs; }; }; }`;
    const read = readDevShells(imported, LINUX);
    assert.deepEqual(read.names, []);
    assert.equal(read.complete, false);
    assert.match(read.note ?? '', /cannot list every devShell/);
    // A legacy devShell (no devShells at all): nothing to list, nothing unread; the default is entered as before.
    assert.deepEqual(readDevShells(realWorld('flake-devshell-numpyro'), LINUX), { names: [], complete: true });
    const computed = `{ outputs = { self }: { devShells.x86_64-linux.\${"g" + "pu"} = null; devShells.x86_64-linux.default = null; }; }`;
    assert.deepEqual(readDevShells(computed, LINUX).names, ['default']);
    assert.equal(readDevShells(computed, LINUX).complete, false);
    assert.equal(readDevShells('{ outputs = { self }: { devShells.', LINUX).complete, false);
  });

  it('lists a name PPL Nix cannot pass to Nix as such, and leaves it out of what can be entered', () => {
    const text = `{ outputs = { self }: { devShells.x86_64-linux = { default = null; "py3.12" = null; it's = null; }; }; }`;
    const read = readDevShells(text, LINUX);
    assert.deepEqual(read.names, ['default']);
    assert.equal(read.complete, true);
    assert.match(read.note ?? '', /"py3\.12", "it's"/);
  });

  it("the current system comes from Node's platform and architecture", () => {
    assert.equal(nixSystemOf('linux', 'x64'), 'x86_64-linux');
    assert.equal(nixSystemOf('darwin', 'arm64'), 'aarch64-darwin');
    assert.equal(nixSystemOf('linux', 'arm64'), 'aarch64-linux');
    assert.equal(nixSystemOf('win32', 'x64'), undefined);
  });
});
