// The picker in the webview: keeps the form in webview state, validates and previews on
// every change with the same core code the host uses, and asks the host to write.
import type { PinAvailability } from '../core/pins/probe';
import { findEntry, suggestionsFor } from '../core/catalog/catalog';
import { packageWarning, versionBadge } from '../core/catalog/facts';
import { formToSpec, type PickerForm } from '../core/picker/form';
import { findPin, pythonsOf, type Pin } from '../core/pins/pins';
import { updateShellNix } from '../core/spec/readback';
import { renderShellNix } from '../core/spec/render';
import type { FieldProblem } from '../core/spec/spec';
import type { FileStatus, FolderView, HostMessage, WebviewMessage } from '../create/protocol';
import { debounce, h, replaceChildren, setFieldError } from './dom';
import { buildView, type View } from './view';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
  readonly form: PickerForm;
}

const vscode = acquireVsCodeApi();
const view: View = buildView(document.getElementById('app')!);
let form: PickerForm | undefined = vscode.getState()?.form;
let pins: readonly Pin[] = [];
let folders: readonly FolderView[] = [];
let file: { key: string; status: FileStatus; existing?: string } = { key: '', status: 'none' };
let busy = false;
let trusted = true;
/** Nix's answers by pin and Python ("label\n3.12"): checking, done, or failed with a message. */
const availability = new Map<string, { state: 'checking' | 'done' | 'failed'; result?: PinAvailability; message?: string }>();
const availabilityKey = (pin: string, python: string): string => `${pin}\n${python}`;
/** Pythons Nix found at a pin (any Python's check lists them all). */
const evaluatedPythons = new Map<string, readonly string[]>();

const post = (message: WebviewMessage): void => vscode.postMessage(message);
const fileKey = (f: PickerForm): string => `${f.folder}\n${f.file}`;
const checkFile = debounce((f: PickerForm) => post({ type: 'checkFile', folder: f.folder, file: f.file }), 150);

function update(changes: Partial<PickerForm>): void {
  if (form === undefined) return;
  const previous = form;
  form = { ...form, ...changes };
  if (changes.pin !== undefined) {
    // Keep the Python version when the new pin has it, else take the pin's default.
    const pin = findPin(pins, form.pin);
    const offered = evaluatedPythons.get(form.pin) ?? (pin === undefined ? [] : pythonsOf(pin));
    if (pin !== undefined && !offered.includes(form.python)) form = { ...form, python: pin.defaultPython ?? pythonsOf(pin).at(-1) ?? form.python };
  }
  vscode.setState({ form });
  if (fileKey(previous) !== fileKey(form)) checkFile(form);
  render();
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

function render(): void {
  if (form === undefined) return;
  const f = form;
  view.folder.row.hidden = folders.length < 2;
  fillSelect(view.folder.input, folders.map((folder) => ({ value: folder.uri, label: folder.name })), f.folder);
  if (document.activeElement !== view.name.input) view.name.input.value = f.name;
  if (document.activeElement !== view.file.input) view.file.input.value = f.file;
  if (document.activeElement !== view.extra.input) view.extra.input.value = f.extraPackages;
  if (document.activeElement !== view.system.input) view.system.input.value = f.systemPackages;
  const pinOptions = pins.map((pin) => ({ value: pin.label, label: pin.origin === 'custom' ? `${pin.label} (custom)` : pin.label }));
  if (!pins.some((pin) => pin.label === f.pin)) pinOptions.unshift({ value: f.pin, label: `${f.pin} (unknown)` });
  fillSelect(view.pin.input, pinOptions, f.pin);
  const pin = findPin(pins, f.pin);
  view.pinDetail.textContent = pin === undefined ? '' : `${pin.rev ? `revision ${pin.rev.slice(0, 12)}` : pin.url}${pin.pythons.length === 0 ? ' · Python versions not known for this pin' : ''}`;
  const pythons = pin === undefined ? [f.python] : [...(evaluatedPythons.get(f.pin) ?? pythonsOf(pin))].reverse();
  if (!pythons.includes(f.python)) pythons.unshift(f.python);
  fillSelect(view.python.input, pythons.map((v) => ({ value: v, label: `${v}${pin?.defaultPython === v ? ' (default)' : ''}` })), f.python);
  view.openTerminal.checked = f.openTerminal;
  view.useInterpreter.checked = f.useInterpreter;

  const checked = availability.get(availabilityKey(f.pin, f.python));
  view.checkPin.disabled = !trusted || checked?.state === 'checking' || pin === undefined;
  view.checkPin.title = trusted ? 'Evaluate this pin with Nix: versions, broken and removed packages, Python versions' : 'Needs a trusted folder (checking runs the pin’s Nix code)';
  view.availabilityNote.textContent =
    checked?.state === 'checking' ? 'Checking with Nix… the first use of a pin downloads about 40 MB (cancel from the notification).'
    : checked?.state === 'failed' ? `Could not check: ${checked.message ?? 'unknown error'}`
    : checked?.state === 'done' ? `Checked with Nix: Python ${checked.result?.pythonVersion ?? `${f.python} is not available`}; this pin has Python ${checked.result?.pythons.join(', ') ?? '?'}.`
    : '';
  const needle = view.filter.value.trim().toLowerCase();
  for (const control of view.packages) {
    const evaluated = checked?.result === undefined ? undefined : (control.entry.kind === 'python' ? checked.result.python : checked.result.system)[control.entry.attr];
    const warning = packageWarning(pin, control.entry, evaluated);
    control.warning.textContent = warning ?? '';
    control.warning.hidden = warning === undefined;
    const badge = versionBadge(evaluated);
    control.badge.textContent = badge ?? '';
    control.badge.hidden = badge === undefined;
    control.checkbox.checked = f.packages.includes(control.entry.id);
    const text = `${control.entry.displayName} ${control.entry.attr} ${control.entry.description}`.toLowerCase();
    control.item.hidden = needle !== '' && !text.includes(needle) && !control.checkbox.checked;
  }
  for (const group of view.groups) group.fieldset.hidden = view.packages.every((c) => c.entry.category !== group.category || c.item.hidden);
  renderSuggestions(f);

  const { spec, problems } = formToSpec(f, pins);
  setFieldError(view.name.input, view.name.error, problemFor(problems, 'name'));
  setFieldError(view.file.input, view.file.error, problemFor(problems, 'file'));
  setFieldError(view.pin.input, view.pin.error, problemFor(problems, 'pin', 'pin.url', 'pin.sha256'));
  setFieldError(view.python.input, view.python.error, problemFor(problems, 'python'));
  setFieldError(view.extra.input, view.extra.error, problemFor(problems, 'extraPackages'));
  setFieldError(view.system.input, view.system.error, problemFor(problems, 'systemPackages'));
  view.packagesError.textContent = problemFor(problems, 'packages') ?? '';
  view.packagesError.hidden = view.packagesError.textContent === '';
  view.create.disabled = busy || problems.length > 0;

  const current = file.key === fileKey(f) ? file : { status: 'none' as FileStatus };
  view.fileNote.textContent =
    current.status === 'managed' ? 'This file exists and was written by PPL Nix: its managed parts are updated, your other edits are kept.'
    : current.status === 'foreign' ? 'This file exists and was not written by PPL Nix: you will be asked before it is replaced (a backup is kept).'
    : '';
  if (spec === undefined || problems.length > 0) {
    view.previewNote.textContent = 'Fix the marked fields to see the file.';
    view.preview.textContent = '';
    return;
  }
  view.previewNote.textContent = current.status === 'managed' ? `Updated ${f.file}:` : `New ${f.file}:`;
  view.preview.textContent = current.status === 'managed' && 'existing' in current && current.existing !== undefined ? updateShellNix(current.existing, spec) : renderShellNix(spec);
}

function renderSuggestions(f: PickerForm): void {
  const suggested = suggestionsFor(f.packages).map((id) => findEntry(id)).filter((e) => e !== undefined);
  replaceChildren(
    view.suggestions,
    suggested.length > 0 && h('span', { class: 'hint' }, 'Suggested: '),
    ...suggested.map((entry) => {
      const button = h('button', { type: 'button', class: 'chip', 'aria-label': `Add ${entry.displayName}` }, h('span', { class: 'codicon codicon-add', 'aria-hidden': 'true' }), ` ${entry.displayName}`);
      button.addEventListener('click', () => update({ packages: [...(form?.packages ?? []), entry.id] }));
      return button;
    }),
  );
}

function bind(): void {
  view.folder.input.addEventListener('change', () => update({ folder: view.folder.input.value }));
  view.name.input.addEventListener('input', () => update({ name: view.name.input.value }));
  view.file.input.addEventListener('input', () => update({ file: view.file.input.value.trim() }));
  view.pin.input.addEventListener('change', () => update({ pin: view.pin.input.value }));
  view.python.input.addEventListener('change', () => update({ python: view.python.input.value }));
  view.extra.input.addEventListener('input', () => update({ extraPackages: view.extra.input.value }));
  view.system.input.addEventListener('input', () => update({ systemPackages: view.system.input.value }));
  view.filter.addEventListener('input', () => render());
  view.checkPin.addEventListener('click', () => {
    if (form === undefined) return;
    availability.set(availabilityKey(form.pin, form.python), { state: 'checking' });
    post({ type: 'checkAvailability', pin: form.pin, python: form.python });
    render();
  });
  view.openTerminal.addEventListener('change', () => update({ openTerminal: view.openTerminal.checked }));
  view.useInterpreter.addEventListener('change', () => update({ useInterpreter: view.useInterpreter.checked }));
  for (const control of view.packages) {
    control.checkbox.addEventListener('change', () => {
      const others = (form?.packages ?? []).filter((id) => id !== control.entry.id);
      update({ packages: control.checkbox.checked ? [...others, control.entry.id] : others });
    });
  }
  view.create.closest('form')?.addEventListener('submit', (event) => {
    event.preventDefault();
    if (form !== undefined && !view.create.disabled) post({ type: 'create', form });
  });
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      pins = message.pins;
      folders = message.folders;
      trusted = message.trusted;
      // Saved state wins (the panel was hidden or the window reloaded), unless its folder is gone.
      if (form === undefined || !folders.some((folder) => folder.uri === form?.folder)) form = message.form;
      vscode.setState({ form });
      replaceChildren(view.notices, ...message.pinProblems.map((problem) => h('div', { class: 'warning' }, problem)),
        !message.trusted && h('div', { class: 'note' }, 'Restricted Mode: PPL Nix will write the file but will not evaluate it or open a shell until you trust this folder.'));
      post({ type: 'checkFile', folder: form.folder, file: form.file });
      // For npm run bench: when, since this page started loading, the form became usable.
      document.body.dataset['interactiveMs'] = String(Math.round(performance.now()));
      break;
    case 'availability':
      availability.set(availabilityKey(message.pin, message.python), {
        state: message.state,
        ...(message.result === undefined ? {} : { result: message.result }),
        ...(message.message === undefined ? {} : { message: message.message }),
      });
      if (message.result !== undefined && message.result.pythons.length > 0) evaluatedPythons.set(message.pin, message.result.pythons);
      break;
    case 'fileStatus':
      file = { key: `${message.folder}\n${message.file}`, status: message.status, ...(message.existing === undefined ? {} : { existing: message.existing }) };
      break;
    case 'busy':
      busy = message.busy;
      view.status.textContent = busy ? 'Writing…' : view.status.textContent;
      break;
    case 'result':
      view.status.textContent = message.message;
      view.status.className = `status ${message.ok ? 'ok' : 'failed'}`;
      if (message.ok) checkFile(form!);
      break;
  }
  render();
});

bind();
render();
post({ type: 'ready' });
