// Reads what the language features need out of a shell.nix, without evaluating it: the pin
// (fetchTarball url and sha256), the Python attribute (python312) and the package lists of
// `withPackages (ps: with ps; [ … ])` / `(ps: [ ps.a ps.b ])`. Offsets index the original
// text, so the server can turn them into ranges and edits.

import { NIX_KEYWORDS } from '../spec/validate';

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface StringValue extends Span {
  /** The text between the quotes (start/end exclude them). */
  readonly value: string;
}

export interface PinInFile {
  readonly url?: StringValue;
  readonly sha256?: StringValue;
}

export interface PythonRef extends Span {
  /** The attribute as written: python312, python3. */
  readonly attr: string;
  /** "3.12"; undefined for plain python3 (the pin's default). */
  readonly version?: string;
}

export interface PackageList extends Span {
  /** The lambda's parameter: ps. */
  readonly param: string;
  /** `with ps;` precedes the list, so bare names are packages. */
  readonly withParam: boolean;
  /** start: just after `[`, end: at `]`. */
}

export interface PackageRef extends Span {
  readonly name: string;
  /** How it is written: bare (with ps;) or ps.name. start/end cover the whole token (ps.name). */
  readonly form: 'bare' | 'member';
  readonly list: PackageList;
}

export interface NixDocument {
  readonly text: string;
  readonly pin: PinInFile;
  readonly pythons: readonly PythonRef[];
  readonly lists: readonly PackageList[];
  readonly packages: readonly PackageRef[];
}

const ID = "[A-Za-z_][\\w'-]*";

/**
 * The text with comments blanked out (same length, newlines kept), so regexes neither find
 * packages in comments nor lose their offsets. Strings are kept: the pin lives in them.
 */
export function maskComments(text: string): string {
  const out = text.split('');
  let i = 0;
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === "'" && text[i + 1] === "'") {
      i += 2;
      while (i < text.length && !(text.startsWith("''", i) && !/['$\\]/.test(text[i + 2] ?? ''))) i += text.startsWith("''", i) ? 3 : 1;
      i += 2;
    } else if (c === '#') {
      const end = text.indexOf('\n', i);
      blank(i, end === -1 ? text.length : end);
      i = end === -1 ? text.length : end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
    } else {
      i++;
    }
  }
  return out.join('');
}

function stringAfter(masked: string, key: string, from: number, to: number): StringValue | undefined {
  const re = new RegExp(`(?<![\\w'-])${key}\\s*=\\s*"([^"\\\\$]*)"`, 'g');
  re.lastIndex = from;
  const match = re.exec(masked);
  if (match === null || match.index >= to || match[1] === undefined) return undefined;
  const start = match.index + match[0].length - match[1].length - 1;
  return { value: match[1], start, end: start + match[1].length };
}

/** The first fetchTarball in the file: `fetchTarball { url = "…"; sha256 = "…"; }` or `fetchTarball "…"`. */
function findPin(masked: string): PinInFile {
  const call = /fetchTarball\s*(\{|")/.exec(masked);
  if (call === null) return {};
  if (call[1] === '"') {
    const start = call.index + call[0].length;
    const end = masked.indexOf('"', start);
    return end === -1 ? {} : { url: { value: masked.slice(start, end), start, end } };
  }
  const open = call.index + call[0].length;
  const close = masked.indexOf('}', open);
  const to = close === -1 ? masked.length : close;
  const url = stringAfter(masked, 'url', open, to);
  const sha256 = stringAfter(masked, 'sha256', open, to);
  return { ...(url ? { url } : {}), ...(sha256 ? { sha256 } : {}) };
}

/** The index of the `]` closing the `[` just before `from`, skipping nested lists and strings. */
function closingBracket(masked: string, from: number): number {
  let depth = 1;
  for (let i = from; i < masked.length; i++) {
    const c = masked[i];
    if (c === '"') {
      i++;
      while (i < masked.length && masked[i] !== '"') i += masked[i] === '\\' ? 2 : 1;
    } else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  return masked.length;
}

export function parseNixDocument(text: string): NixDocument {
  const masked = maskComments(text);
  const pythons: PythonRef[] = [];
  for (const match of masked.matchAll(/(?<![\w'-])python3(\d{1,2})?(?=\s*\.\s*(?:withPackages|pkgs)\b)/g)) {
    pythons.push({
      attr: match[0],
      ...(match[1] === undefined ? {} : { version: `3.${match[1]}` }),
      start: match.index,
      end: match.index + match[0].length,
    });
  }
  const lists: PackageList[] = [];
  const packages: PackageRef[] = [];
  const head = new RegExp(`withPackages\\s*\\(\\s*(${ID})\\s*:\\s*(with\\s+(${ID})\\s*;\\s*)?\\[`, 'g');
  for (const match of masked.matchAll(head)) {
    const param = match[1]!;
    const start = match.index + match[0].length;
    const list: PackageList = { param, withParam: match[3] === param, start, end: closingBracket(masked, start) };
    lists.push(list);
    const body = masked.slice(list.start, list.end);
    for (const token of body.matchAll(new RegExp(`(?<![\\w'.-])${ID}(?:\\.${ID})?`, 'g'))) {
      const [first, second] = token[0].split('.');
      const at = list.start + token.index;
      if (second !== undefined && first === param)
        packages.push({ name: second, form: 'member', list, start: at, end: at + token[0].length });
      else if (second === undefined && list.withParam && first !== undefined && !NIX_KEYWORDS.has(first))
        packages.push({ name: first, form: 'bare', list, start: at, end: at + token[0].length });
    }
  }
  return { text, pin: findPin(masked), pythons, lists, packages };
}

/** The package whose token contains offset (inclusive of its end, where the cursor sits after typing). */
export function packageAt(doc: NixDocument, offset: number): PackageRef | undefined {
  return doc.packages.find((pkg) => offset >= pkg.start && offset <= pkg.end);
}

export function pythonAt(doc: NixDocument, offset: number): PythonRef | undefined {
  return doc.pythons.find((python) => offset >= python.start && offset <= python.end);
}

/** Where a completion would insert a package name: inside a list, after `ps.` or at a bare word (with ps;). */
export function completionContext(
  doc: NixDocument,
  offset: number,
): { list: PackageList; prefix: Span; form: 'bare' | 'member' } | undefined {
  const list = doc.lists.find((l) => offset >= l.start && offset <= l.end);
  if (list === undefined) return undefined;
  const before = maskComments(doc.text.slice(list.start, offset));
  if (/#[^\n]*$/.test(doc.text.slice(list.start, offset)) && !/#[^\n]*$/.test(before)) return undefined;
  const member = new RegExp(`(?<![\\w'.-])${escapeRegExp(list.param)}\\.([\\w'-]*)$`).exec(before);
  if (member?.[1] !== undefined) return { list, form: 'member', prefix: { start: offset - member[1].length, end: offset } };
  if (!list.withParam) return undefined;
  const word = /(?<![\w'.-])([A-Za-z_][\w'-]*)?$/.exec(before);
  if (word === null) return undefined;
  const length = word[1]?.length ?? 0;
  return { list, form: 'bare', prefix: { start: offset - length, end: offset } };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
