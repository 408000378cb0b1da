// What PPL Nix knows, without evaluating anything, about a package at a shipped pin, for a given
// Python: usable, broken, restricted to some Pythons, an alias, removed, not yet added, or
// unknown. Researched from NixOS/nixpkgs (data/packageFacts.json: every claim names a NixOS/nixpkgs
// pull request, issue or commit with its date; "unknown" says what was tried; evidence.ts reads
// it); the states alone ship in data/packageStates.json (compactFacts.ts). The picker and the
// language server warn with them before a user writes a file that cannot evaluate; a live Nix
// check (pins/probe.ts) overrides them when the workspace is trusted and the user asks.
import states from '../data/packageStates.json';
import type { PackageProbe } from '../pins/probe';
import type { CatalogEntry } from './catalog';
import type { CompactPackage, CompactPin, PackageState } from './compactFacts';

export type { PackageState };
export const PACKAGE_STATES: readonly PackageState[] = ['usable', 'broken', 'python-restricted', 'alias', 'removed', 'absent', 'unknown'];

export type PackageFact = CompactPackage;
export type PinFacts = CompactPin;

const PINS = states as unknown as Record<string, CompactPin>;

/** The states researched at a revision, or undefined. The one reader of packageStates.json. */
export function researchedPin(rev: string | undefined): PinFacts | undefined {
  return rev === undefined ? undefined : PINS[rev];
}

/** nixpkgs' own python3 at a revision, when the research established it. */
export function defaultPythonAt(rev: string | undefined): string | undefined {
  return researchedPin(rev)?.defaultPython;
}

/** A package's state at a pin for one Python: python-restricted resolves to usable with a Python it works with. */
export interface PackageAtPin {
  readonly state: PackageState;
  readonly fact: PackageFact;
}

export function packageAt(rev: string | undefined, attr: string, python: string): PackageAtPin | undefined {
  const fact = researchedPin(rev)?.packages[attr];
  if (fact === undefined || !PACKAGE_STATES.includes(fact.state)) return undefined;
  if (fact.state === 'python-restricted' && fact.usableWith?.includes(python) === true) return { state: 'usable', fact };
  return { state: fact.state, fact };
}

/** Whether a package at (pin, Python) will evaluate: usable, or an alias (it evaluates to its target). */
export const evaluates = (state: PackageState | undefined): boolean =>
  state === undefined || state === 'usable' || state === 'alias' || state === 'unknown';

/** What the picker says about a package at (pin, Python); undefined when there is nothing to say. */
export interface PackageMark {
  /** 'blocked': the file will not evaluate with it; 'note': it will, but the user should know. */
  readonly level: 'blocked' | 'note';
  readonly text: string;
}

/** The mark from a live Nix check of the pin. */
function markFromProbe(evaluated: PackageProbe): PackageMark | undefined {
  switch (evaluated.status) {
    case 'available':
      return undefined;
    case 'broken':
      return {
        level: 'blocked',
        text: `Marked broken at this pin${evaluated.version ? ` (${evaluated.version})` : ''}: the file will not evaluate (checked with Nix).`,
      };
    case 'restricted':
      return {
        level: 'blocked',
        text: `Not offered for this Python at this pin (checked with Nix)${evaluated.message ? `: ${evaluated.message}` : '.'}`,
      };
    case 'missing':
      return { level: 'blocked', text: 'Not available at this pin (checked with Nix).' };
    case 'throws':
      return {
        level: 'blocked',
        text: `Not available at this pin (checked with Nix)${evaluated.message ? `: ${evaluated.message}` : '.'}`,
      };
  }
}

/** The mark from the researched facts. */
export function markFromFacts(at: PackageAtPin | undefined, python: string): PackageMark | undefined {
  if (at === undefined) return undefined;
  const { state, fact } = at;
  const version = fact.version === undefined ? '' : ` (${fact.version})`;
  switch (state) {
    case 'usable':
    case 'unknown':
      return fact.usable === false
        ? {
            level: 'blocked',
            text: 'Probably not usable at this pin (broken or removed; the research could not tell which: see ppl-nix catalog --json).',
          }
        : undefined;
    case 'broken':
      return { level: 'blocked', text: `Marked broken at this pin${version}: the file will not evaluate.` };
    case 'python-restricted':
      return {
        level: 'blocked',
        text: `Not offered for Python ${python} at this pin${version}: it works with Python ${(fact.usableWith ?? []).join(', ') || 'other versions'}.`,
      };
    case 'alias':
      return {
        level: 'note',
        text: `An alias of ${fact.aliasOf ?? 'another package'} at this pin: it gives you ${fact.aliasOf ?? 'that package'}.`,
      };
    case 'removed':
      return {
        level: 'blocked',
        text: `Removed from nixpkgs before this pin${fact.since ? ` (${fact.since})` : ''}${fact.replacement ? `: use ${fact.replacement}` : ''}.`,
      };
    case 'absent':
      return { level: 'blocked', text: 'Not yet packaged at this pin.' };
  }
}

/**
 * What the picker shows on a package at (pin, Python): from a live Nix check when there is one,
 * else from the research (shipped and historical pins only: custom pins get no guesses).
 */
export function packageMark(
  pin: { readonly rev?: string; readonly origin: string } | undefined,
  entry: CatalogEntry,
  python: string,
  evaluated?: PackageProbe,
): PackageMark | undefined {
  if (evaluated !== undefined) return markFromProbe(evaluated);
  if (pin?.origin !== 'shipped' && pin?.origin !== 'historical') return undefined;
  return markFromFacts(packageAt(pin.rev, entry.attr, python), python);
}

/** A short badge: the evaluated version, or nothing. */
export function versionBadge(evaluated?: PackageProbe): string | undefined {
  return evaluated?.status === 'available' && evaluated.version !== undefined ? evaluated.version : undefined;
}
