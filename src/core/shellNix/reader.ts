// The one reader of real Nix files: the language server, `check` and `migrate` all read a
// shell.nix / default.nix / flake.nix through this. It parses with the Nix parser (never
// evaluates), keeps positions for diagnostics and edits, and never throws: on a file it cannot
// parse it reports where, and reads what it can.
import { isInComment, parseNix, type ParseError, type ParseResult, type Span } from '../nix/parser';
import { readPackages, type PackageList, type PackageReference, type PythonReference, type SystemReference } from './packageReferences';
import { findPins, nixpkgsPin, type PinReference } from './pinReferences';
import { Tree } from './scope';

export type { PackageList, PackageReference, PythonReference, SystemReference } from './packageReferences';
export type { PinReference } from './pinReferences';

export interface NixFile {
  readonly text: string;
  readonly comments: readonly Span[];
  /** Where the file does not parse (Nix would refuse it); the rest is still read. */
  readonly errors: readonly ParseError[];
  /** Every fetch of a source (nixpkgs or other), `import <nixpkgs>`, flake input. */
  readonly pins: readonly PinReference[];
  /** The pin that gives the file its nixpkgs, if any. */
  readonly nixpkgs?: PinReference;
  readonly pythons: readonly PythonReference[];
  /** The Python version the file uses ("3.9"), when it names one. */
  readonly python?: string;
  readonly packages: readonly PackageReference[];
  readonly lists: readonly PackageList[];
  readonly systemPackages: readonly SystemReference[];
  /** Python packages the file defines itself (an overlay, buildPythonPackage): not in nixpkgs. */
  readonly overlayOnly: readonly string[];
  /** A flake (an attribute set with inputs and outputs). */
  readonly isFlake: boolean;
  /** What the reader saw but could not attribute: a migration must not guess. */
  readonly unread: readonly string[];
}

const EMPTY: Omit<NixFile, 'text' | 'comments' | 'errors' | 'isFlake'> = {
  pins: [],
  pythons: [],
  packages: [],
  lists: [],
  systemPackages: [],
  overlayOnly: [],
  unread: [],
};

/** The Python version a file uses: the interpreter of its withPackages, else of its package sets, else one it lists. */
function pythonOf(pythons: readonly PythonReference[], packages: readonly PackageReference[]): string | undefined {
  for (const role of ['withPackages', 'package-set', 'listed', 'other'] as const) {
    const found = pythons.find((p) => p.role === role && p.version !== undefined);
    if (found !== undefined) return found.version;
  }
  return packages.find((p) => p.python !== undefined)?.python;
}

export function readNixFile(text: string, parsed: ParseResult = parseNix(text)): NixFile {
  const base = { text, comments: parsed.comments, errors: parsed.errors };
  if (parsed.ast === undefined) return { ...base, ...EMPTY, isFlake: false };
  const tree = new Tree(parsed.ast, text);
  const pins = findPins(tree);
  const reading = readPackages(tree);
  const nixpkgs = nixpkgsPin(pins);
  const python = pythonOf(reading.pythons, reading.packages);
  const isFlake = pins.some((pin) => pin.kind === 'flake-input') || (/\boutputs\s*=/.test(text) && /\binputs\b/.test(text));
  return {
    ...base,
    pins,
    ...(nixpkgs === undefined ? {} : { nixpkgs }),
    pythons: reading.pythons,
    ...(python === undefined ? {} : { python }),
    packages: reading.packages,
    lists: reading.lists,
    systemPackages: reading.systemPackages,
    overlayOnly: reading.overlayOnly,
    unread: reading.unread,
    isFlake,
  };
}

/** The distinct Python package names a file refers to, in file order. */
export function pythonPackageNames(file: NixFile): string[] {
  return [...new Set(file.packages.map((p) => p.name))];
}

/** Whether an offset is inside a comment of the file. */
export const inComment = (file: NixFile, offset: number): boolean => isInComment(file.comments, offset);
