// shell.nix → spec, and re-rendering a file PPL Nix wrote while keeping the user's edits
// outside the managed blocks.
import { PplNixError } from '../errors';
import { renderSpecFile } from './flake';
import { SPEC_PREFIX } from './render';
import { parseSpec, validateSpec, type EnvSpec } from './spec';
import { toEnvName } from './validate';

export interface ManagedBlock {
  readonly name: string;
  /** Line index of the begin marker. */
  readonly start: number;
  /** Line index of the end marker. */
  readonly end: number;
}

export type ReadResult =
  /** Written by PPL Nix; handEdited names managed blocks that differ from what the spec renders. */
  | { readonly kind: 'managed'; readonly spec: EnvSpec; readonly handEdited: readonly string[] }
  /** Not written by PPL Nix: never replaced without asking. */
  | { readonly kind: 'foreign' }
  /** Written by PPL Nix but its markers or spec line were damaged by an edit. */
  | { readonly kind: 'damaged'; readonly reason: string };

const BEGIN = /^\s*# ppl-nix:begin ([A-Za-z]+)\b/;
const END = /^\s*# ppl-nix:end ([A-Za-z]+)\s*$/;

const splitLines = (text: string): string[] => text.replace(/\r\n/g, '\n').split('\n');

/** Managed blocks by name, or a reason why the markers do not pair up. */
function findBlocks(text: string): Map<string, ManagedBlock> | string {
  const blocks = new Map<string, ManagedBlock>();
  let open: { name: string; start: number } | undefined;
  const lines = splitLines(text);
  for (const [index, line] of lines.entries()) {
    const beginMatch = BEGIN.exec(line);
    const endMatch = END.exec(line);
    if (beginMatch?.[1] !== undefined) {
      if (open !== undefined) return `line ${index + 1}: "ppl-nix:begin ${beginMatch[1]}" inside block "${open.name}"`;
      if (blocks.has(beginMatch[1])) return `line ${index + 1}: block "${beginMatch[1]}" appears twice`;
      open = { name: beginMatch[1], start: index };
    } else if (endMatch?.[1] !== undefined) {
      if (open?.name !== endMatch[1]) return `line ${index + 1}: "ppl-nix:end ${endMatch[1]}" without its begin line`;
      blocks.set(open.name, { name: open.name, start: open.start, end: index });
      open = undefined;
    }
  }
  if (open !== undefined) return `block "${open.name}" (line ${open.start + 1}) has no end line`;
  return blocks;
}

function blockText(lines: readonly string[], block: ManagedBlock): string {
  return lines.slice(block.start, block.end + 1).join('\n');
}

export function readShellNix(withBom: string): ReadResult {
  const text = withBom.startsWith('\uFEFF') ? withBom.slice(1) : withBom;
  const specLine = splitLines(text).find((line) => line.startsWith(SPEC_PREFIX));
  const blocks = findBlocks(text);
  if (specLine === undefined) {
    return typeof blocks !== 'string' && blocks.size > 0
      ? { kind: 'damaged', reason: 'the "# ppl-nix-spec:" line is missing' }
      : { kind: 'foreign' };
  }
  if (typeof blocks === 'string') return { kind: 'damaged', reason: blocks };
  let json: unknown;
  try {
    json = JSON.parse(specLine.slice(SPEC_PREFIX.length));
  } catch {
    return { kind: 'damaged', reason: 'the "# ppl-nix-spec:" line is not valid JSON' };
  }
  const spec = parseSpec(json);
  if (spec === undefined) return { kind: 'damaged', reason: 'the "# ppl-nix-spec:" line does not describe an environment' };
  // The spec line is text in a file anyone may have edited: it is validated like the picker's input.
  const problems = validateSpec(spec, { pythons: [] });
  if (problems.length > 0)
    return {
      kind: 'damaged',
      reason: `the "# ppl-nix-spec:" line is not a valid environment: ${problems.map((p) => p.message).join('; ')}`,
    };
  const expected = renderSpecFile(spec);
  const expectedBlocks = findBlocks(expected) as Map<string, ManagedBlock>;
  const lines = splitLines(text);
  const expectedLines = splitLines(expected);
  const handEdited: string[] = [];
  for (const [name, expectedBlock] of expectedBlocks) {
    const block = blocks.get(name);
    if (block === undefined) return { kind: 'damaged', reason: `the managed block "${name}" is missing` };
    if (blockText(lines, block) !== blockText(expectedLines, expectedBlock)) handEdited.push(name);
  }
  return { kind: 'managed', spec, handEdited };
}

/**
 * Re-renders a file PPL Nix wrote: each managed block is replaced by its new rendering,
 * every other line stays as the user left it (line endings, LF or CRLF, and a byte order mark
 * are kept). A shell hook recorded in the file is kept when the new spec has none (the picker
 * has no field for it). Throws PplNixError(foreignFile) when the file is not PPL Nix's or its
 * markers are damaged. `read` is the file's ReadResult when the caller has it already.
 */
export function updateShellNix(existing: string, spec: EnvSpec, path = 'shell.nix', read: ReadResult = readShellNix(existing)): string {
  if (read.kind !== 'managed') {
    const why = read.kind === 'foreign' ? 'was not written by PPL Nix' : `has damaged PPL Nix markers (${read.reason})`;
    throw new PplNixError({ kind: 'foreignFile', path }, `${path} ${why}`);
  }
  const bom = existing.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = existing.slice(bom.length);
  const fresh = renderSpecFile(withRecordedHook(spec, read.spec));
  // Lines split at \n only (the same lines findBlocks numbers): a line keeps its \r, so every line
  // the user wrote keeps its own ending, and a carriage return inside the shell hook is not lost.
  const freshLines = fresh.split('\n');
  const freshBlocks = findBlocks(fresh) as Map<string, ManagedBlock>;
  const oldBlocks = findBlocks(body) as Map<string, ManagedBlock>;
  const lines = body.split('\n');
  // A CRLF file (its first line ends in CRLF) gets its managed lines in CRLF too.
  const crlf = /^[^\n]*\r\n/.test(body);
  // Replace from the bottom up so earlier line indices stay valid.
  const ordered = [...oldBlocks.values()].sort((a, b) => b.start - a.start);
  for (const block of ordered) {
    const replacement = freshBlocks.get(block.name);
    if (replacement === undefined) continue;
    const inserted = freshLines.slice(replacement.start, replacement.end + 1).map((line) => (crlf ? `${line}\r` : line));
    lines.splice(block.start, block.end - block.start + 1, ...inserted);
  }
  return `${bom}${lines.join('\n')}`;
}

/** The new spec, with the shell hook the file recorded when the new one says nothing about it. */
function withRecordedHook(spec: EnvSpec, recorded: EnvSpec): EnvSpec {
  return spec.shellHook === undefined && recorded.shellHook !== undefined ? { ...spec, shellHook: recorded.shellHook } : spec;
}

/** An environment's name: the one PPL Nix recorded in the file, else derived from its folder's name. */
export function environmentNameOf(text: string | undefined, folderName: string): string {
  const read = text === undefined ? undefined : readShellNix(text);
  return read?.kind === 'managed' ? read.spec.name : toEnvName(folderName);
}

/**
 * The spec of a PPL Nix file whose managed blocks are exactly what that spec renders: only then
 * may a command re-render the file from its spec (a pin update) without the user's eyes on the
 * result. A file whose blocks were edited by hand is reported instead.
 */
export function faithfulSpec(read: ReadResult, path: string): { readonly spec: EnvSpec } | { readonly reason: string } {
  if (read.kind === 'foreign') return { reason: `${path} was not written by PPL Nix` };
  if (read.kind === 'damaged') return { reason: `${path} has damaged PPL Nix markers (${read.reason})` };
  if (read.handEdited.length > 0) {
    return {
      reason: `the managed block(s) ${read.handEdited.join(', ')} of ${path} were edited by hand and no longer match its "# ppl-nix-spec:" line: open it with "Create PPL Nix shell" (a backup is kept) or undo the edits, then update the pin`,
    };
  }
  return { spec: read.spec };
}
