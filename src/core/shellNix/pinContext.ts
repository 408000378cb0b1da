// What PPL Nix knows about the nixpkgs a file uses: the known pin (by the revision in its URL, or
// the revision its hash names, whatever the hash's form), the date that says which renames and
// removals already happened, and a label to show. A moving branch pinned by a hash of a known
// revision is read as that revision: it is what the file meant.
import { researchedPin, type PinFacts } from '../catalog/facts';
import { pinForHash, pinForRevision, SHIPPED_PINS, type Pin } from '../pins/pins';
import type { NixFile, PinReference } from './reader';

export interface PinContext {
  /** The nixpkgs pin of the file, as read. */
  readonly reference?: PinReference;
  /** The shipped or historical pin it is (or whose hash it carries). */
  readonly known?: Pin;
  readonly rev?: string;
  /**
   * The date of the nixpkgs the file gets: a known pin's, a release tag's, a frozen release
   * branch's end of life; undefined when it is today's (a moving branch, <nixpkgs>) or unknown.
   */
  readonly date?: string;
  /** exact: `date` says it; today: whatever nixpkgs is now; unknown: a revision PPL Nix does not know. */
  readonly when: 'exact' | 'today' | 'unknown';
  readonly facts?: PinFacts;
  /** "nixpkgs nixos-25.05 (2025-07-15)", "nixpkgs 30d3d79b7d36", "<nixpkgs>". */
  readonly label: string;
}

/** The newest date PPL Nix knows of: a stand-in for "today" in pure code. */
const NEWEST =
  SHIPPED_PINS.map((pin) => pin.date ?? '')
    .sort()
    .at(-1) ?? '';

/** A release branch stops moving at its end of life, about 7 months after the release (nixos-20.03 → 2020-10-31). */
export function frozenSince(branch: string): string | undefined {
  const match = /^(?:nixos|nixpkgs|release)-(\d\d)\.(\d\d)(?:-small|-darwin|-aarch64)?$/.exec(branch);
  if (match === null) return undefined;
  const month = Number(match[2]) + 7;
  const year = 2000 + Number(match[1]) + Math.floor((month - 1) / 12);
  const eol = `${year}-${String(((month - 1) % 12) + 1).padStart(2, '0')}-28`;
  return eol < NEWEST ? eol : undefined;
}

function whenOf(reference: PinReference, known: Pin | undefined): Pick<PinContext, 'date' | 'when'> {
  if (known?.date !== undefined) return { date: known.date, when: 'exact' };
  const pinned = reference.pinned;
  if (pinned?.kind === 'release-tag') {
    const [year, month] = pinned.tag.split('.');
    return { date: `20${year}-${month}-28`, when: 'exact' };
  }
  if (pinned?.kind === 'branch' || pinned?.kind === 'channel') {
    const frozen = frozenSince(pinned.branch);
    return frozen === undefined ? { when: 'today' } : { date: frozen, when: 'exact' };
  }
  if (reference.kind === 'unpinned') return { when: 'today' };
  return { when: 'unknown' };
}

export function pinContext(file: NixFile): PinContext {
  const reference = file.nixpkgs;
  if (reference === undefined) return { label: 'the file’s nixpkgs', when: 'unknown' };
  const exact = reference.pinned?.kind === 'exact-revision' ? reference.pinned.rev : reference.rev?.value;
  const byRev = exact === undefined ? undefined : pinForRevision(exact);
  const byHash = reference.sha256 === undefined ? undefined : pinForHash(reference.sha256.value);
  const known = byRev ?? byHash;
  const rev = known?.rev ?? (exact !== undefined && /^[0-9a-f]{40}$/.test(exact) ? exact : undefined);
  const facts = researchedPin(rev);
  const label =
    known !== undefined
      ? `nixpkgs ${known.label}`
      : rev !== undefined
        ? `nixpkgs ${rev.slice(0, 12)}`
        : reference.kind === 'unpinned'
          ? (reference.url?.value ?? '<nixpkgs>')
          : `nixpkgs ${reference.url?.value ?? ''}`.trim();
  return {
    reference,
    ...(known === undefined ? {} : { known }),
    ...(rev === undefined ? {} : { rev }),
    ...whenOf(reference, known),
    ...(facts === undefined ? {} : { facts }),
    label,
  };
}
