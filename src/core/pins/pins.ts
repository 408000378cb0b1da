// nixpkgs pins: an exact revision and the sha256 of its tarball. A pin is only worth
// shipping when its (rev, sha256) pair was verified in independent public sources
// (see data/pins.json); a moving branch URL with a fixed hash breaks the day the branch moves.
import data from '../data/pins.json';
import { normalHash } from '../nix/hashes';
import { checkLabel, checkPinUrl, checkSha256 } from '../spec/validate';

export type PinOrigin = 'shipped' | 'custom' | 'historical';

export interface Pin {
  /** Unique, shown in the picker: "nixos-25.05 (2025-07-15)". */
  readonly label: string;
  readonly url: string;
  readonly sha256: string;
  /** 40-hex nixpkgs revision, when the URL names one. */
  readonly rev?: string;
  readonly date?: string;
  readonly branch?: string;
  /** The revision's commit time as Nix records it for its GitHub tarball (flake.lock's lastModified), when known. */
  readonly lastModified?: number;
  /** CPython versions ("3.12") the pin offers; empty when unknown (custom pins). */
  readonly pythons: readonly string[];
  /** nixpkgs' own python3 at this pin, when known. */
  readonly defaultPython?: string;
  /** The Python PPL Nix preselects: nixpkgs' default, or (when not known) the latest stable default it offers. */
  readonly preferredPython?: string;
  readonly origin: PinOrigin;
}

/** The pin written into a shell.nix and its spec: what is needed to fetch it. */
export interface PinRef {
  readonly label: string;
  readonly url: string;
  readonly sha256: string;
}

const GITHUB_ARCHIVE = /^https:\/\/github\.com\/NixOS\/nixpkgs\/archive\/([0-9a-f]{40})\.tar\.gz$/;

/** The revision a GitHub archive URL names, if any. */
export function revisionOf(url: string): string | undefined {
  return GITHUB_ARCHIVE.exec(url)?.[1];
}

/** A moving branch tarball (…/archive/nixpkgs-unstable.tar.gz): pinned by hash only, breaks when the branch moves. */
export function isBranchTarball(url: string): boolean {
  const match = /^https:\/\/github\.com\/NixOS\/nixpkgs\/archive\/([^/]+)\.tar\.gz$/.exec(url);
  return match !== null && match[1] !== undefined && !/^[0-9a-f]{40}$/.test(match[1]);
}

interface RawPin {
  readonly branch: string;
  readonly date: string;
  readonly rev: string;
  readonly url: string;
  readonly sha256: string;
  readonly lastModified?: number;
  readonly pythons: readonly string[];
  readonly defaultPython?: string;
}

function shippedPin(raw: RawPin, origin: PinOrigin, earlier: readonly RawPin[]): Pin {
  // Without an established default (a pin just after nixpkgs moved on), preselect the default of
  // the latest earlier pin that this one still offers: a Python most packages were built for.
  const fallback = [...earlier]
    .filter((pin) => pin.date < raw.date && pin.defaultPython !== undefined && raw.pythons.includes(pin.defaultPython))
    .sort((a, b) => b.date.localeCompare(a.date))[0]?.defaultPython;
  const preferredPython = raw.defaultPython ?? fallback ?? raw.pythons.at(-1);
  return {
    label: `${raw.branch} (${raw.date})`,
    url: raw.url,
    sha256: raw.sha256,
    rev: raw.rev,
    date: raw.date,
    branch: raw.branch,
    ...(raw.lastModified === undefined ? {} : { lastModified: raw.lastModified }),
    pythons: raw.pythons,
    ...(raw.defaultPython === undefined ? {} : { defaultPython: raw.defaultPython }),
    ...(preferredPython === undefined ? {} : { preferredPython }),
    origin,
  };
}

const RAW_PINS = data.pins as readonly RawPin[];

/** Pins offered to users, newest first. */
export const SHIPPED_PINS: readonly Pin[] = RAW_PINS.map((raw) => shippedPin(raw, 'shipped', RAW_PINS)).sort((a, b) =>
  (b.date ?? '').localeCompare(a.date ?? ''),
);

/** Known historical pins: recognised (e.g. a 2022 file's hash), offered for exact reproduction only. */
export const HISTORICAL_PINS: readonly Pin[] = (data.historical as readonly RawPin[]).map((raw) => shippedPin(raw, 'historical', []));

/** The default: the newest stable release (nixos-YY.MM), never unstable. */
export function defaultPin(pins: readonly Pin[] = SHIPPED_PINS): Pin {
  const stable = pins.filter((pin) => pin.origin === 'shipped' && /^nixos-\d\d\.\d\d$/.test(pin.branch ?? ''));
  const newest = [...stable].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''))[0];
  if (newest === undefined) throw new Error('no stable pin is shipped');
  return newest;
}

/** The pin a sha256 belongs to, in any form Nix accepts (base-32, SRI, sha256:…, hex). */
export function pinForHash(sha256: string): Pin | undefined {
  const wanted = normalHash(sha256);
  return wanted === undefined ? undefined : [...SHIPPED_PINS, ...HISTORICAL_PINS].find((pin) => pin.sha256 === wanted);
}

/** The pin of a nixpkgs revision (full 40 hex, or an unambiguous prefix of 7+). */
export function pinForRevision(rev: string): Pin | undefined {
  if (!/^[0-9a-f]{7,40}$/.test(rev)) return undefined;
  const matches = [...SHIPPED_PINS, ...HISTORICAL_PINS].filter((pin) => pin.rev?.startsWith(rev) === true);
  return matches.length === 1 ? matches[0] : undefined;
}

export interface CustomPinProblem {
  readonly index: number;
  readonly message: string;
}

/**
 * Reads the `pplNix.customPins` setting (untyped JSON from the user) into pins.
 * Malformed entries are reported, never silently dropped.
 */
export function parseCustomPins(raw: unknown): { pins: Pin[]; problems: CustomPinProblem[] } {
  const pins: Pin[] = [];
  const problems: CustomPinProblem[] = [];
  if (raw === undefined || raw === null) return { pins, problems };
  if (!Array.isArray(raw))
    return { pins, problems: [{ index: -1, message: 'pplNix.customPins must be a list of { label, url, sha256 }' }] };
  raw.forEach((entry: unknown, index) => {
    const problem = (message: string): void => {
      problems.push({ index, message: `pplNix.customPins[${index}]: ${message}` });
    };
    if (typeof entry !== 'object' || entry === null) return problem('must be an object { label, url, sha256 }');
    const { label: rawLabel, url, sha256, pythons } = entry as Record<string, unknown>;
    if (typeof rawLabel !== 'string') return problem('label must be a string');
    const label = rawLabel.trim();
    const labelProblem = customLabelProblem(label, pins);
    if (labelProblem !== undefined) return problem(`label ${labelProblem}`);
    if (typeof url !== 'string') return problem('url must be a string');
    const urlProblem = checkPinUrl(url);
    if (urlProblem !== undefined) return problem(`url ${urlProblem}`);
    if (typeof sha256 !== 'string') return problem('sha256 must be a string');
    const hashProblem = checkSha256(sha256);
    if (hashProblem !== undefined) return problem(`sha256 ${hashProblem}`);
    if (pythons !== undefined && !(Array.isArray(pythons) && pythons.every((v) => typeof v === 'string' && /^3\.\d{1,2}$/.test(v)))) {
      return problem('pythons, when given, must be a list like ["3.11", "3.12"]');
    }
    const rev = revisionOf(url);
    pins.push({
      label,
      url,
      sha256,
      ...(rev === undefined ? {} : { rev }),
      pythons: (pythons as string[] | undefined) ?? [],
      origin: 'custom',
    });
  });
  return { pins, problems };
}

/** Labels compared as a user reads them: case, and spaces around or doubled, do not count. */
const normalLabel = (label: string): string => label.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Why a custom pin cannot have this label: not one printable line, or taken. The labels of
 * shipped and historical pins are reserved, so a custom pin (a workspace setting, an
 * environment variable) can never stand in for a verified pin under its name.
 */
export function customLabelProblem(label: string, others: readonly Pin[] = []): string | undefined {
  const problem = checkLabel(label);
  if (problem !== undefined) return problem;
  const wanted = normalLabel(label);
  if ([...SHIPPED_PINS, ...HISTORICAL_PINS].some((pin) => normalLabel(pin.label) === wanted))
    return `"${label}" is the label of a shipped pin`;
  if (others.some((pin) => normalLabel(pin.label) === wanted)) return `"${label}" is used twice`;
  return undefined;
}

/** Every pin offered: custom ones first (the user added them on purpose), then shipped. */
export function allPins(custom: readonly Pin[]): Pin[] {
  return [...custom, ...SHIPPED_PINS];
}

export function findPin(pins: readonly Pin[], label: string): Pin | undefined {
  return pins.find((pin) => pin.label === label);
}

/** Python versions every supported pin era may offer, used when a pin does not say. */
const KNOWN_PYTHONS: readonly string[] = ['3.9', '3.10', '3.11', '3.12', '3.13', '3.14'];

export function pythonsOf(pin: Pin): readonly string[] {
  return pin.pythons.length > 0 ? pin.pythons : KNOWN_PYTHONS;
}

export function toPinRef(pin: Pin): PinRef {
  return { label: pin.label, url: pin.url, sha256: pin.sha256 };
}
