// A spec as a flake: flake.nix (the shell.nix's pieces, the same managed blocks) and flake.lock
// in Nix's own format, carrying the pin's sha256 as its NAR hash.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNix } from '../../src/core/nix/parser';
import { readDevShells } from '../../src/core/shellNix/devShells';
import { readNixFile } from '../../src/core/shellNix/reader';
import { fileNameProblem, renderFlakeNix, renderSpecFile } from '../../src/core/spec/flake';
import { nixpkgsInput, planFlakeLock, renderFlakeLock } from '../../src/core/spec/flakeLock';
import { planWrite } from '../../src/core/spec/plan';
import { readShellNix, updateShellNix } from '../../src/core/spec/readback';
import { renderShellNix } from '../../src/core/spec/render';
import { parseSpec, type EnvSpec } from '../../src/core/spec/spec';
import { PIN, STAN } from './specs';

const goldenDir = join(__dirname, '../../../test/unit/golden');
function golden(name: string, actual: string): void {
  const path = join(goldenDir, name);
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(path, actual);
  assert.equal(actual, readFileSync(path, 'utf8'), `${name} differs from its golden file`);
}

const FLAKE: EnvSpec = { ...STAN, format: 'flake' };
const CUSTOM = { label: 'mirror', url: 'file:///srv/nixpkgs.tar.gz', sha256: PIN.sha256 };

describe('a spec as a flake', () => {
  it('writes flake.nix and flake.lock exactly as the golden files', () => {
    golden('stan.flake.nix', renderFlakeNix(FLAKE));
    golden('stan.flake.lock', renderFlakeLock(FLAKE.pin));
  });

  it('has the shell.nix’s python and mkShell, a devShell for the usual systems, and parses', () => {
    const flake = renderFlakeNix(FLAKE);
    const shell = renderShellNix(STAN);
    const python = /python = pkgs\.python312\.withPackages[\s\S]*?\]\);/;
    const body = (text: string): string => python.exec(text)![0].replace(/^\s+/gm, '');
    assert.equal(body(flake), body(shell));
    assert.ok(flake.includes('CMDSTAN = "${pkgs.cmdstan}/opt/cmdstan";'));
    assert.deepEqual(parseNix(flake).errors, []);
    for (const system of ['x86_64-linux', 'aarch64-linux', 'x86_64-darwin', 'aarch64-darwin'])
      assert.deepEqual(readDevShells(flake, system), { names: ['default'], complete: true }, system);
    assert.equal(renderSpecFile(FLAKE), flake);
    assert.equal(renderSpecFile(STAN), shell);
    const read = readNixFile(flake);
    assert.equal(read.isFlake, true);
    assert.equal(read.nixpkgs?.kind, 'flake-input');
    assert.equal(read.nixpkgs?.pinned?.kind, 'exact-revision');
    assert.equal(read.python, '3.12');
  });

  it('locks a shipped pin as Nix does: the github node of a real flake.lock, lastModified included', () => {
    // mitchellh/nixos-config flake.lock at 55b6c0226116 locks the same revision (node nixpkgs_3).
    const lock = JSON.parse(renderFlakeLock(PIN)) as { nodes: Record<string, { locked: unknown; original: unknown; flake?: boolean }> };
    assert.deepEqual(lock.nodes['nixpkgs']?.locked, {
      lastModified: 1752620740,
      narHash: 'sha256-f3pO+9lg66mV7IMmmIqG4PL3223TYMlnlw+pnpelbss=',
      owner: 'NixOS',
      repo: 'nixpkgs',
      rev: '32a4e87942101f1c9f9865e04dc3ddb175f5f32e',
      type: 'github',
    });
    assert.deepEqual(lock.nodes['nixpkgs']?.original, { owner: 'NixOS', repo: 'nixpkgs', rev: PIN.url.slice(-47, -7), type: 'github' });
    assert.equal(lock.nodes['nixpkgs']?.flake, false);
  });

  it('writes other pins as a tarball input: custom URLs, and a GitHub archive whose lastModified is not known', () => {
    assert.deepEqual(nixpkgsInput(CUSTOM), { type: 'tarball', url: CUSTOM.url });
    const unknownRev = { label: 'fork', url: `https://github.com/NixOS/nixpkgs/archive/${'a'.repeat(40)}.tar.gz`, sha256: PIN.sha256 };
    assert.equal(nixpkgsInput(unknownRev).type, 'tarball');
    assert.equal(
      nixpkgsInput({ ...PIN, sha256: CUSTOM.sha256.replace(/.$/, '0') }).type,
      'tarball',
      'a shipped revision with another hash',
    );
    const flake = renderFlakeNix({ ...FLAKE, pin: CUSTOM });
    assert.match(
      flake,
      /inputs\.nixpkgs = \{\n {4}type = "tarball";\n {4}url = "file:\/\/\/srv\/nixpkgs\.tar\.gz";\n {4}flake = false;\n {2}\};/,
    );
    assert.deepEqual(JSON.parse(renderFlakeLock(CUSTOM)).nodes.nixpkgs.locked, {
      narHash: 'sha256-f3pO+9lg66mV7IMmmIqG4PL3223TYMlnlw+pnpelbss=',
      type: 'tarball',
      url: CUSTOM.url,
    });
  });

  it('reads back as PPL Nix’s, and an update keeps the user’s lines (another devShell, another input)', () => {
    const flake = renderFlakeNix(FLAKE);
    assert.deepEqual(readShellNix(flake), { kind: 'managed', spec: { ...FLAKE, packages: [...FLAKE.packages].sort() }, handEdited: [] });
    const edited = flake
      .replace('  outputs = {', '  inputs.utils.url = "github:numtide/flake-utils";\n\n  outputs = {')
      .replace(
        '    {\n      devShells.x86_64-linux.default',
        '    {\n      devShells.x86_64-linux.docs = shell "x86_64-linux";\n      devShells.x86_64-linux.default',
      );
    const updated = updateShellNix(edited, { ...FLAKE, packages: [...FLAKE.packages, 'numpyro'] }, 'flake.nix');
    assert.ok(updated.includes('inputs.utils.url = "github:numtide/flake-utils";'));
    assert.ok(updated.includes('devShells.x86_64-linux.docs = shell "x86_64-linux";'));
    assert.match(updated, /\n {12}numpyro\n/);
    assert.deepEqual(readDevShells(updated, 'x86_64-linux').names, ['default', 'docs']);
    const plan = planWrite(flake, { ...FLAKE, pin: CUSTOM }, 'flake.nix');
    assert.equal(plan.kind, 'update');
    assert.ok(plan.kind === 'update' && plan.text.includes('type = "tarball";'));
  });

  it('updates a lock in place: the nixpkgs node changes, nodes the user locked stay', () => {
    const userLock = JSON.parse(renderFlakeLock(PIN)) as { nodes: Record<string, unknown> & { root: { inputs: Record<string, unknown> } } };
    userLock.nodes['utils'] = {
      locked: { lastModified: 1, narHash: 'sha256-x', owner: 'numtide', repo: 'flake-utils', rev: 'b'.repeat(40), type: 'github' },
      original: { owner: 'numtide', repo: 'flake-utils', type: 'github' },
    };
    userLock.nodes.root.inputs['utils'] = 'utils';
    const existing = `${JSON.stringify(userLock, null, 2)}\n`;
    const plan = planFlakeLock(existing, CUSTOM, true);
    assert.equal(plan.kind, 'update');
    const next = JSON.parse(plan.text) as typeof userLock;
    assert.deepEqual(next.nodes['utils'], userLock.nodes['utils']);
    assert.deepEqual(next.nodes.root.inputs, { nixpkgs: 'nixpkgs', utils: 'utils' });
    assert.equal((next.nodes['nixpkgs'] as { locked: { type: string } }).locked.type, 'tarball');
    assert.deepEqual(planFlakeLock(renderFlakeLock(PIN), PIN, true), { kind: 'update', text: renderFlakeLock(PIN), unchanged: true });
    assert.equal(planFlakeLock(undefined, PIN, false).kind, 'create');
    assert.equal(planFlakeLock('not json', PIN, true).kind, 'replace');
    assert.equal(
      planFlakeLock(existing, PIN, false).kind,
      'replace',
      'a new flake.nix gets a fresh lock (the old one is kept as a backup)',
    );
    // Another node shares the nixpkgs node: ours gets a key of its own.
    const sharing = JSON.parse(existing) as typeof userLock;
    (sharing.nodes['utils'] as Record<string, unknown>)['inputs'] = { nixpkgs: 'nixpkgs' };
    const shared = JSON.parse(planFlakeLock(`${JSON.stringify(sharing)}\n`, CUSTOM, true).text) as typeof userLock;
    assert.equal(shared.nodes.root.inputs['nixpkgs'], 'nixpkgs_2');
    assert.deepEqual(shared.nodes['nixpkgs'], userLock.nodes['nixpkgs']);
  });

  it('is only ever a file named flake.nix, and a shell.nix never is', () => {
    assert.equal(fileNameProblem(FLAKE, '/w/flake.nix'), undefined);
    assert.match(fileNameProblem(FLAKE, '/w/shell.nix') ?? '', /named flake\.nix/);
    assert.match(fileNameProblem(STAN, 'envs/flake.nix') ?? '', /as a flake/);
    assert.equal(fileNameProblem(STAN, 'envs/numpyro.nix'), undefined);
    assert.equal(parseSpec({ ...JSON.parse(JSON.stringify(FLAKE)), format: 'nixos' }), undefined);
  });
});
