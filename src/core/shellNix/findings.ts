// What the shell.nix assistant reports (findings with severities and codes) and the edits its
// quick fixes make. Shared by the checks (assist.ts, packageFindings.ts) and the editor helpers.
import type { Pin } from '../pins/pins';
import { pythonAttribute } from '../spec/validate';
import type { NixFile, PackageReference, PinReference } from './reader';

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface TextEdit extends Span {
  readonly newText: string;
}

export type Fix =
  | { readonly title: string; readonly edits: readonly TextEdit[]; readonly preferred?: boolean }
  | { readonly title: string; readonly command: string; readonly args: readonly unknown[] };

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export type FindingCode =
  | 'moving-pin'
  | 'unpinned'
  | 'release-tag'
  | 'unverified-pin'
  | 'invalid-hash'
  | 'unavailable-python'
  | 'renamed-package'
  | 'removed-package'
  | 'unavailable-package'
  | 'parse-error';

export interface Finding extends Span {
  readonly severity: Severity;
  readonly code: FindingCode;
  readonly message: string;
  readonly fixes: readonly Fix[];
}

export interface AssistOptions {
  /** The id of a command that migrates an old file (the extension's); offered as a fix for old pins. */
  readonly migrateCommand?: string;
  /** The document's URI, passed to commands. */
  readonly uri?: string;
}

export const GITHUB_ARCHIVE = (rev: string): string => `https://github.com/NixOS/nixpkgs/archive/${rev}.tar.gz`;

/** Deleting a list element: its whole line when it is alone there, else the token and one space. */
export function removal(text: string, span: Span): TextEdit {
  const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
  const lineEnd = text.indexOf('\n', span.end);
  const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd).replace(/\r$/, '');
  if (line.trim() === text.slice(span.start, span.end))
    return { start: lineStart, end: lineEnd === -1 ? text.length : lineEnd + 1, newText: '' };
  const after = /^[ \t]*/.exec(text.slice(span.end))?.[0].length ?? 0;
  return { start: span.start, end: span.end + after, newText: '' };
}

export function replaceWith(file: NixFile, pkg: PackageReference, name: string): Fix {
  if (file.packages.some((other) => other.list !== undefined && other.list === pkg.list && other.name === name)) {
    return { title: `Remove ${pkg.name} (${name} is already listed)`, edits: [removal(file.text, pkg)], preferred: true };
  }
  return {
    title: `Replace ${pkg.name} with ${name}`,
    edits: [{ start: pkg.start, end: pkg.end, newText: `${pkg.prefix}${name}` }],
    preferred: true,
  };
}

export const removeFix = (file: NixFile, pkg: PackageReference): Fix => ({ title: `Remove ${pkg.name}`, edits: [removal(file.text, pkg)] });

/** Edits that re-pin the file's nixpkgs to `pin`, when its URL and hash are literals in the file. */
export function repin(reference: PinReference | undefined, pin: Pin): TextEdit[] | undefined {
  if (reference?.url?.literal === undefined) return undefined;
  const edits: TextEdit[] = [{ ...reference.url.literal, newText: pin.url }];
  if (reference.sha256?.literal !== undefined) edits.push({ ...reference.sha256.literal, newText: pin.sha256 });
  else if (reference.sha256 !== undefined) return undefined;
  return edits;
}

/** Edits that switch every Python reference of the file to another version. */
export function switchPython(file: NixFile, version: string): TextEdit[] {
  const attr = pythonAttribute(version);
  if (attr === undefined) return [];
  return file.pythons
    .filter((python) => python.version !== undefined)
    .map((python) => ({
      start: python.start,
      end: python.end,
      newText: file.text.slice(python.start, python.end).replace(/^python3\d*/, attr),
    }));
}
