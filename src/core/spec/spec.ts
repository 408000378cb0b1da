// An environment spec: what the user chose. It is rendered into shell.nix and recorded
// in it, so PPL Nix can read the choice back and re-render without losing hand edits.
import { findEntry, findRenamed } from '../catalog/catalog';
import type { PinRef } from '../pins/pins';
import { checkAttributeName, checkAttributePath, checkEnvName, checkPinUrl, checkSha256, pythonAttribute } from './validate';

export interface EnvSpec {
  readonly name: string;
  readonly pin: PinRef;
  /** CPython version, "3.12". */
  readonly python: string;
  /** Catalog ids (Python packages and system tools). */
  readonly packages: readonly string[];
  /** Further attributes of the Python package set, e.g. "tqdm". */
  readonly extraPackages: readonly string[];
  /** Further top-level nixpkgs attributes, e.g. "git" or "llvmPackages.clang". */
  readonly systemPackages: readonly string[];
  /** Bash run when the shell starts. */
  readonly shellHook?: string;
}

export interface FieldProblem {
  /** Which input: "name", "pin.url", "pin.sha256", "python", "packages", "extraPackages", "systemPackages", "shellHook". */
  readonly field: string;
  readonly message: string;
}

export interface ValidationContext {
  /** Python versions the pin offers; empty = unknown (any CPython 3 version is accepted). */
  readonly pythons: readonly string[];
}

/** Every problem with a spec; an empty list means it can be written. */
export function validateSpec(spec: EnvSpec, context: ValidationContext): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string | undefined): void => {
    if (message !== undefined) problems.push({ field, message });
  };
  const nameProblem = checkEnvName(spec.name);
  add('name', nameProblem && `Environment name ${nameProblem}`);
  if (spec.pin.label.trim() === '') add('pin', 'The pin needs a label');
  const urlProblem = checkPinUrl(spec.pin.url);
  add('pin.url', urlProblem && `Pin URL ${urlProblem}`);
  const hashProblem = checkSha256(spec.pin.sha256);
  add('pin.sha256', hashProblem && `Pin sha256 ${hashProblem}`);
  if (pythonAttribute(spec.python) === undefined) {
    add('python', `"${spec.python}" is not a Python version like 3.12`);
  } else if (context.pythons.length > 0 && !context.pythons.includes(spec.python)) {
    add('python', `Python ${spec.python} is not available at this pin (it offers ${context.pythons.join(', ')})`);
  }
  for (const id of spec.packages) {
    if (findEntry(id) === undefined) add('packages', `"${id}" is not in the PPL Nix catalog; add it under extra Python packages instead`);
  }
  for (const attr of spec.extraPackages) {
    const problem = checkAttributeName(attr);
    add('extraPackages', problem && `Extra Python package ${problem}`);
    const renamed = problem === undefined ? findRenamed(attr) : undefined;
    add('extraPackages', renamed?.message);
  }
  for (const path of spec.systemPackages) {
    const problem = checkAttributePath(path);
    add('systemPackages', problem && `System package ${problem}`);
  }
  if (spec.shellHook !== undefined && spec.shellHook.includes('\u0000')) add('shellHook', 'The shell hook contains a NUL character');
  return problems;
}

/** Splits free text ("tqdm, polars  rich") into names; the picker and the CLI both use it. */
export function splitNames(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Reads an untrusted JSON value (a file's recorded spec, a webview message) into a spec shape. */
export function parseSpec(value: unknown): EnvSpec | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const raw = value as Record<string, unknown>;
  const pin = raw['pin'];
  if (typeof pin !== 'object' || pin === null) return undefined;
  const { label, url, sha256 } = pin as Record<string, unknown>;
  if (typeof raw['name'] !== 'string' || typeof raw['python'] !== 'string') return undefined;
  if (typeof label !== 'string' || typeof url !== 'string' || typeof sha256 !== 'string') return undefined;
  const packages = raw['packages'] ?? [];
  const extraPackages = raw['extraPackages'] ?? [];
  const systemPackages = raw['systemPackages'] ?? [];
  if (!isStringArray(packages) || !isStringArray(extraPackages) || !isStringArray(systemPackages)) return undefined;
  const shellHook = raw['shellHook'];
  if (shellHook !== undefined && typeof shellHook !== 'string') return undefined;
  return {
    name: raw['name'] as string,
    pin: { label, url, sha256 },
    python: raw['python'] as string,
    packages,
    extraPackages,
    systemPackages,
    ...(shellHook === undefined || shellHook === '' ? {} : { shellHook }),
  };
}
