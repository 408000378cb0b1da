import { strict as assert } from 'node:assert';
import { defaultPin, SHIPPED_PINS } from '../../src/core/pins/pins';
import { buildSpec, catalogIdFor, lookupPin } from '../../src/core/spec/specInput';
import { validateSpec } from '../../src/core/spec/spec';
import { PYMC } from './specs';

describe('building a spec from user input', () => {
  it('accepts catalog ids, attributes and display names in any case', () => {
    assert.equal(catalogIdFor('PyMC'), 'pymc');
    assert.equal(catalogIdFor('pyro'), 'pyro-ppl');
    assert.equal(catalogIdFor('TensorFlow Probability'), 'tensorflow-probability');
    assert.equal(catalogIdFor('nope'), undefined);
  });

  it('defaults to the newest stable pin and its default Python', () => {
    const built = buildSpec({ name: 'x', packages: ['pymc, arviz'] });
    assert.ok('spec' in built);
    if (!('spec' in built)) return;
    assert.equal(built.spec.pin.url, defaultPin().url);
    assert.equal(built.spec.python, defaultPin().defaultPython);
    assert.deepEqual(built.spec.packages, ['pymc', 'arviz']);
  });

  it('finds pins by label, branch or revision prefix', () => {
    const pin = SHIPPED_PINS.find((p) => p.branch === 'nixos-24.05');
    assert.equal(lookupPin(SHIPPED_PINS, 'nixos-24.05'), pin);
    assert.equal(lookupPin(SHIPPED_PINS, '19484676'), pin);
    assert.equal(lookupPin(SHIPPED_PINS, pin?.label ?? ''), pin);
  });

  it('refuses unknown packages, renamed ones with their replacement, and Pythons the pin lacks', () => {
    const renamed = buildSpec({ name: 'x', packages: ['pymc3'] });
    assert.ok('problems' in renamed && /Use "pymc"/.test(renamed.problems[0]?.message ?? ''));
    const unknown = buildSpec({ name: 'x', packages: ['pymcc'] });
    assert.ok('problems' in unknown && /--extra/.test(unknown.problems[0]?.message ?? ''));
    const python = buildSpec({ name: 'x', packages: [], python: '3.9', pin: 'nixos-26.05' });
    assert.ok('problems' in python && python.problems[0]?.field === 'python');
    const pin = buildSpec({ name: 'x', packages: [], pin: 'nixos-99.99' });
    assert.ok('problems' in pin && pin.problems[0]?.field === 'pin');
  });

  it('accepts a custom pin by URL and hash, with any CPython 3 version', () => {
    const built = buildSpec({ name: 'x', packages: [], pinUrl: 'file:///tmp/f.tar.gz', pinSha256: PYMC.pin.sha256, python: '3.12' });
    assert.ok('spec' in built);
    const half = buildSpec({ name: 'x', packages: [], pinUrl: 'file:///tmp/f.tar.gz' });
    assert.ok('problems' in half);
  });

  it('reports every invalid field of a spec, so nothing invalid is written', () => {
    const problems = validateSpec(
      {
        ...PYMC,
        name: 'bad name',
        pin: { label: '', url: 'http://x', sha256: 'x' },
        python: '4',
        extraPackages: ['ok', 'not ok', 'theano'],
        systemPackages: ['a;b'],
      },
      { pythons: [] },
    );
    assert.deepEqual(problems.map((p) => p.field).sort(), [
      'extraPackages',
      'extraPackages',
      'name',
      'pin',
      'pin.sha256',
      'pin.url',
      'python',
      'systemPackages',
    ]);
  });
});
