// The picker in the webview: one state (core/picker/state.ts), changed by the user's edits and
// the host's answers, rendered after every change with the same core code the host uses to
// validate and write; the form is kept in webview state so it survives a reload.
import type { PickerForm } from '../core/picker/form';
import type { HostMessage, WebviewMessage } from '../core/picker/protocol';
import { findEntry } from '../core/catalog/catalog';
import {
  fileKey,
  initialState,
  withAnswer,
  withChanges,
  withCheckStarted,
  withFilter,
  withHostMessage,
  withTicked,
  withUnticked,
  type PickerState,
} from '../core/picker/state';
import { debounce } from './dom';
import { markOf, render } from './render';
import { buildView } from './view';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): { readonly form: PickerForm } | undefined;
  setState(state: { readonly form: PickerForm }): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const view = buildView(document.getElementById('app')!);
let state: PickerState = initialState(vscode.getState()?.form);

const post = (message: WebviewMessage): void => vscode.postMessage(message);
const checkFile = debounce((form: PickerForm) => post({ type: 'checkFile', folder: form.folder, file: form.file }), 150);

/** The one place state changes: save the form, ask for the file's status when the path changed, render. */
function commit(next: PickerState): void {
  const previous = state.form;
  state = next;
  if (state.form !== undefined) {
    vscode.setState({ form: state.form });
    if (previous !== undefined && fileKey(previous) !== fileKey(state.form)) checkFile(state.form);
  }
  render(view, state, { edit, tick });
}

function edit(changes: Partial<PickerForm>): void {
  commit(withChanges(state, changes));
}

/** Ticking a package: one that will not evaluate at this pin and Python asks first (once). */
function tick(id: string): void {
  const entry = findEntry(id);
  const mark = entry === undefined ? undefined : markOf(state, entry);
  commit(withTicked(state, id, mark?.level === 'blocked' ? mark.text : undefined));
  if (state.confirming?.id === id) view.packages.find((c) => c.entry.id === id)?.confirm.yes.focus();
}

function bind(): void {
  view.folder.input.addEventListener('change', () => edit({ folder: view.folder.input.value }));
  view.name.input.addEventListener('input', () => edit({ name: view.name.input.value }));
  view.file.input.addEventListener('input', () => edit({ file: view.file.input.value.trim() }));
  for (const radio of [view.format.shell, view.format.flake])
    radio.addEventListener('change', () => radio.checked && edit({ format: radio === view.format.flake ? 'flake' : 'shell' }));
  view.pin.input.addEventListener('change', () => edit({ pin: view.pin.input.value }));
  view.python.input.addEventListener('change', () => edit({ python: view.python.input.value }));
  view.extra.input.addEventListener('input', () => edit({ extraPackages: view.extra.input.value }));
  view.system.input.addEventListener('input', () => edit({ systemPackages: view.system.input.value }));
  view.filter.addEventListener('input', () => commit(withFilter(state, view.filter.value)));
  view.checkPin.addEventListener('click', () => {
    if (state.form === undefined) return;
    post({ type: 'checkAvailability', pin: state.form.pin, python: state.form.python });
    commit(withCheckStarted(state));
  });
  view.openTerminal.addEventListener('change', () => edit({ openTerminal: view.openTerminal.checked }));
  view.useInterpreter.addEventListener('change', () => edit({ useInterpreter: view.useInterpreter.checked }));
  for (const control of view.packages) {
    control.checkbox.addEventListener('change', () =>
      control.checkbox.checked ? tick(control.entry.id) : commit(withUnticked(state, control.entry.id)),
    );
    control.confirm.yes.addEventListener('click', () => {
      commit(withAnswer(state, true));
      control.checkbox.focus();
    });
    control.confirm.no.addEventListener('click', () => {
      commit(withAnswer(state, false));
      control.checkbox.focus();
    });
  }
  for (const control of view.packages) {
    control.checkbox.addEventListener('keydown', (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      if (event.key === 'ArrowRight') control.homepage.focus();
      else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') focusPackage(control.checkbox, event.key === 'ArrowDown' ? 1 : -1);
      else return;
      event.preventDefault();
    });
    control.homepage.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowLeft' && event.key !== 'Escape') return;
      event.preventDefault();
      control.checkbox.focus();
    });
  }
  const form = view.create.form;
  form?.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  // Enter submits only from the button; Ctrl+Enter (Cmd+Enter) from anywhere. Enter in a text
  // field or on a checkbox would submit the form implicitly: not here.
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.isComposing) return;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      submit();
    } else if (event.target instanceof HTMLInputElement && form?.contains(event.target)) {
      event.preventDefault();
    }
  });
}

function submit(): void {
  if (state.form !== undefined && !view.create.disabled) post({ type: 'create', form: state.form });
}

/** Moves focus to the next (or previous) package checkbox shown in the list, in the list's order. */
function focusPackage(from: HTMLInputElement, step: 1 | -1): void {
  const boxes = view.packages
    .filter((control) => !control.item.hidden && !control.checkbox.disabled)
    .map((control) => control.checkbox)
    .sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  const index = boxes.indexOf(from);
  boxes[index + step]?.focus();
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  const next = withHostMessage(state, message);
  if (message.type === 'init' && next.form !== undefined) {
    post({ type: 'checkFile', folder: next.form.folder, file: next.form.file });
    // For npm run bench: when, since this page started loading, the form became usable.
    document.body.dataset['interactiveMs'] = String(Math.round(performance.now()));
  }
  if (message.type === 'result' && message.ok && next.form !== undefined) checkFile(next.form);
  commit(next);
});

bind();
commit(state);
post({ type: 'ready' });
