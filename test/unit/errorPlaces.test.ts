import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PplNixErrorData } from '../../src/core/errors';
import { parseNixError } from '../../src/core/nix/nixErrors';
import { errorFile, placesOf, withLocation } from '../../src/core/shellNix/errorPlaces';
import { readNixFile } from '../../src/core/shellNix/reader';

// The stderr Nix 2.8 printed for each broken file (recorded by test/nix/fixture.test.ts), and the
// file it printed it for: the same template as test/nix/fixture.ts#shellNix writes.
const recorded = (name: string): string => readFileSync(join(__dirname, '../../../test/fixtures/nix-errors', `${name}.txt`), 'utf8');
const URL = 'file:///tmp/ppl-nix-fixture-pz9Ax4/nixpkgs-fixture.tar.gz';

function shellNix(opts: { python?: string; packages?: string[]; sha256?: string } = {}): string {
  const packages = (opts.packages ?? ['arviz', 'pymc']).map((p) => `    ${p}\n`).join('');
  return `let
  nixpkgs = fetchTarball {
    url = "${URL}";
    sha256 = "${opts.sha256 ?? '124qlm4qkcmbmnk1cdbisq01ajs09z3j3q64iiif509w5iiqg89x'}";
  };
in
{ pkgs ? import nixpkgs { } }:
let
  python = pkgs.${opts.python ?? 'python312'}.withPackages (ps: with ps; [
${packages}  ]);
in
pkgs.mkShell {
  name = "demo";
  packages = [
    python
    pkgs.cmdstan
  ];
  shellHook = ''
    echo "hello"
  '';
}
`;
}

/** The path Nix named in a recorded error (the file it evaluated). */
const pathIn = (stderr: string): string => /at (\/\S+\.nix):\d+:\d+/.exec(stderr)?.[1] ?? '/work/shell.nix';

/** What the Problems panel shows: each place's line, column and the text under it. */
function problems(kind: string, text: string): string[] {
  const stderr = recorded(kind);
  const path = pathIn(stderr);
  const data = parseNixError(stderr, 1).data;
  return placesOf(data, path, readNixFile(text)).map((p) => `${p.line}:${p.column} ${text.slice(p.start, p.end)}`);
}

describe('Nix errors placed in the file (the Problems panel)', () => {
  it('an undefined package: at the line and column Nix names, underlining the name', () => {
    assert.deepEqual(problems('undefined-variable', shellNix({ packages: ['arviz', 'notapackage'] })), ['11:5 notapackage']);
  });

  it('a Python the pin lacks: the attribute after the position Nix names (the select), not `pkgs`', () => {
    assert.deepEqual(problems('attribute-missing', shellNix({ python: 'python39' })), ['9:17 python39']);
  });

  it('a syntax error: the token Nix stops at', () => {
    const text = shellNix().replace('name = "demo";', 'name = "demo"');
    assert.deepEqual(problems('syntax-error', text), ['16:12 =']);
  });

  it("a renamed package Nix refuses with a throw (no position): the package's line in the file", () => {
    assert.deepEqual(problems('alias-throw', shellNix({ packages: ['arviz', 'pymc3'] })), ['11:5 pymc3']);
  });

  it('the same throw from newer Nix (trace first, frames in nixpkgs): still the package in the file', () => {
    const text = shellNix({ packages: ['arviz', 'pymc3'] });
    const data = parseNixError(recorded('modern/alias-throw'), 1).data;
    const places = placesOf(data, '/home/ada/bayes/shell.nix', readNixFile(text));
    assert.deepEqual(
      places.map((p) => `${p.line}:${p.column} ${text.slice(p.start, p.end)}`),
      ['11:5 pymc3'],
    );
  });

  it('"not supported for interpreter" as newer nixpkgs words it (the pname alone): the package', () => {
    const text = shellNix({ python: 'python313', packages: ['numpy', 'tensorflow-probability'] });
    const data = parseNixError(recorded('modern/unsupported-python'), 1).data;
    assert.deepEqual(
      placesOf(data, '/w/shell.nix', readNixFile(text)).map((p) => text.slice(p.start, p.end)),
      ['tensorflow-probability'],
    );
  });

  it('a removed package (a throw naming it first): its line', () => {
    assert.deepEqual(problems('removed-throw', shellNix({ packages: ['theano', 'arviz'] })), ['10:5 theano']);
  });

  it('a package marked broken (Nix names nixpkgs, not the file): the reference to it', () => {
    assert.deepEqual(problems('broken-package', shellNix({ packages: ['arviz', 'aesara'] })), ['11:5 aesara']);
  });

  it('a wrong sha256: the hash string of the pin', () => {
    assert.deepEqual(problems('hash-mismatch', shellNix({ sha256: '0'.repeat(52) })), [`4:15 ${'0'.repeat(52)}`]);
  });

  it('"not supported for interpreter": the package, found by its derivation name', () => {
    const data: PplNixErrorData = {
      kind: 'nixFailed',
      exitCode: 1,
      detail: 'python3.13-tensorflow-probability-0.24.0 not supported for interpreter python3.13',
    };
    const text = shellNix({ python: 'python313', packages: ['numpy', 'tensorflow-probability'] });
    const [place] = placesOf(data, '/w/shell.nix', readNixFile(text));
    assert.equal(place && text.slice(place.start, place.end), 'tensorflow-probability');
    assert.equal(place?.line, 11);
  });

  it('a package written as ps.name in several places: each reference is a problem', () => {
    const text =
      'let pkgs = import <nixpkgs> {}; in pkgs.mkShell {\n  a = pkgs.python3.withPackages (ps: [ ps.pymc3 ]);\n  b = pkgs.python3.withPackages (ps: [ ps.pymc3 ps.arviz ]);\n}\n';
    const places = placesOf(parseNixError(recorded('alias-throw'), 1).data, '/w/shell.nix', readNixFile(text));
    assert.deepEqual(
      places.map((p) => [p.line, text.slice(p.start, p.end)]),
      [
        [2, 'pymc3'],
        [3, 'pymc3'],
      ],
    );
  });

  it('an error Nix places in another file (an import): nothing here; the host publishes it there', () => {
    const data: PplNixErrorData = { kind: 'syntaxError', detail: 'x', location: { file: '/w/nix/env.nix', line: 1, column: 1 } };
    assert.deepEqual(placesOf(data, '/w/shell.nix', readNixFile(shellNix())), []);
  });

  it("a position inside nixpkgs (the store): placed in the user's file, and Open File at Error goes there", () => {
    const text = shellNix({ packages: ['arviz', 'notapackage'] });
    const data: PplNixErrorData = {
      kind: 'attributeMissing',
      attribute: 'notapackage',
      location: { file: '/nix/store/0f1s1x3pz5d0h0qk8k6r3f0l3d6b9a7c-source/pkgs/top-level/python-packages.nix', line: 9, column: 3 },
    };
    assert.equal(errorFile(data, '/w/shell.nix'), '/w/shell.nix');
    const places = placesOf(data, '/w/shell.nix', readNixFile(text));
    assert.deepEqual(
      places.map((p) => `${p.line}:${p.column} ${text.slice(p.start, p.end)}`),
      ['11:5 notapackage'],
    );
    const located = withLocation(data, '/w/shell.nix', places);
    assert.deepEqual('location' in located && located.location, { file: '/w/shell.nix', line: 11, column: 5 });
    assert.equal(errorFile({ ...data, location: { file: '/w/nix/env.nix', line: 1, column: 1 } }, '/w/shell.nix'), '/w/nix/env.nix');
  });

  it('an error that names nothing in the file: the first line, so it still shows in Problems', () => {
    const data: PplNixErrorData = { kind: 'nixFailed', exitCode: 1, detail: 'assertion failed' };
    const text = shellNix();
    assert.deepEqual(
      placesOf(data, '/w/shell.nix', readNixFile(text)).map((p) => text.slice(p.start, p.end)),
      ['let'],
    );
  });

  it('not about the file (timeout, Nix missing, cancelled): no problem', () => {
    for (const data of [
      { kind: 'timeout', command: 'nix-shell', milliseconds: 1 },
      { kind: 'nixNotFound', command: 'nix-shell' },
      { kind: 'cancelled', command: 'nix-shell' },
    ] as PplNixErrorData[]) {
      assert.deepEqual(placesOf(data, '/w/shell.nix', readNixFile(shellNix())), [], data.kind);
    }
  });

  it('withLocation gives a throw the place found (for Open File at Error); keeps the position Nix named', () => {
    const text = shellNix({ packages: ['arviz', 'pymc3'] });
    const data = parseNixError(recorded('alias-throw'), 1).data;
    const located = withLocation(data, '/w/shell.nix', placesOf(data, '/w/shell.nix', readNixFile(text)));
    assert.deepEqual('location' in located && located.location, { file: '/w/shell.nix', line: 11, column: 5 });
    const named = parseNixError(recorded('undefined-variable'), 1).data;
    assert.equal(withLocation(named, '/elsewhere.nix', [{ start: 0, end: 1, line: 1, column: 1 }]), named);
  });
});
