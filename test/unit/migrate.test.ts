import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTargetOf } from '../../src/core/pins/check';
import { detectOldStyle, modernize, readShellFacts, reproduceExactly } from '../../src/core/shellNix/migrate';
import { defaultPin } from '../../src/core/pins/pins';
import { readShellNix } from '../../src/core/spec/readback';

// The 2022 Tweag blog post's shell.nix, verbatim.
const TWEAG = readFileSync(join(__dirname, '../../../test/fixtures/tweag-2022/shell.nix'), 'utf8');

describe('migrating the 2022 Tweag post file', () => {
  it('is recognised as old-style: a moving branch tarball with a fixed hash, python39, pymc3 theano arviz', () => {
    const old = detectOldStyle(TWEAG);
    assert.ok(old);
    assert.match(old.problem, /moving branch tarball/);
    assert.equal(old.pin?.rev, '30d3d79b7d3607d56546dd2a6b49e156ba0ec634');
    assert.equal(old.facts.python, '3.9');
    assert.deepEqual(old.facts.pythonPackages, ['pymc3', 'theano', 'arviz']);
  });

  it('"Reproduce exactly" changes only the url, to the revision its sha256 names (nixpkgs-unstable 2022-03-25)', () => {
    const result = reproduceExactly(TWEAG);
    assert.ok(result.ok);
    assert.equal(result.pin.date, '2022-03-25');
    const expected = TWEAG.replace('archive/nixpkgs-unstable.tar.gz', 'archive/30d3d79b7d3607d56546dd2a6b49e156ba0ec634.tar.gz');
    assert.equal(result.text, expected);
    assert.ok(result.text.includes('python39.withPackages (ps: with ps; [ pymc3 theano arviz ])'));
    assert.equal(detectOldStyle(result.text), undefined, 'the result is no longer old-style');
  });

  it('"Modernize" writes a PPL Nix file on the default pin: an offered Python, pymc3 → pymc, theano → pytensor, with API warnings', () => {
    const result = modernize(TWEAG, { name: 'tweag' });
    assert.ok(!('reason' in result));
    assert.equal(result.spec.pin.label, defaultPin().label);
    assert.ok(defaultPin().pythons.includes(result.spec.python));
    assert.deepEqual([...result.spec.packages].sort(), ['arviz', 'pymc', 'pytensor']);
    assert.ok(result.warnings.some((w) => /PyMC3 → PyMC 5: import pymc as pm/.test(w)));
    assert.ok(result.warnings.some((w) => /Python 3\.9 is not offered/.test(w)));
    const read = readShellNix(result.text);
    assert.equal(read.kind, 'managed');
    assert.ok(result.text.includes(`pkgs.python${result.spec.python.replace('.', '')}.withPackages`));
    assert.ok(
      !/pymc3|theano/.test(
        result.text
          .split('\n')
          .filter((l) => !l.startsWith('#'))
          .join('\n'),
      ),
    );
  });

  it('leaves PPL Nix files and pinned files alone, and cannot reproduce a hash it does not know', () => {
    const modern = modernize(TWEAG);
    assert.ok(!('reason' in modern));
    assert.equal(detectOldStyle(modern.text), undefined);
    const unknownHash = TWEAG.replace(
      '0x5j9q1vi00c6kavnjlrwl3yy1xs60c34pkygm49dld2sgws7n0a',
      '1111111111111111111111111111111111111111111111111111',
    );
    const result = reproduceExactly(unknownHash);
    assert.ok(!result.ok && /no nixpkgs revision PPL Nix knows/.test(result.reason));
  });

  it('ppl-nix check reads the old file at the revision its hash names and says the file itself is broken', () => {
    const target = checkTargetOf(TWEAG);
    assert.ok(!('reason' in target));
    assert.equal(target.pin.url, 'https://github.com/NixOS/nixpkgs/archive/30d3d79b7d3607d56546dd2a6b49e156ba0ec634.tar.gz');
    assert.match(target.fileProblem ?? '', /migrate/);
  });

  it('reads ps.NAME lists and top-level packages too', () => {
    const facts = readShellFacts(
      'let pkgs = import <nixpkgs> {}; in pkgs.mkShell { packages = [ (pkgs.python311.withPackages (p: [ p.numpyro p.jax ])) pkgs.graphviz ]; }',
    );
    assert.deepEqual([facts.python, facts.pythonPackages, facts.systemPackages], ['3.11', ['numpyro', 'jax'], ['graphviz']]);
  });
});
