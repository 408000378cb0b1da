// Renders the picker's state onto the view built once by view.ts: the fields, the packages with
// their marks at the chosen pin, the inline validation, and the preview of the exact file.
import { findEntry, suggestionsFor } from '../core/catalog/catalog';
import { packageMark, versionBadge, type PackageMark } from '../core/catalog/facts';
import type { CatalogEntry } from '../core/catalog/catalog';
import { formToSpec, type PickerForm } from '../core/picker/form';
import { addedBy, checkKey, currentFile, isShown, pythonChoices, submitAction, type PickerState } from '../core/picker/state';
import { findPin } from '../core/pins/pins';
import type { FieldProblem } from '../core/spec/spec';
import { updateShellNix } from '../core/spec/readback';
import { renderSpecFile } from '../core/spec/flake';
import { h, replaceChildren, setFieldError } from './dom';
import type { View } from './view';

export interface Actions {
  edit(changes: Partial<PickerForm>): void;
  tick(id: string): void;
}

/** What the picker says about a package at the form's pin and Python (a Nix check wins over the research). */
export function markOf(state: PickerState, entry: CatalogEntry): PackageMark | undefined {
  const form = state.form;
  if (form === undefined) return undefined;
  const result = state.checks.get(checkKey(form.pin, form.python))?.result;
  const evaluated = result === undefined ? undefined : (entry.kind === 'python' ? result.python : result.system)[entry.attr];
  return packageMark(findPin(state.pins, form.pin), entry, form.python, evaluated);
}

function fillSelect(select: HTMLSelectElement, options: readonly { value: string; label: string }[], value: string): void {
  if (select.options.length !== options.length || options.some((o, i) => select.options[i]?.value !== o.value)) {
    replaceChildren(select, ...options.map((o) => h('option', { value: o.value }, o.label)));
  }
  select.value = value;
}

function problemFor(problems: readonly FieldProblem[], ...fields: string[]): string | undefined {
  const messages = problems.filter((p) => fields.includes(p.field)).map((p) => p.message);
  return messages.length > 0 ? messages.join('; ') : undefined;
}

/** Text inputs are only overwritten when they are not being typed in. */
function setText(input: HTMLInputElement, value: string): void {
  if (document.activeElement !== input) input.value = value;
}

export function render(view: View, state: PickerState, actions: Actions): void {
  const form = state.form;
  if (form === undefined) return;
  renderNotices(view, state);
  renderFields(view, state, form);
  renderPackages(view, state, form, actions);
  renderResult(view, state, form);
}

function renderNotices(view: View, state: PickerState): void {
  replaceChildren(
    view.notices,
    ...state.pinProblems.map((problem) => h('div', { class: 'warning' }, problem)),
    !state.trusted &&
      h(
        'div',
        { class: 'note' },
        'Restricted Mode: PPL Nix will write the file but will not evaluate it or open a shell until you trust this folder.',
      ),
  );
}

function renderFields(view: View, state: PickerState, form: PickerForm): void {
  view.folder.row.hidden = state.folders.length < 2;
  fillSelect(
    view.folder.input,
    state.folders.map((folder) => ({ value: folder.uri, label: folder.name })),
    form.folder,
  );
  setText(view.name.input, form.name);
  setText(view.file.input, form.file);
  view.format.shell.checked = form.format === 'shell';
  view.format.flake.checked = form.format === 'flake';
  setText(view.extra.input, form.extraPackages);
  setText(view.system.input, form.systemPackages);
  const pinOptions = state.pins.map((pin) => ({ value: pin.label, label: pin.origin === 'custom' ? `${pin.label} (custom)` : pin.label }));
  if (!state.pins.some((pin) => pin.label === form.pin)) pinOptions.unshift({ value: form.pin, label: `${form.pin} (unknown)` });
  fillSelect(view.pin.input, pinOptions, form.pin);
  const pin = findPin(state.pins, form.pin);
  view.pinDetail.textContent =
    pin === undefined
      ? ''
      : `${pin.rev ? `revision ${pin.rev.slice(0, 12)}` : pin.url}${pin.pythons.length === 0 ? ' · Python versions not known for this pin' : ''}`;
  fillSelect(view.python.input, pythonChoices(state), form.python);
  view.openTerminal.checked = form.openTerminal;
  view.useInterpreter.checked = form.useInterpreter;
  const check = state.checks.get(checkKey(form.pin, form.python));
  view.checkPin.disabled = !state.trusted || check?.state === 'checking' || pin === undefined;
  view.checkPin.title = state.trusted
    ? 'Evaluate this pin with Nix: versions, broken and removed packages, Python versions'
    : 'Needs a trusted folder (checking runs the pin’s Nix code)';
  view.availabilityNote.textContent =
    check?.state === 'checking'
      ? 'Checking with Nix… the first use of a pin downloads about 40 MB (cancel from the notification).'
      : check?.state === 'failed'
        ? `Could not check: ${check.message ?? 'unknown error'}`
        : check?.state === 'done'
          ? `Checked with Nix: Python ${check.result?.pythonVersion ?? `${form.python} is not available`}; this pin has Python ${check.result?.pythons.join(', ') ?? '?'}.`
          : '';
}

function renderPackages(view: View, state: PickerState, form: PickerForm, actions: Actions): void {
  const result = state.checks.get(checkKey(form.pin, form.python))?.result;
  for (const control of view.packages) {
    const evaluated =
      result === undefined ? undefined : (control.entry.kind === 'python' ? result.python : result.system)[control.entry.attr];
    const mark = markOf(state, control.entry);
    control.warning.textContent = mark?.text ?? '';
    control.warning.hidden = mark === undefined;
    control.warning.className = mark?.level === 'note' ? 'note' : 'warning';
    const badge = versionBadge(evaluated);
    control.badge.textContent = badge ?? '';
    control.badge.hidden = badge === undefined;
    // CmdStanPy adds the cmdstan package anyway: CmdStan shows ticked, and cannot be unticked while it does.
    const by = addedBy(form.packages, control.entry);
    control.checkbox.checked = by !== undefined || form.packages.includes(control.entry.id);
    control.checkbox.disabled = by !== undefined;
    control.addedBy.hidden = by === undefined;
    control.addedBy.textContent = by === undefined ? '' : `added by ${by.displayName}`;
    control.item.classList.toggle('implied', by !== undefined);
    const asking = state.confirming?.id === control.entry.id;
    control.confirm.row.hidden = !asking;
    control.confirm.text.textContent = asking ? `${state.confirming!.reason} Pick another pin or Python, or add it anyway.` : '';
    control.item.hidden = !isShown(state, control.entry.id);
  }
  for (const group of view.groups) group.fieldset.hidden = view.packages.every((c) => c.entry.category !== group.category || c.item.hidden);
  // Never suggest a package that will not evaluate at this pin and Python.
  const suggested = suggestionsFor(form.packages)
    .map((id) => findEntry(id))
    .filter((entry) => entry !== undefined && markOf(state, entry)?.level !== 'blocked') as CatalogEntry[];
  replaceChildren(
    view.suggestions,
    suggested.length > 0 && h('span', { class: 'hint' }, 'Suggested: '),
    ...suggested.map((entry) => {
      const button = h(
        'button',
        { type: 'button', class: 'chip', 'aria-label': `Add ${entry.displayName}` },
        h('span', { class: 'codicon codicon-add', 'aria-hidden': 'true' }),
        ` ${entry.displayName}`,
      );
      button.addEventListener('click', () => actions.tick(entry.id));
      return button;
    }),
  );
  const failing = form.packages
    .map((id) => findEntry(id))
    .filter((entry): entry is CatalogEntry => entry !== undefined && markOf(state, entry)?.level === 'blocked');
  view.previewWarning.hidden = failing.length === 0;
  view.previewWarning.textContent =
    failing.length === 0
      ? ''
      : `${failing.map((e) => e.displayName).join(', ')} will not evaluate with Python ${form.python} at this pin: Nix will refuse the file.`;
}

function renderResult(view: View, state: PickerState, form: PickerForm): void {
  const { spec, problems } = formToSpec(form, state.pins);
  setFieldError(view.name.input, view.name.error, problemFor(problems, 'name'));
  setFieldError(view.file.input, view.file.error, problemFor(problems, 'file'));
  setFieldError(view.pin.input, view.pin.error, problemFor(problems, 'pin', 'pin.url', 'pin.sha256'));
  setFieldError(view.python.input, view.python.error, problemFor(problems, 'python'));
  setFieldError(view.extra.input, view.extra.error, problemFor(problems, 'extraPackages'));
  setFieldError(view.system.input, view.system.error, problemFor(problems, 'systemPackages'));
  view.packagesError.textContent = problemFor(problems, 'packages') ?? '';
  view.packagesError.hidden = view.packagesError.textContent === '';
  view.create.disabled = state.busy || problems.length > 0;
  const action = submitAction(state);
  view.createLabel.textContent = action.label;
  view.createIcon.className = `codicon ${action.verb === 'Update' ? 'codicon-sync' : action.verb === 'Replace' ? 'codicon-replace' : 'codicon-add'}`;
  renderStatus(view, state);
  const file = currentFile(state);
  view.fileNote.textContent =
    file.status === 'managed'
      ? 'This file exists and was written by PPL Nix: its managed parts are updated, your other edits are kept.'
      : file.status === 'foreign'
        ? 'This file exists and was not written by PPL Nix: you will be asked before it is replaced (a backup is kept).'
        : '';
  if (spec === undefined || problems.length > 0) {
    // The last valid file stays, dimmed: what was there is still useful while a field is fixed.
    const stale = view.preview.textContent !== '';
    view.preview.classList.toggle('stale', stale);
    view.previewNote.textContent = stale
      ? 'Fix the marked fields: the preview shows the last valid file.'
      : 'Fix the marked fields to see the file.';
    return;
  }
  view.preview.classList.remove('stale');
  const lock = form.format === 'flake' ? ' (flake.lock next to it locks nixpkgs to the same hash)' : '';
  view.previewNote.textContent =
    file.status === 'managed'
      ? `Updated ${form.file}${lock}:`
      : file.status === 'foreign'
        ? `${form.file}, replacing the existing file (a backup is kept)${lock}:`
        : `New ${form.file}${lock}:`;
  view.preview.textContent =
    file.status === 'managed' && file.existing !== undefined ? updateShellNix(file.existing, spec) : renderSpecFile(spec);
}

/** The result of the last create, next to the button: an icon and a sentence, in the theme's colours. */
function renderStatus(view: View, state: PickerState): void {
  const kind = state.busy ? 'busy' : state.result === undefined ? 'idle' : state.result.ok ? 'ok' : 'failed';
  view.statusText.textContent = state.busy ? 'Writing…' : (state.result?.message ?? '');
  view.status.className = `status ${kind}`;
  view.statusIcon.className =
    kind === 'ok'
      ? 'codicon codicon-pass'
      : kind === 'failed'
        ? 'codicon codicon-error'
        : kind === 'busy'
          ? 'codicon codicon-loading codicon-modifier-spin'
          : 'codicon';
}
