// Help while editing a shell.nix: completion of Python packages in a package list (never one
// already listed, nor one that will not evaluate at the pin), and hovers on packages and Pythons.
import { CATALOG, findEntry, type CatalogEntry } from '../catalog/catalog';
import { packageAt } from '../catalog/facts';
import { renameAt } from '../catalog/renames';
import { pinContext, type PinContext } from './pinContext';
import { inComment, type NixFile, type PackageReference } from './reader';
import type { Span } from './findings';

export interface Completion {
  readonly label: string;
  readonly detail: string;
  /** Markdown. */
  readonly documentation: string;
  readonly sortText: string;
  readonly deprecated: boolean;
  readonly replace: Span;
}

/** Where a completion would insert a package name: inside a package list, after `ps.` or at a bare word (with ps;). */
function completionContext(
  file: NixFile,
  offset: number,
): { list: NonNullable<PackageReference['list']>; prefix: Span; form: 'bare' | 'member' } | undefined {
  if (inComment(file, offset)) return undefined;
  const list = file.lists.find((l) => offset >= l.start && offset <= l.end);
  if (list === undefined) return undefined;
  const before = file.text.slice(list.start, offset);
  if (list.param !== undefined) {
    const member = new RegExp(`(?<![\\w'.-])${list.param.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.([\\w'-]*)$`).exec(before);
    if (member?.[1] !== undefined) return { list, form: 'member', prefix: { start: offset - member[1].length, end: offset } };
  }
  if (!list.withParam) return undefined;
  const word = /(?<![\w'.-])([A-Za-z_][\w'-]*)?$/.exec(before);
  if (word === null) return undefined;
  const length = word[1]?.length ?? 0;
  return { list, form: 'bare', prefix: { start: offset - length, end: offset } };
}

/** Markdown about a package: the catalog's description, its state and version at the file's pin and Python, renames. */
export function describePackage(name: string, file: NixFile, context: PinContext = pinContext(file)): string | undefined {
  const entry: CatalogEntry | undefined = findEntry(name);
  const python = file.python ?? context.known?.preferredPython;
  const at = python === undefined ? undefined : packageAt(context.rev, name, python);
  const renamed = renameAt(name, context.date);
  if (entry === undefined && at === undefined && renamed === undefined) return undefined;
  const lines = [`**${entry?.displayName ?? name}** \`${name}\``];
  if (entry) lines.push('', entry.description, '', `[${entry.homepage}](${entry.homepage})`);
  if (at !== undefined) {
    const version = at.fact.version === undefined ? '' : `, version ${at.fact.version}`;
    lines.push('', `At ${context.label}${python ? `, Python ${python}` : ''}: ${at.state}${version}.`);
  } else if (context.rev !== undefined) lines.push('', `At ${context.label}: not researched.`);
  if (renamed !== undefined)
    lines.push('', `- ${renamed.state === 'throws' ? 'Removed (nixpkgs throws)' : 'An alias'}: ${renamed.explanation}`);
  for (const note of entry?.notes ?? []) lines.push(`- ${note}`);
  return lines.join('\n');
}

export function completions(file: NixFile, offset: number): Completion[] {
  const context = completionContext(file, offset);
  if (context === undefined) return [];
  const pin = pinContext(file);
  const python = file.python ?? pin.known?.preferredPython;
  const listed = new Set(
    file.packages.filter((p) => p.list === context.list && !(offset >= p.start && offset <= p.end)).map((p) => p.name),
  );
  const items: Completion[] = [];
  for (const entry of CATALOG) {
    if (entry.kind !== 'python' || listed.has(entry.attr)) continue;
    const at = python === undefined ? undefined : packageAt(pin.rev, entry.attr, python);
    if (at !== undefined && !['usable', 'alias', 'unknown'].includes(at.state)) continue;
    const version = at?.fact.version === undefined ? '' : ` ${at.fact.version}`;
    items.push({
      label: entry.attr,
      detail: `${entry.displayName}${at !== undefined ? ` — ${at.state}${version} at ${pin.label}` : ''}`,
      documentation: describePackage(entry.attr, file, pin) ?? '',
      sortText: `0${String(CATALOG.indexOf(entry)).padStart(3, '0')}`,
      deprecated: renameAt(entry.attr, pin.date) !== undefined,
      replace: context.prefix,
    });
  }
  return items;
}

export function hover(file: NixFile, offset: number): { markdown: string; span: Span } | undefined {
  const context = pinContext(file);
  const pkg = file.packages.find((p) => offset >= p.start && offset <= p.end);
  if (pkg !== undefined) {
    const markdown = describePackage(pkg.name, file, context);
    return markdown === undefined ? undefined : { markdown, span: { start: pkg.start, end: pkg.end } };
  }
  const python = file.pythons.find((p) => offset >= p.start && offset <= p.end);
  if (python !== undefined) {
    const offered = context.known?.pythons ?? context.facts?.pythons;
    const status =
      python.version === undefined
        ? `the pin's default Python 3${context.known?.defaultPython ? ` (${context.known.defaultPython})` : ''}`
        : offered === undefined
          ? 'not researched'
          : offered.includes(python.version)
            ? 'available'
            : 'not available';
    return {
      markdown: `**Python ${python.version ?? '3'}** \`${python.attr}\`${context.rev !== undefined || context.known ? `\n\nAt ${context.label}: ${status}.` : ''}`,
      span: { start: python.start, end: python.end },
    };
  }
  return undefined;
}
