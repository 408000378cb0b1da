// An environment spec: what the user chose. It is rendered into shell.nix and recorded
// in it, so PPL Nix can read the choice back and re-render without losing hand edits.
import { findEntry, findRenamed } from '../catalog/catalog';
import type { PinRef } from '../pins/pins';
import {
  checkAttributePath,
  checkEnvName,
  checkLabel,
  checkPackageName,
  checkPinUrl,
  checkPythonVersion,
  checkSha256,
  isWellFormed,
  shown,
} from './validate';

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
  /** 'flake': a flake.nix (with its flake.lock) instead of a file nix-shell reads. */
  readonly format?: 'flake';
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

/** The longest shell hook PPL Nix writes. */
const MAX_SHELL_HOOK = 64 * 1024;

/** A line the reader takes for a managed block's begin or end marker (see readback.ts). */
const HOOK_MARKER = /^\s*# ppl-nix:(begin|end) /;

/**
 * Every problem with a spec; an empty list means it can be written. Every string of a spec
 * reaches the file (comments included), so every one is checked here, whatever its origin: the
 * picker, the CLI, a file's recorded spec line, a migration, a pin update. The renderer refuses
 * a spec with problems (renderShellNix), so nothing unchecked can be written.
 */
export function validateSpec(spec: EnvSpec, context: ValidationContext): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string | undefined): void => {
    if (message !== undefined) problems.push({ field, message });
  };
  const nameProblem = checkEnvName(spec.name);
  add('name', nameProblem && `Environment name ${nameProblem}`);
  const labelProblem = checkLabel(spec.pin.label);
  add('pin', labelProblem && `Pin label ${labelProblem}`);
  const urlProblem = checkPinUrl(spec.pin.url);
  add('pin.url', urlProblem && `Pin URL ${urlProblem}`);
  const hashProblem = checkSha256(spec.pin.sha256);
  add('pin.sha256', hashProblem && `Pin sha256 ${hashProblem}`);
  const pythonProblem = checkPythonVersion(spec.python);
  if (pythonProblem !== undefined) {
    add('python', pythonProblem);
  } else if (context.pythons.length > 0 && !context.pythons.includes(spec.python)) {
    add('python', `Python ${spec.python} is not available at this pin (it offers ${context.pythons.join(', ')})`);
  }
  const unknown = spec.packages.filter((id) => findEntry(id) === undefined);
  if (unknown.length > 0)
    add(
      'packages',
      `${listed(unknown)} ${unknown.length === 1 ? 'is' : 'are'} not in the PPL Nix catalog; add them under extra Python packages instead`,
    );
  const badExtras = spec.extraPackages.filter((attr) => checkPackageName(attr) !== undefined);
  if (badExtras.length === 1) add('extraPackages', `Extra Python package ${checkPackageName(badExtras[0]!)}`);
  else if (badExtras.length > 1)
    add(
      'extraPackages',
      `${listed(badExtras)} are not Nix attribute names a package list can hold (letters, digits, _, ' and -, not a keyword or a name the file defines)`,
    );
  for (const attr of spec.extraPackages) if (!badExtras.includes(attr)) add('extraPackages', findRenamed(attr)?.message);
  const badSystem = spec.systemPackages.filter((path) => checkAttributePath(path) !== undefined);
  if (badSystem.length === 1) add('systemPackages', `System package ${checkAttributePath(badSystem[0]!)}`);
  else if (badSystem.length > 1)
    add('systemPackages', `${listed(badSystem)} are not nixpkgs attribute paths (like git or llvmPackages.clang)`);
  if (spec.shellHook !== undefined) {
    if (spec.shellHook.includes('\u0000')) add('shellHook', 'The shell hook contains a NUL character');
    if (spec.shellHook.length > MAX_SHELL_HOOK) add('shellHook', `The shell hook is longer than ${MAX_SHELL_HOOK / 1024} KB`);
    if (!isWellFormed(spec.shellHook)) add('shellHook', 'The shell hook is not valid Unicode text (a lone surrogate)');
    // The file's managed blocks are found by these marker lines: one inside the hook would end its block early.
    const marker = spec.shellHook.split('\n').find((line) => HOOK_MARKER.test(line));
    if (marker !== undefined) add('shellHook', `The shell hook has a line PPL Nix uses to mark its blocks ("${shown(marker.trim())}")`);
  }
  return problems;
}

/** "a", "a and b", "a, b and 3 more" — quoted, bounded, printable. */
function listed(names: readonly string[]): string {
  const quoted = names.slice(0, 3).map((name) => `"${shown(name, 40)}"`);
  const more = names.length > 3 ? ` and ${names.length - 3} more` : '';
  return names.length === 2 ? `${quoted[0]} and ${quoted[1]}` : `${quoted.join(', ')}${more}`;
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
  const format = raw['format'];
  if (format !== undefined && format !== 'flake') return undefined;
  return {
    name: raw['name'] as string,
    pin: { label, url, sha256 },
    python: raw['python'] as string,
    packages,
    extraPackages,
    systemPackages,
    ...(shellHook === undefined || shellHook === '' ? {} : { shellHook }),
    ...(format === 'flake' ? { format } : {}),
  };
}
