import { strict as assert } from 'node:assert';
import { CATALOG, CATEGORY_TITLES, findEntry, findRenamed, suggestionsFor } from '../../src/core/catalog/catalog';
import { checkAttributeName } from '../../src/core/spec/validate';

describe('the package catalog', () => {
  it('offers every package the product promises', () => {
    const required = [
      'PyMC',
      'PyTensor',
      'NumPyro',
      'JAX',
      'BlackJAX',
      'Pyro',
      'TensorFlow Probability',
      'CmdStanPy',
      'emcee',
      'Bambi',
      'nutpie',
      'ArviZ',
      'corner',
      'NumPy',
      'SciPy',
      'pandas',
      'xarray',
      'matplotlib',
      'seaborn',
      'IPython',
      'Jupyter',
      'ipykernel',
    ];
    const names = CATALOG.map((entry) => entry.displayName);
    for (const name of required) assert.ok(names.includes(name), `${name} is offered`);
  });

  it('gives each entry a valid attribute, a description, a homepage and a known category', () => {
    const ids = new Set<string>();
    for (const entry of CATALOG) {
      assert.ok(!ids.has(entry.id), `id ${entry.id} is unique`);
      ids.add(entry.id);
      assert.equal(checkAttributeName(entry.attr), undefined, entry.attr);
      assert.ok(entry.description.length > 10 && entry.description.endsWith('.'), `${entry.id} has a one-line description`);
      assert.match(entry.homepage, /^https:\/\//);
      assert.ok(entry.category in CATEGORY_TITLES);
      if (entry.kind === 'python') assert.ok(entry.pypi && entry.importName, `${entry.id} has PyPI and import names`);
      for (const id of entry.suggests) assert.ok(findEntry(id), `${entry.id} suggests an existing entry ${id}`);
    }
  });

  it('knows what CmdStanPy and PyTensor need beyond Python', () => {
    const cmdstanpy = findEntry('cmdstanpy');
    assert.deepEqual(cmdstanpy?.needs.packages, ['cmdstan']);
    assert.deepEqual(cmdstanpy?.needs.variables, [{ name: 'CMDSTAN', package: 'cmdstan', suffix: '/opt/cmdstan' }]);
    assert.equal(findEntry('pytensor')?.needs.cCompiler, true);
    assert.match(findEntry('aesara')?.notes.join(' ') ?? '', /unmaintained.*PyTensor/);
  });

  it('maps import names and PyPI names that differ from the attribute', () => {
    assert.equal(findEntry('pyro-ppl')?.importName, 'pyro');
    assert.equal(findEntry('tensorflow-probability')?.importName, 'tensorflow_probability');
  });

  it('explains names that no longer work and what replaces them', () => {
    assert.equal(findRenamed('pymc3')?.replacement, 'pymc');
    assert.equal(findRenamed('theano')?.replacement, 'pytensor');
    assert.match(findRenamed('pystan')?.message ?? '', /CmdStanPy/);
    assert.equal(findRenamed('pymc'), undefined);
  });

  it('suggests ArviZ for PyMC, and nothing already chosen', () => {
    assert.deepEqual(suggestionsFor(['pymc']), ['arviz']);
    assert.deepEqual(suggestionsFor(['pymc', 'arviz']), []);
    assert.ok(suggestionsFor(['numpyro']).includes('jax'));
  });
});
