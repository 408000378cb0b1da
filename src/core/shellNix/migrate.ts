// Old-style files (nixpkgs fetched from a moving branch or channel with a fixed hash: they stopped
// working the day the branch moved) and the two ways out: reproduce exactly (pin the revision the
// hash names, keep everything else byte for byte) or modernize (a PPL Nix file on a current pin,
// renamed packages mapped). Read by the one reader, never evaluated. Modernize never loses a
// package: each is carried over (mapped through the renames table) or named in a warning and in a
// comment in the new file; a file it cannot fully read (a parse error, a flake, an ambiguous
// `with a // b;`) is refused, naming what it could not read.
import { findEntry } from '../catalog/catalog';
import { packageAt } from '../catalog/facts';
import { renameAt, replacementFor } from '../catalog/renames';
import { defaultPin, pythonsOf, toPinRef, type Pin } from '../pins/pins';
import { readShellNix } from '../spec/readback';
import { renderShellNix } from '../spec/render';
import type { EnvSpec } from '../spec/spec';
import { checkAttributePath, checkPackageName, checkPinUrl, checkSha256, toEnvName } from '../spec/validate';
import { isMoving } from './nixpkgsUrls';
import { pinContext } from './pinContext';
import { pythonPackageNames, readNixFile, type NixFile } from './reader';

export interface OldStyle {
  readonly file: NixFile;
  /** Why the file is not reproducible as written. */
  readonly problem: string;
  /** The known pin its sha256 names (so the exact environment can come back), if any. */
  readonly pin?: Pin;
}

/** An old-style file: not PPL Nix's, its nixpkgs a moving branch or channel with a fixed hash. undefined for anything else. */
export function detectOldStyle(text: string, file: NixFile = readNixFile(text)): OldStyle | undefined {
  if (readShellNix(text).kind !== 'foreign') return undefined;
  const reference = file.nixpkgs;
  if (reference?.pinned === undefined || !isMoving(reference.pinned) || reference.sha256 === undefined) return undefined;
  const { known } = pinContext(file);
  const where = reference.url?.value ?? reference.fetcher;
  return {
    file,
    problem: `It fetches the moving ${reference.pinned.kind} ${where} with a fixed sha256: it stopped working when the branch moved on (hash mismatch).`,
    ...(known === undefined ? {} : { pin: known }),
  };
}

export type Reproduction =
  { readonly ok: true; readonly text: string; readonly pin: Pin } | { readonly ok: false; readonly reason: string };

/** "Reproduce exactly": the same file with only the url changed to the revision its hash names. */
export function reproduceExactly(text: string): Reproduction {
  const old = detectOldStyle(text);
  if (old === undefined)
    return { ok: false, reason: 'This is not an old-style file (nixpkgs from a moving branch or channel with a fixed sha256).' };
  if (old.pin?.rev === undefined) {
    return {
      ok: false,
      reason: `The sha256 ${old.file.nixpkgs?.sha256?.value ?? ''} belongs to no nixpkgs revision PPL Nix knows, so the exact revision cannot be recovered. Modernize instead.`,
    };
  }
  const literal = old.file.nixpkgs?.url?.literal;
  if (literal === undefined)
    return {
      ok: false,
      reason:
        'The url is not written as one string in the file (it is built from parts), so PPL Nix cannot replace it in place. Modernize instead.',
    };
  if (checkPinUrl(old.pin.url) !== undefined || checkSha256(old.pin.sha256) !== undefined)
    return { ok: false, reason: 'The known pin is malformed.' };
  return { ok: true, text: `${text.slice(0, literal.start)}${old.pin.url}${text.slice(literal.end)}`, pin: old.pin };
}

export interface Modernized {
  readonly spec: EnvSpec;
  readonly text: string;
  /** What changed that the user must know (API changes, a different Python, names not carried over). */
  readonly warnings: readonly string[];
  /** Every package of the old file, and where it went. */
  readonly carried: readonly { readonly from: string; readonly to?: string; readonly why?: string }[];
}

const API_WARNINGS: Readonly<Record<string, string>> = {
  pymc3:
    'PyMC3 → PyMC 5: import pymc as pm (not pymc3); pm.sample returns ArviZ InferenceData by default; theano.tensor is now pytensor.tensor; some distributions and arguments were renamed (see https://www.pymc.io/projects/docs/en/stable/learn/core_notebooks/pymc_pytensor.html).',
  theano: 'Theano → PyTensor: import pytensor and pytensor.tensor as pt instead of theano and theano.tensor as tt.',
};

/** Why the reader cannot vouch for every package of the file, or undefined. */
function unreadable(file: NixFile): string | undefined {
  if (file.isFlake)
    return 'This is a flake (flake.nix): PPL Nix does not rewrite flakes. Run it on a shell.nix, or write a new one with "Create PPL Nix shell".';
  if (file.errors.length > 0) {
    const first = file.errors[0]!;
    const line = file.text.slice(0, first.start).split('\n').length;
    return `The file does not parse (line ${line}: ${first.message}), so its packages cannot all be read. Fix it first.`;
  }
  if (file.unread.length > 0) return `PPL Nix cannot read every package of this file: ${file.unread.join('; ')}. Nothing was written.`;
  return undefined;
}

/** "Modernize": a PPL Nix spec on a current pin with an offered Python and renamed packages mapped. */
export function modernize(text: string, options: { name?: string; pin?: Pin; fileName?: string } = {}): Modernized | { reason: string } {
  const file = readNixFile(text);
  const refusal = unreadable(file);
  if (refusal !== undefined) return { reason: refusal };
  const names = pythonPackageNames(file).filter((name) => !file.packages.some((p) => p.name === name && p.local === true));
  if (names.length === 0 && file.python === undefined)
    return { reason: 'No Python environment found in the file (no pythonXY.withPackages, python3Packages.x or Python package list).' };
  const pin = options.pin ?? defaultPin();
  const offered = pythonsOf(pin);
  const warnings: string[] = [];
  const python =
    file.python !== undefined && pin.pythons.includes(file.python) ? file.python : (pin.preferredPython ?? offered.at(-1) ?? '3.12');
  if (file.python !== undefined && python !== file.python)
    warnings.push(`Python ${file.python} is not offered by ${pin.label}: using Python ${python}.`);
  const packages: string[] = [];
  const extraPackages: string[] = [];
  const systemPackages: string[] = [];
  const carried: { from: string; to?: string; why?: string }[] = [];
  const left = (from: string, why: string): void => void carried.push({ from, why });
  for (const name of names) {
    const target = renameAt(name, pin.date) === undefined ? name : (replacementFor(name) ?? undefined);
    if (target === undefined) {
      left(name, `removed from nixpkgs without a replacement (${renameAt(name, pin.date)?.explanation ?? 'no longer packaged'})`);
      continue;
    }
    if (target !== name)
      warnings.push(API_WARNINGS[name] ?? `${name} → ${target}: ${renameAt(name, pin.date)?.explanation ?? 'renamed in nixpkgs'}`);
    const state = packageAt(pin.rev, target, python)?.state;
    if (state === 'removed' || state === 'absent') {
      left(name, `${target} is ${state === 'removed' ? 'removed' : 'not packaged'} at ${pin.label}`);
      continue;
    }
    const entry = findEntry(target);
    if (entry !== undefined) packages.push(entry.id);
    else if (checkPackageName(target) === undefined) extraPackages.push(target);
    else {
      left(name, `"${target}" cannot be written as a package name`);
      continue;
    }
    carried.push({ from: name, to: target });
  }
  for (const name of file.overlayOnly) left(name, 'defined by the old file itself (an overlay or buildPythonPackage), not in nixpkgs');
  for (const { name } of file.systemPackages) {
    const entry = findEntry(name);
    if (entry?.kind === 'system') packages.push(entry.id);
    else if (checkAttributePath(name) === undefined) systemPackages.push(name);
    else left(name, `"${name}" cannot be written as a system package`);
    if (entry?.kind === 'system' || checkAttributePath(name) === undefined) carried.push({ from: name, to: name });
  }
  const notCarried = carried.filter((c) => c.to === undefined);
  for (const c of notCarried)
    warnings.push(`${c.from} was not carried over: ${c.why ?? ''}. It is listed in a comment at the top of the new file.`);
  const spec: EnvSpec = {
    name: options.name ?? toEnvName(options.fileName ?? 'ppl-env'),
    pin: toPinRef(pin),
    python,
    packages: [...new Set(packages)],
    extraPackages: [...new Set(extraPackages)],
    systemPackages: [...new Set(systemPackages)],
  };
  const comment =
    notCarried.length === 0
      ? ''
      : `${['# Migrated by PPL Nix. Not carried over from the old file (see its .bak copy):', ...notCarried.map((c) => `#   ${c.from}: ${c.why ?? ''}`.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' '))].join('\n')}\n`;
  return { spec, text: `${comment}${renderShellNix(spec)}`, warnings, carried };
}
