// The picker's state in the webview, as data, and every way it changes: the user edits the
// form, or the host answers. Pure (no DOM), so the rules are unit-tested: e.g. choosing another
// pin keeps the Python version when the new pin has it, else falls back to the pin's default.
import { CATALOG, type CatalogEntry } from '../catalog/catalog';
import type { PinProbe } from '../pins/probe';
import { findPin, pythonsOf, type Pin } from '../pins/pins';
import { fileForFormat, type PickerForm } from './form';
import type { FileStatus, FolderView, HostMessage } from './protocol';

/** Nix's answer for the catalog at (pin, Python): still checking, done, or failed with a message. */
export interface CatalogCheck {
  readonly state: 'checking' | 'done' | 'failed';
  readonly result?: PinProbe;
  readonly message?: string;
}

export interface PickerState {
  /** undefined until the host's first answer (or a saved state) arrives. */
  readonly form: PickerForm | undefined;
  readonly pins: readonly Pin[];
  readonly folders: readonly FolderView[];
  /** What the chosen file is, for the form's folder and file (key = fileKey). */
  readonly file: { readonly key: string; readonly status: FileStatus; readonly existing?: string };
  /** A create is in flight. */
  readonly busy: boolean;
  readonly trusted: boolean;
  /** Catalog checks by checkKey(pin, python). */
  readonly checks: ReadonlyMap<string, CatalogCheck>;
  /** The Python versions Nix found at a pin (any check of the pin lists them all). */
  readonly evaluatedPythons: ReadonlyMap<string, readonly string[]>;
  /** Messages about malformed custom pins, from the host. */
  readonly pinProblems: readonly string[];
  /** The last create's result, shown next to the button. */
  readonly result?: { readonly ok: boolean; readonly message: string };
  /** A package the user ticked that will not evaluate at (pin, Python): the question shown under it. */
  readonly confirming?: { readonly id: string; readonly reason: string };
  /** Packages the user chose to add anyway: not asked again. */
  readonly accepted: readonly string[];
  /**
   * The package filter: its text, and the packages shown since the text last changed. A package
   * shown stays shown until the text changes again (unticking it never makes it vanish).
   */
  readonly filter: { readonly text: string; readonly shown: readonly string[] };
}

export const fileKey = (form: PickerForm): string => `${form.folder}\n${form.file}`;
export const checkKey = (pin: string, python: string): string => `${pin}\n${python}`;

export function initialState(saved: PickerForm | undefined): PickerState {
  return {
    form: saved,
    pins: [],
    folders: [],
    file: { key: '', status: 'none' },
    busy: false,
    trusted: true,
    checks: new Map(),
    evaluatedPythons: new Map(),
    pinProblems: [],
    accepted: [],
    filter: { text: '', shown: [] },
  };
}

/** The Python versions a pin offers: what Nix found there, else what PPL Nix knows. */
export function pythonsAt(state: PickerState, pinLabel: string): readonly string[] {
  const pin = findPin(state.pins, pinLabel);
  return state.evaluatedPythons.get(pinLabel) ?? (pin === undefined ? [] : pythonsOf(pin));
}

/** The user changed the form. A new pin keeps the Python version when it has it, else takes its default. */
export function withChanges(state: PickerState, changes: Partial<PickerForm>): PickerState {
  if (state.form === undefined) return state;
  let form: PickerForm = { ...state.form, ...changes };
  // Another format: the file follows (a flake is always flake.nix), unless the same edit names one.
  if (changes.format !== undefined && changes.format !== state.form.format && changes.file === undefined)
    form = { ...form, file: fileForFormat(form.file, changes.format) };
  if (changes.pin !== undefined) {
    const pin = findPin(state.pins, form.pin);
    const offered = pythonsAt(state, form.pin);
    if (pin !== undefined && !offered.includes(form.python)) {
      const fallback = pin.preferredPython !== undefined && offered.includes(pin.preferredPython) ? pin.preferredPython : offered.at(-1);
      form = { ...form, python: fallback ?? form.python };
    }
  }
  return { ...state, form };
}

/**
 * The user ticked a package. One that will not evaluate at the chosen pin and Python (`blocked`:
 * the reason) is not added at once: the picker asks, once per package.
 */
export function withTicked(state: PickerState, id: string, blocked: string | undefined): PickerState {
  if (state.form === undefined || state.form.packages.includes(id)) return state;
  if (blocked !== undefined && !state.accepted.includes(id)) return { ...state, confirming: { id, reason: blocked } };
  return withChanges(withoutQuestion(state), { packages: [...state.form.packages, id] });
}

/** The user unticked a package: it stays shown until the filter text changes. */
export function withUnticked(state: PickerState, id: string): PickerState {
  if (state.form === undefined) return state;
  return withChanges(keptShown(state, id), { packages: state.form.packages.filter((other) => other !== id) });
}

/** The state with a package that is shown now remembered as shown (until the filter text changes). */
function keptShown(state: PickerState, id: string): PickerState {
  if (!isShown(state, id) || state.filter.shown.includes(id)) return state;
  return { ...state, filter: { ...state.filter, shown: [...state.filter.shown, id] } };
}

/** Whether a catalog entry matches a filter text (name, attribute or description; case-insensitive). */
export function matchesFilter(entry: CatalogEntry, text: string): boolean {
  const needle = text.trim().toLowerCase();
  return needle === '' || `${entry.displayName} ${entry.attr} ${entry.description}`.toLowerCase().includes(needle);
}

/** The user typed in the filter: what it matches is shown, and so is every ticked package. */
export function withFilter(state: PickerState, text: string): PickerState {
  if (text === state.filter.text) return state;
  const ticked = state.form?.packages ?? [];
  const shown = CATALOG.filter((entry) => matchesFilter(entry, text) || ticked.includes(entry.id)).map((entry) => entry.id);
  return { ...state, filter: { text, shown } };
}

/** Whether a package is in the list: no filter, shown since the filter changed, ticked, or being asked about. */
export function isShown(state: PickerState, id: string): boolean {
  return (
    state.filter.text.trim() === '' ||
    state.filter.shown.includes(id) ||
    state.form?.packages.includes(id) === true ||
    state.confirming?.id === id
  );
}

/**
 * The ticked package that brings this one along (CmdStanPy adds the cmdstan system package),
 * or undefined: its checkbox shows it ticked and cannot untick it while that one is ticked.
 */
export function addedBy(packages: readonly string[], entry: CatalogEntry): CatalogEntry | undefined {
  if (entry.kind !== 'system') return undefined;
  return CATALOG.find((other) => other.id !== entry.id && packages.includes(other.id) && (other.needs.packages ?? []).includes(entry.attr));
}

/** What the submit button does, by what the file at the form's path is: "Create envs/numpyro.nix", "Replace default.nix…". */
export function submitAction(state: PickerState): { readonly verb: 'Create' | 'Update' | 'Replace'; readonly label: string } {
  const file = state.form?.file.trim() ?? '';
  const status = currentFile(state).status;
  const verb = status === 'managed' ? 'Update' : status === 'foreign' ? 'Replace' : 'Create';
  // A foreign file is replaced only after a question: the ellipsis says so.
  const label = file === '' ? verb : verb === 'Replace' ? `Replace ${file}\u2026` : `${verb} ${file}`;
  return { verb, label };
}

function withoutQuestion(state: PickerState): PickerState {
  const copy: { -readonly [K in keyof PickerState]: PickerState[K] } = { ...state };
  delete copy.confirming;
  return copy;
}

/** The answer to "add it anyway?". */
export function withAnswer(state: PickerState, addAnyway: boolean): PickerState {
  const asked = state.confirming;
  if (asked === undefined) return state;
  const rest = withoutQuestion(keptShown(state, asked.id));
  if (!addAnyway || rest.form === undefined) return rest;
  return withChanges({ ...rest, accepted: [...rest.accepted, asked.id] }, { packages: [...rest.form.packages, asked.id] });
}

/** The user asked Nix to check the catalog at the form's pin and Python. */
export function withCheckStarted(state: PickerState): PickerState {
  if (state.form === undefined) return state;
  return { ...state, checks: new Map(state.checks).set(checkKey(state.form.pin, state.form.python), { state: 'checking' }) };
}

/** The host answered. */
export function withHostMessage(state: PickerState, message: HostMessage): PickerState {
  switch (message.type) {
    case 'init': {
      // A saved form wins (the panel was hidden or the window reloaded), unless its folder is gone.
      const keep = state.form !== undefined && message.folders.some((folder) => folder.uri === state.form?.folder);
      return {
        ...state,
        form: keep ? state.form : message.form,
        pins: message.pins,
        folders: message.folders,
        trusted: message.trusted,
        pinProblems: message.pinProblems,
      };
    }
    case 'availability': {
      const check: CatalogCheck = {
        state: message.state,
        ...(message.result === undefined ? {} : { result: message.result }),
        ...(message.message === undefined ? {} : { message: message.message }),
      };
      const evaluated =
        message.result !== undefined && message.result.pythons.length > 0
          ? new Map(state.evaluatedPythons).set(message.pin, message.result.pythons)
          : state.evaluatedPythons;
      return { ...state, checks: new Map(state.checks).set(checkKey(message.pin, message.python), check), evaluatedPythons: evaluated };
    }
    case 'fileStatus':
      return {
        ...state,
        file: {
          key: `${message.folder}\n${message.file}`,
          status: message.status,
          ...(message.existing === undefined ? {} : { existing: message.existing }),
        },
      };
    case 'busy':
      return { ...state, busy: message.busy };
    case 'result':
      return { ...state, result: { ok: message.ok, message: message.message } };
  }
}

/** What the file at the form's path is, when the host has said so for this very path. */
export function currentFile(state: PickerState): PickerState['file'] {
  return state.form !== undefined && state.file.key === fileKey(state.form) ? state.file : { key: '', status: 'none' };
}

/** The Python choices for the form's pin, newest first, the current one always included. */
export function pythonChoices(state: PickerState): { readonly value: string; readonly label: string }[] {
  const form = state.form;
  if (form === undefined) return [];
  const pin = findPin(state.pins, form.pin);
  const versions = pin === undefined ? [form.python] : [...pythonsAt(state, form.pin)].reverse();
  if (!versions.includes(form.python)) versions.unshift(form.python);
  const label = (value: string): string =>
    pin?.defaultPython === value
      ? `${value} (default)`
      : pin?.defaultPython === undefined && pin?.preferredPython === value
        ? `${value} (recommended)`
        : value;
  return versions.map((value) => ({ value, label: label(value) }));
}
