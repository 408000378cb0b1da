// The picker's form: what the webview edits, how it becomes a spec, and the checks both
// sides run (the webview to show inline messages, the host again before writing).
import { findPin, pythonsOf, toPinRef, type Pin } from '../pins/pins';
import { splitNames, validateSpec, type EnvSpec, type FieldProblem } from '../spec/spec';
import { fileNameProblem } from '../spec/flake';
import { toEnvName } from '../spec/validate';

export interface PickerForm {
  /** The workspace folder's URI, as a string. */
  readonly folder: string;
  /** Path of the file relative to the folder: "shell.nix", "envs/numpyro.nix", "flake.nix". */
  readonly file: string;
  /** What is written: a shell.nix (any .nix file nix-shell reads), or a flake.nix with its flake.lock. */
  readonly format: 'shell' | 'flake';
  readonly name: string;
  /** A pin label. */
  readonly pin: string;
  readonly python: string;
  /** Catalog ids. */
  readonly packages: readonly string[];
  /** Free text: further Python attributes, separated by spaces or commas. */
  readonly extraPackages: string;
  /** Free text: further top-level attributes. */
  readonly systemPackages: string;
  readonly openTerminal: boolean;
  readonly useInterpreter: boolean;
}

/** A relative path to a .nix file that stays inside its folder. */
export function checkRelativeNixPath(file: string): string | undefined {
  if (file.trim() === '') return 'File is empty';
  if (file.startsWith('/') || /^[A-Za-z]:/.test(file) || file.includes('\\'))
    return 'File must be a path relative to the folder, with / between folders';
  const parts = file.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..'))
    return 'File must stay inside the folder (no "..", no empty parts)';
  if (parts.some((part) => !/^[A-Za-z0-9._+-]+$/.test(part) || part.startsWith('.')))
    return 'File names may contain letters, digits, ".", "_", "+" and "-" (not starting with ".")';
  if (!file.endsWith('.nix')) return 'File must end in .nix';
  return undefined;
}

/**
 * The file for another format, in the same folder: a flake is always named flake.nix; going back
 * to shell.nix renames only a flake.nix (another name is kept).
 */
export function fileForFormat(file: string, format: PickerForm['format']): string {
  const slash = file.lastIndexOf('/');
  const dir = slash < 0 ? '' : file.slice(0, slash + 1);
  const base = file.slice(slash + 1);
  if (format === 'flake') return `${dir}flake.nix`;
  return base === 'flake.nix' ? `${dir}shell.nix` : file;
}

/** The spec a form describes, with every problem (an empty list: ready to write). */
export function formToSpec(form: PickerForm, pins: readonly Pin[]): { spec?: EnvSpec; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const fileProblem = checkRelativeNixPath(form.file) ?? fileNameProblem(form.format === 'flake' ? { format: 'flake' } : {}, form.file);
  if (fileProblem !== undefined) problems.push({ field: 'file', message: fileProblem });
  const pin = findPin(pins, form.pin);
  if (pin === undefined) {
    problems.push({ field: 'pin', message: `Unknown nixpkgs pin "${form.pin}"` });
    return { problems };
  }
  const spec: EnvSpec = {
    name: form.name.trim(),
    pin: toPinRef(pin),
    python: form.python,
    packages: [...form.packages],
    extraPackages: splitNames(form.extraPackages),
    systemPackages: splitNames(form.systemPackages),
    ...(form.format === 'flake' ? { format: 'flake' as const } : {}),
  };
  problems.push(...validateSpec(spec, { pythons: pin.pythons }));
  return { spec, problems };
}

/** A fresh form for a folder, or one pre-filled from a spec read back from its file. */
export function initialForm(
  folder: string,
  folderName: string,
  pins: readonly Pin[],
  defaultPinLabel: string,
  existing?: { file: string; spec: EnvSpec },
): PickerForm {
  if (existing !== undefined) {
    const { spec } = existing;
    const known = pins.find((pin) => pin.url === spec.pin.url && pin.sha256 === spec.pin.sha256);
    return {
      folder,
      file: existing.file,
      format: spec.format === 'flake' ? 'flake' : 'shell',
      name: spec.name,
      pin: known?.label ?? spec.pin.label,
      python: spec.python,
      packages: [...spec.packages],
      extraPackages: spec.extraPackages.join(' '),
      systemPackages: spec.systemPackages.join(' '),
      openTerminal: true,
      useInterpreter: true,
    };
  }
  const pin = findPin(pins, defaultPinLabel) ?? pins[0];
  return {
    folder,
    file: 'shell.nix',
    format: 'shell',
    name: toEnvName(folderName),
    pin: pin?.label ?? defaultPinLabel,
    python: pin?.preferredPython ?? (pin === undefined ? '3.13' : (pythonsOf(pin).at(-1) ?? '3.13')),
    packages: [],
    extraPackages: '',
    systemPackages: '',
    openTerminal: true,
    useInterpreter: true,
  };
}

const isString = (value: unknown): value is string => typeof value === 'string' && value.length <= 4096;

/** Reads an untrusted value (a webview message, saved webview state) into a form, or undefined. */
export function parseForm(value: unknown): PickerForm | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const raw = value as Record<string, unknown>;
  const strings = ['folder', 'file', 'name', 'pin', 'python', 'extraPackages', 'systemPackages'] as const;
  if (!strings.every((key) => isString(raw[key]))) return undefined;
  const packages = raw['packages'];
  if (!Array.isArray(packages) || packages.length > 200 || !packages.every(isString)) return undefined;
  if (typeof raw['openTerminal'] !== 'boolean' || typeof raw['useInterpreter'] !== 'boolean') return undefined;
  // A form saved before flakes existed has no format: it was a shell.nix.
  const format = raw['format'] === undefined ? 'shell' : raw['format'];
  if (format !== 'shell' && format !== 'flake') return undefined;
  return {
    folder: raw['folder'] as string,
    file: raw['file'] as string,
    format,
    name: raw['name'] as string,
    pin: raw['pin'] as string,
    python: raw['python'] as string,
    packages: [...new Set(packages as string[])],
    extraPackages: raw['extraPackages'] as string,
    systemPackages: raw['systemPackages'] as string,
    openTerminal: raw['openTerminal'],
    useInterpreter: raw['useInterpreter'],
  };
}
