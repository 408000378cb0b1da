// Old-style shell.nix files (a moving branch tarball with a fixed hash, pythonXY.withPackages)
// and the two ways out: reproduce exactly (pin the revision the hash names, keep everything
// else byte for byte) or modernize (a PPL Nix spec on a current pin, renamed packages mapped,
// with warnings where the API changed). Read by regular expressions, never evaluated:
// a file is data here, and its names are validated before they reach a spec.
import { findEntry, findRenamed } from '../catalog/catalog';
import { maskComments, parseNixDocument } from './document';
import { readShellNix } from '../spec/readback';
import { defaultPin, isBranchTarball, pinForHash, pythonsOf, toPinRef, type Pin } from '../pins/pins';
import { renderShellNix } from '../spec/render';
import type { EnvSpec } from '../spec/spec';
import { checkAttributeName, checkPinUrl, checkSha256, toEnvName } from '../spec/validate';

export interface ShellFacts {
  readonly url?: string;
  readonly sha256?: string;
  /** "3.9" from pkgs.python39; undefined when the file names none. */
  readonly python?: string;
  /** Attribute names inside withPackages, in file order (only valid names). */
  readonly pythonPackages: readonly string[];
  /** Top-level packages referenced as pkgs.NAME in the file, other than pythons and helpers. */
  readonly systemPackages: readonly string[];
}

/** Where the file's fetchTarball url string starts and ends, so only it is replaced. */
interface UrlSpan {
  readonly start: number;
  readonly end: number;
}

const NOT_SYSTEM = new Set([
  'mkShell',
  'mkShellNoCC',
  'lib',
  'stdenv',
  'fetchurl',
  'fetchFromGitHub',
  'callPackage',
  'writeShellScriptBin',
]);

/** What a shell.nix says, read without evaluating it (the same reader as the language server's). */
export function readShellFacts(text: string): ShellFacts & { urlSpan?: UrlSpan } {
  const doc = parseNixDocument(text);
  const { url, sha256 } = doc.pin;
  const python = doc.pythons.find((ref) => ref.version !== undefined)?.version;
  const pythonPackages = doc.packages.map((ref) => ref.name).filter((name) => checkAttributeName(name) === undefined);
  const code = maskComments(text);
  const systemPackages = [...code.matchAll(/\bpkgs\.([A-Za-z_][A-Za-z0-9_'-]*)\b(?!\s*\.withPackages|\.)/g)]
    .map((m) => m[1]!)
    .filter((name) => !/^python\d*/.test(name) && !NOT_SYSTEM.has(name));
  return {
    ...(url === undefined ? {} : { url: url.value, urlSpan: { start: url.start, end: url.end } }),
    ...(sha256 === undefined ? {} : { sha256: sha256.value }),
    ...(python === undefined ? {} : { python }),
    pythonPackages: [...new Set(pythonPackages)],
    systemPackages: [...new Set(systemPackages)].sort(),
  };
}

export interface OldStyle {
  readonly facts: ShellFacts;
  /** Why the file is not reproducible as written. */
  readonly problem: string;
  /** The known pin its sha256 names (so the exact environment can come back), if any. */
  readonly pin?: Pin;
}

/**
 * An old-style file: not written by PPL Nix, fetching a moving branch tarball with a fixed
 * hash (it breaks the day the branch moves). undefined for anything else.
 */
export function detectOldStyle(text: string): OldStyle | undefined {
  if (readShellNix(text).kind !== 'foreign') return undefined;
  const facts = readShellFacts(text);
  if (facts.url === undefined || facts.sha256 === undefined || !isBranchTarball(facts.url)) return undefined;
  const pin = pinForHash(facts.sha256);
  return {
    facts,
    problem: `It fetches the moving branch tarball ${facts.url} with a fixed sha256: it stopped working when the branch moved on (hash mismatch).`,
    ...(pin === undefined ? {} : { pin }),
  };
}

export type Reproduction =
  { readonly ok: true; readonly text: string; readonly pin: Pin } | { readonly ok: false; readonly reason: string };

/** "Reproduce exactly": the same file with only the url changed to the revision its hash names. */
export function reproduceExactly(text: string): Reproduction {
  const old = detectOldStyle(text);
  if (old === undefined) return { ok: false, reason: 'This is not an old-style file (a branch tarball with a fixed sha256).' };
  if (old.pin?.rev === undefined) {
    return {
      ok: false,
      reason: `The sha256 ${old.facts.sha256 ?? ''} belongs to no nixpkgs revision PPL Nix knows, so the exact revision cannot be recovered. Modernize instead.`,
    };
  }
  const span = readShellFacts(text).urlSpan!;
  if (checkPinUrl(old.pin.url) !== undefined || checkSha256(old.pin.sha256) !== undefined)
    return { ok: false, reason: 'The known pin is malformed.' };
  return { ok: true, text: `${text.slice(0, span.start)}${old.pin.url}${text.slice(span.end)}`, pin: old.pin };
}

export interface Modernized {
  readonly spec: EnvSpec;
  readonly text: string;
  /** What changed that the user must know (API changes, a different Python, dropped names). */
  readonly warnings: readonly string[];
}

const API_WARNINGS: Readonly<Record<string, string>> = {
  pymc3:
    'PyMC3 → PyMC 5: import pymc as pm (not pymc3); pm.sample returns ArviZ InferenceData by default; theano.tensor is now pytensor.tensor; some distributions and arguments were renamed (see https://www.pymc.io/projects/docs/en/stable/learn/core_notebooks/pymc_pytensor.html).',
  theano: 'Theano → PyTensor: import pytensor and pytensor.tensor as pt instead of theano and theano.tensor as tt.',
};

/** "Modernize": a PPL Nix spec on a current pin with an available Python and renamed packages mapped. */
export function modernize(text: string, options: { name?: string; pin?: Pin; fileName?: string } = {}): Modernized | { reason: string } {
  const facts = readShellFacts(text);
  if (facts.pythonPackages.length === 0 && facts.python === undefined) return { reason: 'No pythonXY.withPackages (…) found in the file.' };
  const pin = options.pin ?? defaultPin();
  const offered = pythonsOf(pin);
  const warnings: string[] = [];
  const newest = [...offered].sort((a, b) => Number(a.slice(2)) - Number(b.slice(2))).at(-1) ?? '3.12';
  const python = facts.python !== undefined && pin.pythons.includes(facts.python) ? facts.python : (pin.preferredPython ?? newest);
  if (facts.python !== undefined && python !== facts.python)
    warnings.push(`Python ${facts.python} is not offered by ${pin.label}: using Python ${python}.`);
  const packages: string[] = [];
  const extraPackages: string[] = [];
  for (const name of facts.pythonPackages) {
    const renamed = findRenamed(name);
    const target = renamed?.replacement ?? name;
    if (renamed !== undefined) warnings.push(API_WARNINGS[name] ?? `${name} → ${target}: ${renamed.message}`);
    const entry = findEntry(target);
    if (entry !== undefined) packages.push(entry.id);
    else extraPackages.push(target);
  }
  for (const name of facts.systemPackages) {
    const entry = findEntry(name);
    if (entry?.kind === 'system') packages.push(entry.id);
  }
  const spec: EnvSpec = {
    name: options.name ?? toEnvName(options.fileName ?? 'ppl-env'),
    pin: toPinRef(pin),
    python,
    packages: [...new Set(packages)],
    extraPackages: [...new Set(extraPackages)],
    systemPackages: facts.systemPackages.filter((name) => findEntry(name)?.kind !== 'system'),
  };
  return { spec, text: renderShellNix(spec), warnings };
}
