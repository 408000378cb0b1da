// What PPL Nix knows, without evaluating anything, about a catalog package at a shipped pin:
// researched in data/availability.json (status, confidence, evidence). The picker uses it to
// warn before the user writes a file that cannot build; a live evaluation (availability.ts)
// overrides it when the workspace is trusted and the user asks.
import data from '../data/availability.json';
import type { CatalogEntry } from './catalog';
import type { PackageProbe } from '../pins/probe';
import type { Pin } from '../pins/pins';

export type KnownStatus = 'present' | 'alias' | 'removed' | 'absent' | 'unknown';

export interface KnownAvailability {
  readonly status: KnownStatus;
  readonly confidence?: string;
  readonly note?: string;
}

/** What availability.json records for one revision. */
export interface PinFacts {
  readonly branch: string;
  readonly date: string;
  readonly pythons: Readonly<Record<string, KnownStatus>>;
  readonly defaultPython?: string;
  readonly packages: Readonly<
    Record<string, { readonly status: KnownStatus; readonly confidence?: string; readonly note?: string; readonly version?: string }>
  >;
}

const PINS = data.pins as unknown as Record<string, PinFacts>;
const STATUSES: readonly KnownStatus[] = ['present', 'alias', 'removed', 'absent', 'unknown'];

/** Everything researched about a revision, or undefined. The one reader of availability.json. */
export function researchedPin(rev: string | undefined): PinFacts | undefined {
  return rev === undefined ? undefined : PINS[rev];
}

/** The researched record for an attribute at a revision; undefined when the revision or attribute is not researched. */
export function knownAt(rev: string | undefined, attr: string): KnownAvailability | undefined {
  const raw = researchedPin(rev)?.packages[attr];
  if (raw === undefined || !STATUSES.includes(raw.status as KnownStatus)) return undefined;
  return {
    status: raw.status as KnownStatus,
    ...(raw.confidence === undefined ? {} : { confidence: raw.confidence }),
    ...(raw.note === undefined ? {} : { note: raw.note }),
  };
}

/**
 * The warning the picker shows on a package at a pin: from a live evaluation when there is
 * one, else from the researched data. undefined: nothing to warn about.
 */
export function packageWarning(pin: Pin | undefined, entry: CatalogEntry, evaluated?: PackageProbe): string | undefined {
  if (evaluated !== undefined) {
    switch (evaluated.status) {
      case 'available':
        return undefined;
      case 'broken':
        return `Marked broken at this pin${evaluated.version ? ` (${evaluated.version})` : ''}: it will not build.`;
      case 'missing':
        return 'Not available at this pin (checked with Nix).';
      case 'throws':
        return `Not available at this pin (checked with Nix)${evaluated.message ? `: ${evaluated.message}` : '.'}`;
    }
  }
  if (pin?.origin !== 'shipped' && pin?.origin !== 'historical') return undefined;
  const known = knownAt(pin.rev, entry.attr);
  if (known?.status === 'removed') return 'Not available at this pin: removed from nixpkgs before this revision.';
  if (known?.status === 'absent') return 'Not available at this pin: not yet packaged at this revision.';
  return undefined;
}

/** A short badge: the evaluated version, or nothing. */
export function versionBadge(evaluated?: PackageProbe): string | undefined {
  return evaluated?.status === 'available' && evaluated.version !== undefined ? evaluated.version : undefined;
}
