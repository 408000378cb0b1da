import { strict as assert } from 'node:assert';
import { initialForm, type PickerForm } from '../../src/core/picker/form';
import type { HostMessage } from '../../src/core/picker/protocol';
import { findEntry } from '../../src/core/catalog/catalog';
import {
  addedBy,
  currentFile,
  initialState,
  isShown,
  pythonChoices,
  submitAction,
  withAnswer,
  withChanges,
  withCheckStarted,
  withFilter,
  withHostMessage,
  withTicked,
  withUnticked,
  type PickerState,
} from '../../src/core/picker/state';
import { defaultPin, parseCustomPins, SHIPPED_PINS, type Pin } from '../../src/core/pins/pins';

const custom = parseCustomPins([
  { label: 'only-3.11', url: 'file:///tmp/a.tar.gz', sha256: defaultPin().sha256, pythons: ['3.10', '3.11'] },
  { label: 'unknown-pythons', url: 'file:///tmp/b.tar.gz', sha256: defaultPin().sha256 },
]).pins;
const pins: Pin[] = [...custom, ...SHIPPED_PINS];
const form: PickerForm = initialForm('file:///w', 'w', pins, defaultPin().label);
const init: HostMessage = { type: 'init', form, folders: [{ uri: 'file:///w', name: 'w' }], pins, pinProblems: [], trusted: true };
const ready = (): PickerState => withHostMessage(initialState(undefined), init);
const pinOf = (branch: string): Pin => SHIPPED_PINS.find((pin) => pin.branch === branch)!;

describe("the picker's state (what the webview shows)", () => {
  it('starts from the host form, or from a saved form while its folder is still open', () => {
    assert.deepEqual(ready().form, form);
    const saved = { ...form, name: 'kept' };
    assert.equal(withHostMessage(initialState(saved), init).form?.name, 'kept');
    const gone = { ...form, folder: 'file:///closed' };
    assert.equal(withHostMessage(initialState(gone), init).form?.folder, 'file:///w', 'a saved form of a closed folder is dropped');
  });

  it('choosing flake.nix (+ flake.lock) names the file flake.nix in the same folder; back to shell.nix renames it', () => {
    const flake = withChanges(withChanges(ready(), { file: 'envs/gpu.nix' }), { format: 'flake' });
    assert.equal(flake.form?.file, 'envs/flake.nix');
    assert.equal(withChanges(flake, { format: 'shell' }).form?.file, 'envs/shell.nix');
    assert.equal(withChanges(ready(), { format: 'flake' }).form?.file, 'flake.nix');
    assert.equal(withChanges(ready(), { format: 'shell' }).form?.file, 'shell.nix', 'the same format changes nothing');
  });

  it('a new pin keeps the Python version when the pin offers it', () => {
    const before = withChanges(ready(), { python: '3.12' });
    const after = withChanges(before, { pin: pinOf('nixos-24.11').label });
    assert.ok(pinOf('nixos-24.11').pythons.includes('3.12'));
    assert.equal(after.form?.python, '3.12');
  });

  it('a new pin without the chosen Python falls back to the pin default, else its newest', () => {
    const on313 = withChanges(ready(), { python: '3.13' });
    assert.equal(withChanges(on313, { pin: 'only-3.11' }).form?.python, '3.11', 'no default: the newest it offers');
    const old = pinOf('nixos-23.11');
    const on313at2311 = withChanges(withChanges(ready(), { python: '3.14' }), { pin: old.label });
    assert.equal(on313at2311.form?.python, old.defaultPython);
  });

  it('Pythons found by Nix at a pin win over what PPL Nix knows, for the choices and the fallback', () => {
    let state = withChanges(ready(), { pin: 'unknown-pythons', python: '3.12' });
    assert.ok(
      pythonChoices(state).some((c) => c.value === '3.9'),
      'unknown pins offer every known version',
    );
    state = withHostMessage(withCheckStarted(state), {
      type: 'availability',
      pin: 'unknown-pythons',
      python: '3.12',
      state: 'done',
      result: { pythons: ['3.11', '3.12'], pythonVersion: '3.12.7', python: {}, system: {} },
    });
    assert.deepEqual(
      pythonChoices(state).map((c) => c.value),
      ['3.12', '3.11'],
    );
    const elsewhere = withChanges(state, { pin: 'only-3.11' });
    const back = withChanges(withChanges(elsewhere, { python: '3.10' }), { pin: 'unknown-pythons' });
    assert.equal(back.form?.python, '3.12', '3.10 is not among what Nix found: the newest found');
  });

  it('the file status counts only for the path it was asked for', () => {
    const state = withHostMessage(ready(), {
      type: 'fileStatus',
      folder: 'file:///w',
      file: 'shell.nix',
      status: 'managed',
      existing: 'x',
    });
    assert.equal(currentFile(state).status, 'managed');
    assert.equal(currentFile(withChanges(state, { file: 'other.nix' })).status, 'none');
  });

  it('busy and result come from the host', () => {
    const busy = withHostMessage(ready(), { type: 'busy', busy: true });
    assert.equal(busy.busy, true);
    const done = withHostMessage(withHostMessage(busy, { type: 'busy', busy: false }), { type: 'result', ok: true, message: 'written' });
    assert.deepEqual([done.busy, done.result], [false, { ok: true, message: 'written' }]);
  });

  it('ticking a package that will not evaluate asks once; "Cancel" leaves it out, "Add anyway" adds it and is remembered', () => {
    const asked = withTicked(ready(), 'tensorflow-probability', 'Marked broken at this pin.');
    assert.deepEqual(asked.form?.packages, [], 'not added while asking');
    assert.deepEqual(asked.confirming, { id: 'tensorflow-probability', reason: 'Marked broken at this pin.' });
    const cancelled = withAnswer(asked, false);
    assert.deepEqual([cancelled.form?.packages, cancelled.confirming], [[], undefined]);
    const added = withAnswer(withTicked(cancelled, 'tensorflow-probability', 'Marked broken at this pin.'), true);
    assert.deepEqual(added.form?.packages, ['tensorflow-probability']);
    const again = withTicked(withUnticked(added, 'tensorflow-probability'), 'tensorflow-probability', 'Marked broken at this pin.');
    assert.deepEqual([again.form?.packages, again.confirming], [['tensorflow-probability'], undefined], 'asked once per package');
    assert.deepEqual(withTicked(ready(), 'pymc', undefined).form?.packages, ['pymc'], 'a usable package is added at once');
  });

  it('a filter shows what it matches and every ticked package; unticking one never makes it vanish until the text changes', () => {
    const ticked = withTicked(withTicked(ready(), 'pymc', undefined), 'arviz', undefined);
    const filtered = withFilter(ticked, 'py');
    assert.ok(isShown(filtered, 'pyro-ppl'), 'matches "py"');
    assert.ok(!isShown(filtered, 'graphviz'), 'does not match "py"');
    assert.ok(isShown(filtered, 'arviz'), 'ticked');
    const unticked = withUnticked(withUnticked(filtered, 'pymc'), 'arviz');
    assert.deepEqual(unticked.form?.packages, []);
    assert.ok(isShown(unticked, 'pymc') && isShown(unticked, 'arviz'), 'both stay in the list');
    const retyped = withFilter(unticked, 'pyr');
    assert.ok(!isShown(retyped, 'arviz'), 'a new filter text hides it');
    assert.ok(isShown(withFilter(retyped, ''), 'arviz'), 'no filter: everything');
    // Ticked through a suggestion while filtering, then unticked: still shown.
    const viaChip = withUnticked(withTicked(withFilter(ready(), 'jax'), 'graphviz', undefined), 'graphviz');
    assert.ok(isShown(viaChip, 'graphviz'));
    // "Cancel" on the question keeps the package shown too.
    const asked = withTicked(withFilter(ready(), 'tensor'), 'tensorflow-probability', 'Marked broken at this pin.');
    assert.ok(isShown(withFilter(withAnswer(asked, false), 'tensor'), 'tensorflow-probability'));
  });

  it('CmdStan is added by CmdStanPy, nothing else is added by another package', () => {
    const cmdstan = findEntry('cmdstan')!;
    assert.equal(addedBy(['cmdstanpy'], cmdstan)?.displayName, 'CmdStanPy');
    assert.equal(addedBy([], cmdstan), undefined);
    assert.equal(addedBy(['cmdstan'], cmdstan), undefined, 'ticked on its own');
    assert.equal(addedBy(['cmdstanpy'], findEntry('graphviz')!), undefined);
    assert.equal(addedBy(['cmdstanpy'], findEntry('cmdstanpy')!), undefined);
  });

  it('the submit button names the file and the action: create, update a PPL Nix file, replace a foreign one (asks first)', () => {
    const status = (state: PickerState, file: string, kind: 'none' | 'managed' | 'foreign'): PickerState =>
      withHostMessage(withChanges(state, { file }), { type: 'fileStatus', folder: 'file:///w', file, status: kind });
    assert.equal(submitAction(ready()).label, 'Create shell.nix');
    assert.equal(submitAction(withChanges(ready(), { file: 'envs/numpyro.nix' })).label, 'Create envs/numpyro.nix');
    assert.deepEqual(submitAction(status(ready(), 'shell.nix', 'managed')), { verb: 'Update', label: 'Update shell.nix' });
    assert.deepEqual(submitAction(status(ready(), 'default.nix', 'foreign')), { verb: 'Replace', label: 'Replace default.nix\u2026' });
    const moved = withChanges(status(ready(), 'default.nix', 'foreign'), { file: 'other.nix' });
    assert.equal(submitAction(moved).label, 'Create other.nix', 'a status for another path does not count');
    assert.equal(submitAction(withChanges(ready(), { file: '' })).label, 'Create');
  });
});
