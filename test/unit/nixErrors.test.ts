import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNixError } from '../../src/core/nix/nixErrors';

// Exact stderr recorded from Nix 2.8 on the fixture (test/nix/fixture.test.ts re-records them).
const recorded = (name: string): string => readFileSync(join(__dirname, '../../../test/fixtures/nix-errors', `${name}.txt`), 'utf8');

describe("parsing Nix's real error output", () => {
  it('a missing package under `with ps;` is an undefined variable with its location', () => {
    const error = parseNixError(recorded('undefined-variable'), 1);
    assert.equal(error.data.kind, 'undefinedVariable');
    assert.ok(error.data.kind === 'undefinedVariable');
    assert.equal(error.data.name, 'notapackage');
    assert.equal(error.data.location?.line, 11);
    assert.equal(error.data.location?.column, 5);
    assert.match(error.data.location?.file ?? '', /\/undefined-variable\/shell\.nix$/);
    assert.match(error.message, /"notapackage" does not exist at this nixpkgs pin/);
  });

  it('a Python the pin lacks is a missing attribute', () => {
    const error = parseNixError(recorded('attribute-missing'), 1);
    assert.deepEqual(
      error.data.kind === 'attributeMissing' && [error.data.attribute, error.data.location?.line, error.data.location?.column],
      ['python39', 9, 12],
    );
  });

  it('a wrong sha256 is a hash mismatch with both hashes, ready to paste', () => {
    const error = parseNixError(recorded('hash-mismatch'), 102);
    assert.ok(error.data.kind === 'hashMismatch');
    assert.equal(error.data.specified, '0000000000000000000000000000000000000000000000000000');
    assert.match(error.data.got, /^[0-9a-z]{52}$/);
    assert.match(error.data.url ?? '', /^file:\/\/\/tmp\/.*nixpkgs-fixture\.tar\.gz$/);
  });

  it('newer Nix reports SRI hashes for fixed-output derivations', () => {
    const stderr =
      "error: hash mismatch in fixed-output derivation '/nix/store/abc-source.drv':\n         specified: sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n            got:    sha256-f3pO+9lg66mV7IMmmIqG4PL3223TYMlnlw+pnpelbss=\n";
    const error = parseNixError(stderr, 102);
    assert.ok(error.data.kind === 'hashMismatch');
    assert.equal(error.data.got, 'sha256-f3pO+9lg66mV7IMmmIqG4PL3223TYMlnlw+pnpelbss=');
  });

  it('a syntax error carries file, line and column', () => {
    const error = parseNixError(recorded('syntax-error'), 1);
    assert.ok(error.data.kind === 'syntaxError');
    assert.equal(error.data.detail, "unexpected '=', expecting ';'");
    assert.deepEqual([error.data.location?.line, error.data.location?.column], [16, 12]);
  });

  it('an unreachable pin URL is a download failure, with and without retries', () => {
    for (const name of ['download-failed', 'download-failed-retrying']) {
      const error = parseNixError(recorded(name), 1);
      assert.ok(error.data.kind === 'downloadFailed', name);
      assert.equal(error.data.url, 'https://nixpkgs.invalid/x.tar.gz');
      assert.equal(error.data.reason, "Couldn't resolve host name (6)");
    }
  });

  it('a broken package names the package', () => {
    const error = parseNixError(recorded('broken-package'), 1);
    assert.deepEqual(error.data, { kind: 'brokenPackage', packageName: 'python3.12-aesara-2.9.3' });
  });

  it("a removed alias's throw is reported with nixpkgs' own words", () => {
    const error = parseNixError(recorded('alias-throw'), 1);
    assert.ok(error.data.kind === 'nixFailed');
    assert.equal(error.data.detail, "'pymc3' has been renamed to/replaced by 'pymc'");
    assert.match(parseNixError(recorded('removed-throw'), 1).message, /theano was removed because it is unmaintained; use pytensor/);
  });

  it('strips terminal colours before matching', () => {
    const error = parseNixError("\u001b[31;1merror:\u001b[0m undefined variable '\u001b[35;1mfoo\u001b[0m'", 1);
    assert.ok(error.data.kind === 'undefinedVariable' && error.data.name === 'foo');
  });

  describe('newer Nix (2.13+): the evaluation trace first, the message last (test/fixtures/nix-errors/modern)', () => {
    const modern = (name: string): string => recorded(`modern/${name}`);

    it("a throw: nixpkgs' own words, and no position taken from a trace frame in nixpkgs", () => {
      const error = parseNixError(modern('alias-throw'), 1);
      assert.deepEqual(error.data, { kind: 'nixFailed', exitCode: 1, detail: "'pymc3' has been renamed to/replaced by 'pymc'" });
      assert.equal(error.message, "Nix failed (exit code 1): 'pymc3' has been renamed to/replaced by 'pymc'");
    });

    it("an undefined variable: the position under the message, in the user's file, not the trace's", () => {
      const error = parseNixError(modern('undefined-variable'), 1);
      assert.deepEqual(error.data, {
        kind: 'undefinedVariable',
        name: 'notapackage',
        location: { file: '/home/ada/bayes/shell.nix', line: 11, column: 5 },
      });
    });

    it('"not supported for interpreter" (nixpkgs names the package by pname)', () => {
      const error = parseNixError(modern('unsupported-python'), 1);
      assert.ok(error.data.kind === 'nixFailed');
      assert.equal(error.data.detail, 'tensorflow-probability not supported for interpreter python3.13');
    });

    it('a failed build: the builder\'s error, not the "dependencies failed" line after it', () => {
      const text = [
        "error: builder for '/nix/store/aaaa-python3.12-foo-1.0.drv' failed with exit code 1",
        "error: 1 dependencies of derivation '/nix/store/bbbb-nix-shell.drv' failed to build",
      ].join('\n');
      const error = parseNixError(text, 1);
      assert.ok(error.data.kind === 'nixFailed');
      assert.match(error.data.detail, /^builder for '\/nix\/store\/aaaa-python3\.12-foo-1\.0\.drv' failed with exit code 1$/);
    });
  });
});
