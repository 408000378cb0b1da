import { strict as assert } from 'node:assert';
import { checkRelativeNixPath, formToSpec, initialForm, parseForm, type PickerForm } from '../../src/core/picker/form';
import { defaultPin, parseCustomPins, SHIPPED_PINS } from '../../src/core/pins/pins';
import { renderShellNix } from '../../src/core/spec/render';
import { parseWebviewMessage } from '../../src/core/picker/protocol';
import { PYMC } from './specs';

const custom = parseCustomPins([
  { label: 'fixture', url: 'file:///tmp/nixpkgs-fixture.tar.gz', sha256: PYMC.pin.sha256, pythons: ['3.11', '3.12', '3.13'] },
]).pins;
const pins = [...custom, ...SHIPPED_PINS];
const base: PickerForm = initialForm('file:///work/analysis', 'My Analysis', pins, defaultPin().label);

describe("the picker's form", () => {
  it('starts from the folder name, shell.nix, the default pin and its Python, both options on', () => {
    assert.deepEqual(base, {
      folder: 'file:///work/analysis',
      file: 'shell.nix',
      format: 'shell',
      name: 'my-analysis',
      pin: defaultPin().label,
      python: defaultPin().defaultPython,
      packages: [],
      extraPackages: '',
      systemPackages: '',
      openTerminal: true,
      useInterpreter: true,
    });
  });

  it('becomes the spec that is rendered, custom pins included', () => {
    const { spec, problems } = formToSpec(
      { ...base, pin: 'fixture', python: '3.12', packages: ['pymc', 'arviz'], extraPackages: 'tqdm, rich' },
      pins,
    );
    assert.deepEqual(problems, []);
    assert.equal(spec?.pin.url, 'file:///tmp/nixpkgs-fixture.tar.gz');
    assert.deepEqual(spec?.extraPackages, ['tqdm', 'rich']);
    assert.match(renderShellNix(spec!), /python312\.withPackages/);
  });

  it('is pre-filled from a file PPL Nix wrote', () => {
    const form = initialForm('file:///w', 'w', pins, defaultPin().label, {
      file: 'envs/bayes.nix',
      spec: { ...PYMC, extraPackages: ['tqdm'] },
    });
    assert.equal(form.file, 'envs/bayes.nix');
    assert.equal(form.pin, 'nixos-25.05 (2025-07-15)');
    assert.deepEqual(form.packages, ['pymc', 'arviz']);
    assert.equal(form.extraPackages, 'tqdm');
  });

  it('marks each invalid field, so Create stays disabled and nothing is written', () => {
    const { problems } = formToSpec(
      { ...base, name: 'bad name', file: '../escape.nix', python: '3.9', extraPackages: 'ok not;ok pymc3' },
      pins,
    );
    assert.deepEqual([...new Set(problems.map((p) => p.field))].sort(), ['extraPackages', 'file', 'name', 'python']);
    assert.match(problems.find((p) => p.field === 'extraPackages' && /renamed|alias/.test(p.message))?.message ?? '', /pymc/);
    assert.deepEqual(
      formToSpec({ ...base, pin: 'nope' }, pins).problems.map((p) => p.field),
      ['pin'],
    );
  });

  it('several bad names make one problem per field, naming each (the picker shows one line)', () => {
    const { problems } = formToSpec({ ...base, extraPackages: 'tqdm not;valid also;bad', systemPackages: 'git a..b c..d' }, pins);
    const extra = problems.filter((p) => p.field === 'extraPackages');
    const system = problems.filter((p) => p.field === 'systemPackages');
    assert.equal(extra.length, 1, JSON.stringify(extra));
    assert.equal(system.length, 1, JSON.stringify(system));
    assert.match(extra[0]!.message, /"not;valid" and "also;bad"/);
    assert.match(system[0]!.message, /"a\.\.b" and "c\.\.d"/);
  });

  it('a flake is written as flake.nix with its spec recorded; a shell.nix is never named flake.nix', () => {
    const flake = formToSpec({ ...base, format: 'flake', file: 'gpu/flake.nix', pin: 'fixture', python: '3.12' }, pins);
    assert.deepEqual(flake.problems, []);
    assert.equal(flake.spec?.format, 'flake');
    assert.match(formToSpec({ ...base, format: 'flake', file: 'gpu.nix' }, pins).problems[0]?.message ?? '', /named flake\.nix/);
    assert.match(formToSpec({ ...base, file: 'flake.nix' }, pins).problems[0]?.message ?? '', /as a flake/);
    assert.equal(parseForm({ ...base, format: 'nixos' }), undefined);
    const saved: Record<string, unknown> = { ...base };
    delete saved['format'];
    assert.equal(parseForm(saved)?.format, 'shell', 'a form saved before flakes is a shell.nix');
  });

  it('keeps files inside the folder', () => {
    assert.equal(checkRelativeNixPath('envs/numpyro.nix'), undefined);
    for (const bad of [
      '/etc/shell.nix',
      '../shell.nix',
      'a/../../b.nix',
      'C:/x.nix',
      'a\\b.nix',
      'shell.txt',
      '.hidden.nix',
      'a//b.nix',
      '',
    ]) {
      assert.ok(checkRelativeNixPath(bad), bad);
    }
  });

  it('accepts only well-formed messages from the webview', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'create', form: base }), { type: 'create', form: base });
    for (const bad of [
      null,
      'create',
      { type: 'write', path: '/etc/passwd' },
      { type: 'create' },
      { type: 'create', form: { ...base, packages: 'pymc' } },
      { type: 'create', form: { ...base, openTerminal: 'yes' } },
      { type: 'create', form: { ...base, name: 7 } },
      { type: 'checkFile', folder: 1, file: 'x' },
    ]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
    assert.equal(parseForm({ ...base, packages: Array(201).fill('x') }), undefined, 'absurd sizes are refused');
  });
});
