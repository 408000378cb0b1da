import { strict as assert } from 'node:assert';
import { isPplNixError } from '../../src/core/errors';
import { planWrite } from '../../src/core/spec/plan';
import { environmentNameOf, readShellNix, updateShellNix } from '../../src/core/spec/readback';
import { renderShellNix } from '../../src/core/spec/render';
import { PYMC, STAN } from './specs';

const TWEAG_2022 = `let
  pkgs = import (fetchTarball {
    url = "https://github.com/NixOS/nixpkgs/archive/nixpkgs-unstable.tar.gz";
    sha256 = "0x5j9q1vi00c6kavnjlrwl3yy1xs60c34pkygm49dld2sgws7n0a";
  }) {};
in pkgs.mkShell { buildInputs = [ (pkgs.python39.withPackages (ps: [ ps.pymc3 ])) ]; }
`;

describe('reading a shell.nix back and re-rendering it', () => {
  it('reads back exactly the spec it was written from', () => {
    for (const spec of [PYMC, STAN]) {
      const read = readShellNix(renderShellNix(spec));
      assert.equal(read.kind, 'managed');
      if (read.kind !== 'managed') return;
      assert.deepEqual(read.handEdited, []);
      assert.equal(renderShellNix(read.spec), renderShellNix(spec));
    }
  });

  it('keeps hand edits outside the managed blocks when the environment changes', () => {
    const edited = renderShellNix(PYMC)
      .replace('    # Add your own packages here, e.g. pkgs.git', '    pkgs.git # mine')
      .replace(/\}\n$/, '  MY_VAR = "kept";\n}\n')
      .replace('# ppl-nix:begin header', '# My notes about this analysis\n# ppl-nix:begin header');
    const updated = updateShellNix(edited, { ...PYMC, packages: ['numpyro'], python: '3.13' });
    assert.match(updated, /pkgs\.git # mine/);
    assert.match(updated, /MY_VAR = "kept";/);
    assert.match(updated, /^# My notes about this analysis$/m);
    assert.match(updated, /python313\.withPackages/);
    assert.match(updated, /^ {4}numpyro$/m);
    assert.doesNotMatch(updated, /^ {4}pymc$/m);
    const read = readShellNix(updated);
    assert.equal(read.kind, 'managed');
  });

  it('notices hand edits inside a managed block', () => {
    const edited = renderShellNix(PYMC).replace('    arviz\n', '    arviz\n    scikit-learn\n');
    const read = readShellNix(edited);
    assert.equal(read.kind, 'managed');
    assert.deepEqual(read.kind === 'managed' ? read.handEdited : [], ['header']);
  });

  it('keeps CRLF line endings', () => {
    const crlf = renderShellNix(PYMC).replace(/\n/g, '\r\n');
    const updated = updateShellNix(crlf, STAN);
    assert.ok(updated.includes('\r\n'));
    assert.doesNotMatch(updated, /[^\r]\n/);
  });

  it('treats a file it did not write as foreign and refuses to update it', () => {
    assert.deepEqual(readShellNix(TWEAG_2022), { kind: 'foreign' });
    assert.throws(
      () => updateShellNix(TWEAG_2022, PYMC),
      (error: unknown) => isPplNixError(error, 'foreignFile'),
    );
    const plan = planWrite(TWEAG_2022, PYMC, 'shell.nix');
    assert.equal(plan.kind, 'replace');
  });

  it('reports damaged markers instead of guessing', () => {
    const damaged = renderShellNix(PYMC).replace('  # ppl-nix:end attributes\n', '');
    const read = readShellNix(damaged);
    assert.equal(read.kind, 'damaged');
    const badJson = renderShellNix(PYMC).replace('# ppl-nix-spec: {', '# ppl-nix-spec: {{');
    assert.equal(readShellNix(badJson).kind, 'damaged');
  });

  it('plans create, update (unchanged or not) and replace', () => {
    assert.equal(planWrite(undefined, PYMC, 'shell.nix').kind, 'create');
    const same = planWrite(renderShellNix(PYMC), PYMC, 'shell.nix');
    assert.deepEqual(same.kind === 'update' && same.unchanged, true);
    const changed = planWrite(renderShellNix(PYMC), STAN, 'shell.nix');
    assert.deepEqual(changed.kind === 'update' && changed.unchanged, false);
  });

  it('names an environment after its recorded name, else after its folder', () => {
    assert.equal(environmentNameOf(renderShellNix(PYMC), 'Some Folder'), 'bayes');
    assert.equal(environmentNameOf(TWEAG_2022, 'My Analysis 2022'), 'my-analysis-2022');
    assert.equal(environmentNameOf(undefined, 'x'), 'x');
  });
});
