// The evidence behind each researched claim (data/packageFacts.json), for the places that show
// it: `ppl-nix catalog --json` and the language server's hovers. Kept apart from facts.ts so the
// extension's main bundle and the picker never carry the research text.
import data from '../data/packageFacts.json';
import type { PackageState } from './compactFacts';

export interface Evidence {
  readonly repo: string;
  readonly pr?: number;
  readonly issue?: number;
  readonly commit?: string;
  readonly date: string;
  readonly path?: string;
  readonly what: string;
}

export interface ResearchedClaim {
  readonly state: PackageState | 'usable' | 'removed' | 'absent' | 'unknown';
  readonly confidence?: string;
  readonly note?: string;
  readonly evidence: readonly Evidence[];
}

interface ResearchedPin {
  readonly branch: string;
  readonly date: string;
  readonly pythons: Readonly<Record<string, ResearchedClaim & { readonly prerelease?: boolean }>>;
  readonly packages: Readonly<Record<string, ResearchedClaim>>;
}

const PINS = (data as unknown as { pins: Record<string, ResearchedPin> }).pins;

/** Every researched revision with its claims. */
export function researchedPins(): readonly (readonly [string, ResearchedPin])[] {
  return Object.entries(PINS);
}

/** The claim about a package at a revision, with its evidence. */
export function claimAt(rev: string | undefined, attr: string): ResearchedClaim | undefined {
  return rev === undefined ? undefined : PINS[rev]?.packages[attr];
}

/** "NixOS/nixpkgs#12345 (2024-05-20)" or "NixOS/nixpkgs@ac9a8cc4 (2024-04-27)". */
export function citation(item: Evidence): string {
  const where =
    item.pr !== undefined
      ? `#${item.pr}`
      : item.issue !== undefined
        ? `#${item.issue}`
        : item.commit !== undefined
          ? `@${item.commit.slice(0, 8)}`
          : '';
  return `${item.repo}${where} (${item.date})`;
}
