// Where in a Nix file a failed evaluation points, so the error can be a Problem at that line.
//
// Nix names a position for syntax errors, undefined variables and missing attributes. Errors
// raised by nixpkgs itself carry none ("'pymc3' has been renamed to/replaced by 'pymc'", a
// package marked broken, "… not supported for interpreter python3.13", a wrong sha256): for
// those the package or pin is found in the file by the reader.
import type { PplNixErrorData } from '../errors';
import type { NixFile } from './reader';

export interface ErrorPlace {
  /** Offsets into the file's text. */
  readonly start: number;
  readonly end: number;
  /** 1-based, as Nix writes positions. */
  readonly line: number;
  readonly column: number;
}

/** The kinds that are about a file's contents (a timeout, Nix missing or Restricted Mode are not). */
const ABOUT_THE_FILE = new Set<PplNixErrorData['kind']>([
  'undefinedVariable',
  'attributeMissing',
  'syntaxError',
  'hashMismatch',
  'downloadFailed',
  'brokenPackage',
  'nixFailed',
]);

export const isFileError = (data: PplNixErrorData): boolean => ABOUT_THE_FILE.has(data.kind);

/**
 * A position in the Nix store (nixpkgs' own code, e.g. `attribute 'version' missing` inside a
 * package): read-only, and not where the user fixes it; the error is placed in their file.
 */
export const inStore = (file: string): boolean => file.startsWith('/nix/store/');

/** The file the error is about: the one Nix names, unless that is in the store; else the environment's. */
export function errorFile(data: PplNixErrorData, environmentFile: string): string {
  const location = 'location' in data ? data.location : undefined;
  return location !== undefined && !inStore(location.file) ? location.file : environmentFile;
}

/** The offset of a 1-based line and column (clamped to the text). */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  const lineEnd = text.indexOf('\n', offset);
  return Math.min(offset + Math.max(0, column - 1), lineEnd < 0 ? text.length : lineEnd);
}

function placeAt(text: string, start: number, end: number): ErrorPlace {
  const before = text.slice(0, start);
  const line = before.split('\n').length;
  const column = start - (before.lastIndexOf('\n') + 1) + 1;
  return { start, end: Math.max(end, start), line, column };
}

const IDENTIFIER = /[A-Za-z0-9_'-]/;

/** The token at an offset: an identifier or path word, else one character (never empty unless the text is). */
function tokenAt(text: string, offset: number): ErrorPlace {
  let start = Math.min(offset, text.length);
  if (start === text.length && start > 0) start--;
  let end = start;
  while (end < text.length && IDENTIFIER.test(text[end]!)) end++;
  return placeAt(text, start, Math.max(end, Math.min(start + 1, text.length)));
}

/** The names a nixpkgs-raised error is about, most specific first. */
function namesIn(data: PplNixErrorData): string[] {
  const fromDerivationName = (name: string): string => name.replace(/^(?:python|pypy)\d+\.\d+-/, '').replace(/-\d[^-]*$/, '');
  switch (data.kind) {
    case 'brokenPackage':
      return [fromDerivationName(data.packageName)];
    case 'undefinedVariable':
      return [data.name];
    case 'attributeMissing':
      return [data.attribute];
    case 'nixFailed': {
      const detail = data.detail;
      const renamed = /'([^']+)' has been renamed to\/replaced by '[^']+'/.exec(detail);
      if (renamed?.[1]) return [renamed[1]];
      const unsupported = /(\S+) not supported for interpreter \S/.exec(detail);
      if (unsupported?.[1]) return [fromDerivationName(unsupported[1])];
      const quoted = [...detail.matchAll(/['‘]([A-Za-z_][\w'-]*)['’]/g)].map((m) => m[1]!);
      const leading = /^([A-Za-z_][\w-]*) (?:was|has been|is) /.exec(detail);
      return [...quoted, ...(leading?.[1] ? [leading[1]] : [])];
    }
    default:
      return [];
  }
}

/** The references to a package or attribute of that name: Python packages, then system packages, then a python attribute. */
function referencesTo(file: NixFile, name: string): ErrorPlace[] {
  const spans = [
    ...file.packages.filter((p) => p.name === name),
    ...file.systemPackages.filter((p) => p.name === name),
    ...file.pythons.filter((p) => p.attr === name),
  ];
  return spans.map((span) => {
    // A reference's span may include its prefix ("ps.pymc"): point at the name itself.
    const at = file.text.lastIndexOf(name, span.end);
    return at >= span.start ? placeAt(file.text, at, at + name.length) : placeAt(file.text, span.start, span.end);
  });
}

/** A name Nix points at: from `offset`, the first occurrence of the name as a whole word on that expression. */
function nameFrom(text: string, offset: number, name: string): ErrorPlace | undefined {
  const limit = Math.min(text.length, offset + 400);
  for (let at = text.indexOf(name, offset); at >= 0 && at < limit; at = text.indexOf(name, at + 1)) {
    const before = text[at - 1];
    const after = text[at + name.length];
    if ((before === undefined || !IDENTIFIER.test(before)) && (after === undefined || !IDENTIFIER.test(after))) {
      return placeAt(text, at, at + name.length);
    }
  }
  return undefined;
}

/**
 * Where the error points in `file` (read from `path`): the position Nix names when it names one
 * in this file (a position in the store counts as none); else the references to the package the error is about; else the pin (a hash or
 * a download); else the first line. Empty when the error is not about a file's contents, or Nix
 * names a position in another file.
 */
export function placesOf(data: PplNixErrorData, path: string, file: NixFile): ErrorPlace[] {
  if (!isFileError(data)) return [];
  const text = file.text;
  const location = 'location' in data ? data.location : undefined;
  if (location !== undefined && !inStore(location.file)) {
    if (location.file !== path) return [];
    const offset = offsetOf(text, location.line, location.column);
    const name = data.kind === 'undefinedVariable' ? data.name : data.kind === 'attributeMissing' ? data.attribute : undefined;
    const named = name === undefined ? undefined : nameFrom(text, offset, name);
    return [named ?? tokenAt(text, offset)];
  }
  for (const name of namesIn(data)) {
    const found = referencesTo(file, name);
    if (found.length > 0) return found;
  }
  const pin = pinPlace(data, file);
  if (pin !== undefined) return [pin];
  const firstLine = text.indexOf('\n');
  return [placeAt(text, 0, firstLine < 0 ? text.length : firstLine)];
}

function pinPlace(data: PplNixErrorData, file: NixFile): ErrorPlace | undefined {
  if (data.kind === 'hashMismatch') {
    const pin =
      file.pins.find((p) => data.url !== undefined && p.url?.value === data.url) ??
      file.pins.find((p) => p.sha256?.value.replace(/^sha256[:-]/, '') === data.specified) ??
      file.nixpkgs;
    const literal = pin?.sha256?.literal;
    return literal === undefined ? undefined : placeAt(file.text, literal.start, literal.end);
  }
  if (data.kind === 'downloadFailed') {
    const literal = file.pins.find((p) => p.url?.value === data.url)?.url?.literal;
    return literal === undefined ? undefined : placeAt(file.text, literal.start, literal.end);
  }
  return undefined;
}

/** The error with a location where Nix named none, or one in the store (the first place found), for "Open File at Error". */
export function withLocation(data: PplNixErrorData, path: string, places: readonly ErrorPlace[]): PplNixErrorData {
  const first = places[0];
  const named = 'location' in data ? data.location : undefined;
  if (first === undefined || !isFileError(data) || (named !== undefined && !inStore(named.file))) return data;
  return { ...data, location: { file: path, line: first.line, column: first.column } } as PplNixErrorData;
}
