// Python attributes nixpkgs renamed or removed (pkgs/top-level/python-aliases.nix, with dates;
// researched in data/pythonRenames.json, shipped compact in data/renames.json): an alias still
// evaluates to its replacement, a throw fails with nixpkgs' message. A name is flagged at every
// pin dated after its change, researched or not: "unknown" availability never hides a known rename.
import table from '../data/renames.json';
import { findRenamed } from './catalog';

export interface Rename {
  readonly attr: string;
  /** alias: evaluates to `replacement`; throws: evaluating it fails (nixpkgs' message). */
  readonly kind: 'alias' | 'throws';
  readonly replacement?: string;
  /** When it became an alias or a throw (YYYY-MM-DD). */
  readonly since?: string;
  /** When an alias became a throw. */
  readonly throwsSince?: string;
  /** nixpkgs' throw message. */
  readonly message?: string;
}

const RENAMES = table as readonly Rename[];

/** What happened to a Python attribute by a date (a pin's date; undefined: today, a moving branch). */
export interface RenameAt {
  readonly rename: Rename;
  /** At this date: still an alias (evaluates) or already throwing. */
  readonly state: 'alias' | 'throws';
  /** PPL Nix's note for catalog names (pymc3 → pymc's API changed), else nixpkgs' own words. */
  readonly explanation: string;
}

export function renameAt(attr: string, date: string | undefined): RenameAt | undefined {
  const rename = RENAMES.find((r) => r.attr === attr);
  if (rename === undefined) {
    // Names the catalog knows that nixpkgs never aliased (pystan: not packaged in version 3).
    const curated = findRenamed(attr);
    return curated === undefined
      ? undefined
      : {
          rename: { attr, kind: 'throws', ...(curated.replacement ? { replacement: curated.replacement } : {}) },
          state: 'throws',
          explanation: curated.message,
        };
  }
  if (date !== undefined && rename.since !== undefined && date < rename.since) return undefined;
  const throws = rename.kind === 'throws' || (rename.throwsSince !== undefined && (date === undefined || date >= rename.throwsSince));
  const curated = findRenamed(attr)?.message;
  const nixpkgs = throws
    ? (rename.message ?? `'${attr}' has been renamed to/replaced by '${rename.replacement ?? '?'}'`)
    : `${attr} is an alias of ${rename.replacement ?? 'another package'} since ${rename.since ?? 'a while'}`;
  return { rename, state: throws ? 'throws' : 'alias', explanation: curated ?? nixpkgs };
}

/** The name to use instead, mapped through aliases (pymc3 → pymc, Theano → theano → pytensor via the catalog). */
export function replacementFor(attr: string): string | undefined {
  return RENAMES.find((r) => r.attr === attr)?.replacement ?? findRenamed(attr)?.replacement;
}
