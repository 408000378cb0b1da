// What the language server says about a shell.nix: diagnostics that match what Nix will do, quick
// fixes that work, refactorings, completions and hovers; built on the one reader.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { completions, diagnose, hover, refactorings, type Finding, type Fix, type TextEdit } from '../../src/core/shellNix/assist';
import { reproduceExactly } from '../../src/core/shellNix/migrate';
import { readNixFile } from '../../src/core/shellNix/reader';
import { defaultPin, SHIPPED_PINS } from '../../src/core/pins/pins';
import { renderShellNix } from '../../src/core/spec/render';
import { repoRoot } from '../nix/fixture';

const SEED = readFileSync(join(repoRoot(), 'test/fixtures/tweag-2022/shell.nix'), 'utf8');
const pin = (branch: string, date?: string) => SHIPPED_PINS.find((p) => p.branch === branch && (date === undefined || p.date === date))!;

function apply(text: string, edits: readonly TextEdit[]): string {
  return [...edits]
    .sort((a, b) => b.start - a.start)
    .reduce((out, edit) => out.slice(0, edit.start) + edit.newText + out.slice(edit.end), text);
}
function editsOf(fix: Fix | undefined): readonly TextEdit[] {
  assert.ok(fix !== undefined && 'edits' in fix, 'an editing fix');
  return fix.edits;
}
const findingsOf = (text: string): Finding[] =>
  diagnose(readNixFile(text), { migrateCommand: 'pplNix.migrate', uri: 'file:///w/shell.nix' });
const codes = (text: string): string[] => findingsOf(text).map((f) => f.code);
/** A shell at a pin, with packages in a withPackages list. */
function shellAt(p: { url: string; sha256: string }, python: string, packages: string[]): string {
  return `let pkgs = import (fetchTarball { url = "${p.url}"; sha256 = "${p.sha256}"; }) {};
  python = pkgs.python${python.replace('.', '')}.withPackages (ps: with ps; [
${packages.map((n) => `    ${n}\n`).join('')}  ]);
in pkgs.mkShell { packages = [ python ]; }
`;
}

describe('shell.nix diagnostics', () => {
  it('the seed file: its http branch tarball is flagged, fixed by the exact revision of its hash (byte-identical to migrate --reproduce)', () => {
    const findings = findingsOf(SEED);
    assert.deepEqual(
      findings.map((f) => f.code),
      ['moving-pin'],
      'at the 2022 revision pymc3 and python39 existed: nothing else',
    );
    const [moving] = findings;
    assert.equal(SEED.slice(moving!.start, moving!.end), 'http://github.com/NixOS/nixpkgs/archive/nixpkgs-unstable.tar.gz');
    assert.match(moving!.message, /will break when the branch moves/);
    const exact = moving!.fixes.find((f) => f.title.startsWith('Pin the exact revision this hash belongs to'));
    const reproduced = reproduceExactly(SEED);
    assert.ok(reproduced.ok);
    assert.equal(apply(SEED, editsOf(exact)), reproduced.text);
    assert.ok(moving!.fixes.some((f) => 'command' in f && f.command === 'pplNix.migrate'));
  });

  it('re-pinned to the newest release with its own fix, the seed then says what changed: no python39, pymc3 is only an alias', () => {
    const repin = findingsOf(SEED)[0]!.fixes.find((f) => f.title.startsWith('Re-pin to'));
    const repinned = apply(SEED, editsOf(repin));
    const findings = findingsOf(repinned);
    assert.deepEqual(findings.map((f) => f.code).sort(), ['renamed-package', 'unavailable-python']);
    const python = findings.find((f) => f.code === 'unavailable-python')!;
    assert.match(python.message, new RegExp(`Python 3\\.9 is not available at nixpkgs ${defaultPin().branch}`));
    const fixed = apply(repinned, editsOf(python.fixes[0]));
    assert.ok(fixed.includes(`python${defaultPin().preferredPython!.replace('.', '')}.withPackages`));
    const pymc3 = findings.find((f) => f.code === 'renamed-package')!;
    assert.equal(repinned.slice(pymc3.start, pymc3.end), 'pymc3');
    assert.match(pymc3.message, /pymc3 is an alias of pymc/);
    assert.ok(apply(repinned, editsOf(pymc3.fixes[0])).includes('[ pymc matplotlib numpy ipython ]'));
  });

  it('what Nix refuses is an error, in Nix’s words: a removed name, a broken package, a package not for this Python', () => {
    const removed = findingsOf(shellAt(pin('nixos-25.05'), '3.12', ['theano', 'pymc']));
    assert.equal(removed.length, 1);
    assert.equal(removed[0]!.severity, 'error');
    assert.match(removed[0]!.message, /theano has been removed because it is no longer maintained/);
    assert.match(removed[0]!.fixes[0]!.title, /Replace theano with pytensor/);
    const broken = findingsOf(shellAt(pin('nixos-25.11'), '3.13', ['tensorflow-probability']));
    assert.equal(broken[0]?.severity, 'error');
    assert.match(broken[0]!.message, /tensorflow-probability.* is marked as broken at nixpkgs nixos-25\.11/);
    assert.ok(
      broken[0]!.fixes.some((f) => /Re-pin to .*where tensorflow-probability is usable/.test(f.title)),
      broken[0]!.fixes.map((f) => f.title).join(' | '),
    );
    const restricted = findingsOf(shellAt(pin('nixos-24.11'), '3.12', ['aesara']));
    assert.match(restricted[0]!.message, /not supported for interpreter python3\.12 .* works with Python 3\.9, 3\.10, 3\.11/);
    const switched = apply(shellAt(pin('nixos-24.11'), '3.12', ['aesara']), editsOf(restricted[0]!.fixes[0]));
    assert.ok(switched.includes('pkgs.python311.withPackages'));
    assert.deepEqual(codes(switched), [], 'with Python 3.11 aesara is usable at 24.11');
  });

  it('a rename is flagged at every pin after it, researched or not; before it, the name is fine', () => {
    const custom = {
      url: 'https://github.com/NixOS/nixpkgs/archive/0123456789abcdef0123456789abcdef01234567.tar.gz',
      sha256: defaultPin().sha256.replace(/^./, '0'),
    };
    assert.ok(codes(shellAt(custom, '3.12', ['scikitlearn'])).includes('renamed-package'), 'an unknown revision: the rename still counts');
    for (const p of SHIPPED_PINS) assert.ok(codes(shellAt(p, p.pythons.at(-1)!, ['scikitlearn'])).includes('renamed-package'), p.label);
    assert.deepEqual(
      codes(SEED).filter((c) => c !== 'moving-pin'),
      [],
      'pymc3 in March 2022: a real package',
    );
  });

  it('unpinned <nixpkgs>, release tags and exact revisions without a hash are said; every hash form is valid', () => {
    const unpinned = '{ pkgs ? import <nixpkgs> {} }: pkgs.mkShell { packages = [ (pkgs.python3.withPackages (ps: [ ps.numpy ])) ]; }';
    const [finding] = findingsOf(unpinned);
    assert.equal(finding?.code, 'unpinned');
    const pinned = apply(unpinned, editsOf(finding!.fixes[0]));
    assert.ok(pinned.includes(`(fetchTarball { url = "${defaultPin().url}"; sha256 = "${defaultPin().sha256}"; })`));
    assert.deepEqual(codes(pinned), []);
    assert.deepEqual(
      codes(
        'import (fetchTarball { url = "https://github.com/NixOS/nixpkgs/archive/20.03.tar.gz"; sha256 = "0182ys095dfx02vl2a20j1hz92dx3mfgz2a6fhn31bqlp1wa8hlq"; }) {}',
      ),
      ['release-tag'],
    );
    assert.deepEqual(
      codes('import (fetchTarball "https://github.com/NixOS/nixpkgs/archive/9ddcaffecdf098822d944d4147dd8da30b4e6843.tar.gz") {}'),
      ['unverified-pin'],
    );
    const p = pin('nixos-23.11');
    for (const hash of ['sha256-3Eh7fhEID17pv9ZxrPwCLfqXnYP006RKzSs0JptsN84=', `sha256:${p.sha256}`])
      assert.deepEqual(codes(shellAt({ ...p, sha256: hash }, '3.11', ['numpy'])), [], hash);
    assert.deepEqual(codes(shellAt({ ...p, sha256: 'sha256-nope' }, '3.11', ['numpy'])), ['invalid-hash']);
  });

  it('refactorings convert a hash to another form (not a problem, an offer)', () => {
    const p = pin('nixos-23.11');
    const text = shellAt(p, '3.11', ['numpy']);
    const at = text.indexOf(p.sha256) + 3;
    const titles = refactorings(readNixFile(text), { start: at, end: at }).map((f) => f.title);
    assert.deepEqual(titles, ['Convert the hash to SRI (sha256-…)', 'Convert the hash to hexadecimal']);
    const sri = apply(text, editsOf(refactorings(readNixFile(text), { start: at, end: at })[0]));
    assert.ok(sri.includes('sha256 = "sha256-3Eh7fhEID17pv9ZxrPwCLfqXnYP006RKzSs0JptsN84="'));
  });

  it('a file that does not parse gets the syntax error, and still its package findings', () => {
    const broken = shellAt(pin('nixos-25.05'), '3.12', ['theano']).replace('  ]);', '  ]').replace('in pkgs', ';in pkgs');
    const found = codes(broken);
    assert.ok(found.includes('parse-error'), found.join(','));
    assert.ok(found.includes('renamed-package'), found.join(','));
  });
});

describe('shell.nix completions and hovers', () => {
  const text = renderShellNix({
    name: 'x',
    pin: pin('nixos-25.11'),
    python: '3.13',
    packages: ['pymc', 'arviz'],
    extraPackages: [],
    systemPackages: [],
  });
  it('offers catalog packages not yet listed and not broken at the pin, with their version', () => {
    const offset = text.indexOf('    arviz\n') + '    arviz'.length;
    const typed = `${text.slice(0, offset)}\n    py${text.slice(offset)}`;
    const items = completions(readNixFile(typed), offset + '\n    py'.length);
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('pytensor'));
    assert.ok(!labels.includes('pymc') && !labels.includes('arviz'), 'already listed');
    assert.ok(!labels.includes('tensorflow-probability'), 'broken at nixos-25.11');
    assert.deepEqual(completions(readNixFile(text), text.indexOf('# Enter it with')), [], 'nothing outside the list or in a comment');
  });

  it('hovers say what the package is and its state and version at the pin', () => {
    const at = text.indexOf('    pymc\n') + 6;
    const shown = hover(readNixFile(text), at);
    assert.match(shown?.markdown ?? '', /\*\*PyMC\*\* `pymc`/);
    assert.match(shown?.markdown ?? '', /At nixpkgs nixos-25\.11 \(2025-12-15\), Python 3\.13: usable/);
  });
});
