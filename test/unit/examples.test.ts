import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findEntry } from '../../src/core/catalog/catalog';
import {
  EXAMPLES,
  environmentPackages,
  examplePath,
  examplesFor,
  findExample,
  isExampleScript,
  missingFor,
  runCommandLine,
  shellQuote,
  withBroughtAlong,
} from '../../src/core/examples';
import { renderShellNix } from '../../src/core/spec/render';
import { repoRoot } from '../nix/fixture';
import { PYMC } from './specs';

const mediaDir = (): string => join(repoRoot(), 'media', 'examples');

/** Top-level modules a script imports (import x / from x import y), standard library excluded. */
function importedModules(text: string): string[] {
  const stdlib = new Set(['os', 'sys', 'time', 'pathlib', 'collections', 'math', 'json']);
  const found = new Set<string>();
  for (const match of text.matchAll(/^(?:import|from)\s+([A-Za-z_][\w]*)/gm)) if (!stdlib.has(match[1]!)) found.add(match[1]!);
  return [...found].sort();
}

/** Import name → nixpkgs attribute, where they differ. */
const ATTRIBUTE_OF: Record<string, string> = { pyro: 'pyro-ppl', tensorflow_probability: 'tensorflow-probability' };

describe('the example models', () => {
  it('has one example per PPL the issue names, each file shipped in media/examples', () => {
    assert.deepEqual(
      EXAMPLES.map((e) => e.id),
      ['pymc', 'numpyro', 'pyro-ppl', 'cmdstanpy', 'tensorflow-probability', 'emcee', 'blackjax', 'bambi', 'nutpie'],
    );
    for (const example of EXAMPLES) {
      assert.ok(findEntry(example.id), `${example.id} is a catalog package`);
      assert.match(example.files[0]!, /^[a-z_]+_linear_regression\.py$/);
      for (const file of example.files) assert.ok(existsSync(join(mediaDir(), file)), `media/examples/${file} exists`);
    }
    assert.deepEqual(findExample('cmdstanpy')?.files, ['cmdstanpy_linear_regression.py', 'linear_regression.stan']);
    // Every script in media/examples belongs to an example.
    const shipped = readdirSync(mediaDir()).filter((f) => f.endsWith('.py') || f.endsWith('.stan'));
    assert.deepEqual(shipped.sort(), EXAMPLES.flatMap((e) => e.files).sort());
  });

  it("needs what each script imports (what its packages bring along counts), and nutpie's hidden numba", () => {
    for (const example of EXAMPLES) {
      const text = readFileSync(join(mediaDir(), example.files[0]!), 'utf8');
      const have = withBroughtAlong(example.needs);
      for (const module of importedModules(text)) {
        const attribute = ATTRIBUTE_OF[module] ?? module;
        assert.ok(have.has(attribute), `${example.files[0]} imports ${module}: ${attribute} must be needed or brought along`);
      }
    }
    // nutpie compiles the PyMC model with numba, which nixpkgs' nutpie does not pull in (the script says so).
    assert.deepEqual(findExample('nutpie')?.needs, ['nutpie', 'pymc', 'numba']);
    assert.match(readFileSync(join(mediaDir(), 'nutpie_linear_regression.py'), 'utf8'), /Needs: nutpie, pymc and numba/);
  });

  it('offers the examples that fit an environment, counting what packages bring along', () => {
    const ids = (packages: string[]): string[] => examplesFor(packages).choices.map((c) => c.example.id);
    assert.deepEqual(ids(['pymc', 'arviz']), ['pymc']);
    assert.deepEqual(ids(['bambi']), ['pymc', 'bambi'], 'Bambi brings PyMC');
    assert.deepEqual(ids(['numpyro', 'blackjax', 'jax']), ['numpyro', 'blackjax']);
    assert.deepEqual(ids(['nutpie', 'pymc']), ['pymc'], 'nutpie also needs numba');
    assert.deepEqual(ids(['nutpie', 'pymc', 'numba']), ['pymc', 'nutpie']);
    assert.equal(examplesFor(['emcee']).fitting, true);
  });

  it('offers every example with what to add when none fits', () => {
    const offer = examplesFor(['numpy', 'matplotlib']);
    assert.equal(offer.fitting, false);
    assert.equal(offer.choices.length, EXAMPLES.length);
    assert.deepEqual(offer.choices.find((c) => c.example.id === 'nutpie')?.missing, ['nutpie', 'pymc', 'numba']);
    assert.deepEqual(missingFor(findExample('emcee')!, []), ['emcee']);
  });

  it("reads an environment's packages: the spec of a file PPL Nix wrote, else the withPackages lists", () => {
    const managed = renderShellNix({ ...PYMC, packages: ['pymc', 'pyro-ppl'], extraPackages: ['numba'] });
    assert.deepEqual(environmentPackages(managed), ['pymc', 'pyro-ppl', 'numba']);
    const foreign = `{ pkgs ? import <nixpkgs> { } }:
pkgs.mkShell {
  packages = [ (pkgs.python3.withPackages (ps: with ps; [ emcee numpy ])) ];
}
`;
    assert.deepEqual(environmentPackages(foreign), ['emcee', 'numpy']);
    assert.deepEqual(environmentPackages(''), []);
  });

  it('writes to examples/ and recognises the scripts there', () => {
    assert.equal(examplePath('emcee_linear_regression.py'), 'examples/emcee_linear_regression.py');
    assert.ok(isExampleScript('examples/emcee_linear_regression.py'));
    assert.ok(isExampleScript('examples/mine/fit.py'));
    assert.ok(!isExampleScript('src/examples.py'));
    assert.ok(!isExampleScript('examples/linear_regression.stan'));
    assert.ok(!isExampleScript('notexamples/x.py'));
  });

  it('quotes the path it types into the terminal: nothing in it is expanded', () => {
    assert.equal(shellQuote('/w/examples/a.py'), "'/w/examples/a.py'");
    assert.equal(shellQuote("/w/it's $HOME/`x`.py"), "'/w/it'\\''s $HOME/`x`.py'");
    assert.equal(runCommandLine('/w/my examples/a.py'), "python '/w/my examples/a.py'");
  });
});
