import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { indentedStringBody, renderShellNix, resolve } from '../../src/core/spec/render';
import { EVERYTHING, PYMC, STAN } from './specs';

// Golden files live in the source tree; UPDATE_GOLDEN=1 rewrites them (review the diff!).
const goldenDir = join(__dirname, '../../../test/unit/golden');

function golden(name: string, actual: string): void {
  const path = join(goldenDir, name);
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(path, actual);
  assert.equal(actual, readFileSync(path, 'utf8'), `${name} differs from its golden file`);
}

describe('rendering a spec into shell.nix', () => {
  it('writes the PyMC + ArviZ environment exactly as the golden file', () => golden('pymc.nix', renderShellNix(PYMC)));
  it('writes CmdStanPy with cmdstan, CMDSTAN, extras and an escaped shellHook', () => golden('stan.nix', renderShellNix(STAN)));
  it('groups many packages by category', () => golden('everything.nix', renderShellNix(EVERYTHING)));

  it('pins by exact URL and hash inside fetchTarball, and uses the chosen Python', () => {
    const text = renderShellNix(PYMC);
    assert.match(
      text,
      /nixpkgs = fetchTarball \{\n\s+url = "https:\/\/github\.com\/NixOS\/nixpkgs\/archive\/32a4e87942101f1c9f9865e04dc3ddb175f5f32e\.tar\.gz";\n\s+sha256 = "1jvflnbrxa8gjxkwjq6kdpdzgwp0hs59h9l3xjasksv0v7xlwykz";/,
    );
    assert.match(text, /\{ pkgs \? import nixpkgs \{ \} \}:/);
    assert.match(text, /pkgs\.python312\.withPackages \(ps: with ps; \[/);
    assert.match(text, /pkgs\.mkShell \{/);
  });

  it('gives the same text for the same choice in any order', () => {
    const shuffled = { ...STAN, packages: [...STAN.packages].reverse(), systemPackages: [...STAN.systemPackages].reverse() };
    assert.equal(renderShellNix(shuffled), renderShellNix(STAN));
  });

  it('adds what chosen packages need: cmdstan and CMDSTAN for CmdStanPy', () => {
    const env = resolve(STAN);
    assert.deepEqual(env.systemPackages, ['cmdstan', 'git']);
    assert.deepEqual(
      env.variables.map((v) => v.name),
      ['CMDSTAN'],
    );
    assert.match(renderShellNix(STAN), /CMDSTAN = "\$\{pkgs\.cmdstan\}\/opt\/cmdstan";/);
  });

  it('escapes a shellHook so Nix runs exactly what the user wrote', () => {
    assert.equal(indentedStringBody("a ''b'' ${c} $d"), "a '''b''' ''${c} $d");
  });
});
