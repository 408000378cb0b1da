// What the shell.nix language server says about a file, read by the one reader (reader.ts):
// diagnostics with quick fixes, refactorings, completions and hovers. Pure: the server only
// converts offsets to LSP ranges. Facts: the catalog, the renames table (every pin dated after a
// rename flags it, researched or not), the research per pin and Python, and the pins.
import { CATALOG, findEntry, type CatalogEntry } from '../catalog/catalog';
import { packageAt, type PackageAtPin } from '../catalog/facts';
import { renameAt, replacementFor } from '../catalog/renames';
import { convertHash, hashForm } from '../nix/hashes';
import { defaultPin, SHIPPED_PINS, type Pin } from '../pins/pins';
import { pythonAttribute } from '../spec/validate';
import { isMoving } from './nixpkgsUrls';
import { frozenSince, pinContext, type PinContext } from './pinContext';
import { inComment, type NixFile, type PackageReference, type PinReference } from './reader';

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

const GITHUB_ARCHIVE = (rev: string): string => `https://github.com/NixOS/nixpkgs/archive/${rev}.tar.gz`;

/** Deleting a list element: its whole line when it is alone there, else the token and one space. */
function removal(text: string, span: Span): TextEdit {
  const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
  const lineEnd = text.indexOf('\n', span.end);
  const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd).replace(/\r$/, '');
  if (line.trim() === text.slice(span.start, span.end))
    return { start: lineStart, end: lineEnd === -1 ? text.length : lineEnd + 1, newText: '' };
  const after = /^[ \t]*/.exec(text.slice(span.end))?.[0].length ?? 0;
  return { start: span.start, end: span.end + after, newText: '' };
}

function replaceWith(file: NixFile, pkg: PackageReference, name: string): Fix {
  if (file.packages.some((other) => other.list !== undefined && other.list === pkg.list && other.name === name)) {
    return { title: `Remove ${pkg.name} (${name} is already listed)`, edits: [removal(file.text, pkg)], preferred: true };
  }
  return {
    title: `Replace ${pkg.name} with ${name}`,
    edits: [{ start: pkg.start, end: pkg.end, newText: `${pkg.prefix}${name}` }],
    preferred: true,
  };
}

const removeFix = (file: NixFile, pkg: PackageReference): Fix => ({ title: `Remove ${pkg.name}`, edits: [removal(file.text, pkg)] });

/** Edits that re-pin the file's nixpkgs to `pin`, when its URL and hash are literals in the file. */
function repin(reference: PinReference | undefined, pin: Pin): TextEdit[] | undefined {
  if (reference?.url?.literal === undefined) return undefined;
  const edits: TextEdit[] = [{ ...reference.url.literal, newText: pin.url }];
  if (reference.sha256?.literal !== undefined) edits.push({ ...reference.sha256.literal, newText: pin.sha256 });
  else if (reference.sha256 !== undefined) return undefined;
  return edits;
}

/** Edits that switch every Python reference of the file to another version. */
function switchPython(file: NixFile, version: string): TextEdit[] {
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

function pinFindings(file: NixFile, context: PinContext, options: AssistOptions): Finding[] {
  const findings: Finding[] = [];
  const fresh = defaultPin();
  const migrate: Fix[] =
    options.migrateCommand === undefined
      ? []
      : [
          {
            title: 'Migrate this file with PPL Nix…',
            command: options.migrateCommand,
            args: options.uri === undefined ? [] : [options.uri],
          },
        ];
  for (const pin of file.pins) {
    if (pin.sha256 !== undefined && pin.sha256.value !== '' && hashForm(pin.sha256.value) === undefined) {
      findings.push({
        ...(pin.sha256.literal ?? pin),
        severity: 'error',
        code: 'invalid-hash',
        message: `"${pin.sha256.value}" is not a sha256 Nix accepts (52 base-32 characters, sha256-…= SRI, sha256:…, or 64 hex digits)`,
        fixes: [],
      });
    }
    if (!pin.isNixpkgs || pin.kind === 'flake-input') continue; // a flake's inputs are pinned by its flake.lock
    // A second nixpkgs only used to bootstrap a fetch (or an unused default) is not what the file gets.
    if (pin !== context.reference && pin.kind === 'unpinned') continue;
    const at = pin.url?.literal ?? pin;
    const known = pin === context.reference ? context.known : undefined;
    const frozen = pin.pinned?.kind === 'branch' || pin.pinned?.kind === 'channel' ? frozenSince(pin.pinned.branch) : undefined;
    if (
      frozen !== undefined &&
      pin.pinned !== undefined &&
      (pin.pinned.kind === 'branch' || pin.pinned.kind === 'channel') &&
      known === undefined
    ) {
      // A release branch past its end of life no longer moves: the same download every time, but old;
      // a hash taken before its last change still fails.
      const edits = repin(pin, fresh);
      const hashed = pin.sha256 !== undefined;
      findings.push({
        ...at,
        severity: hashed ? 'warning' : 'information',
        code: hashed ? 'moving-pin' : 'release-tag',
        message: hashed
          ? `${pin.pinned.branch} stopped moving at its end of life (about ${frozen.slice(0, 7)}): the sha256 matches only if it was taken after the branch's last change. Pin an exact revision to be sure.`
          : `${pin.pinned.branch} stopped moving at its end of life (about ${frozen.slice(0, 7)}): the same nixpkgs every time, but old, and without a sha256 Nix cannot verify what it downloads.`,
        fixes: [...(edits === undefined ? [] : [{ title: `Re-pin to ${fresh.label} (a verified release)`, edits }]), ...migrate],
      });
    } else if (pin.pinned !== undefined && isMoving(pin.pinned)) {
      const branch = pin.pinned.kind === 'branch' || pin.pinned.kind === 'channel' ? pin.pinned.branch : 'branch';
      const fixes: Fix[] = [];
      if (known?.rev !== undefined && pin.url?.literal !== undefined) {
        fixes.push({
          title: `Pin the exact revision this hash belongs to (${known.rev.slice(0, 12)}, ${known.date ?? 'date unknown'})`,
          edits: [{ ...pin.url.literal, newText: GITHUB_ARCHIVE(known.rev) }],
          preferred: true,
        });
      }
      const edits = repin(pin, fresh);
      if (edits !== undefined) fixes.push({ title: `Re-pin to ${fresh.label} (a verified release)`, edits });
      fixes.push(...migrate);
      const message =
        pin.sha256 !== undefined
          ? `This pin will break when the branch moves: ${branch} is a moving ${pin.pinned.kind} with a fixed sha256, so its download stops matching the hash.${known ? ` The hash is that of ${known.rev?.slice(0, 12) ?? 'a known revision'} (${known.date ?? 'date unknown'}).` : ''}`
          : `Not reproducible: ${branch} is a moving ${pin.pinned.kind} without a hash, so every machine (and every week) gets a different nixpkgs.`;
      findings.push({ ...at, severity: 'warning', code: 'moving-pin', message, fixes });
    } else if (pin.kind === 'unpinned') {
      const literal = file.text.slice(pin.start, pin.end) === pin.url?.value ? pin : undefined;
      const fixes: Fix[] =
        literal === undefined
          ? []
          : [
              {
                title: `Pin to ${fresh.label}`,
                edits: [{ ...literal, newText: `(fetchTarball { url = "${fresh.url}"; sha256 = "${fresh.sha256}"; })` }],
                preferred: true,
              },
            ];
      findings.push({
        ...pin,
        severity: 'warning',
        code: 'unpinned',
        message: `nixpkgs is not pinned: ${pin.url?.value ?? '<nixpkgs>'} is whatever channel or checkout each machine has, so the environment differs between machines.`,
        fixes,
      });
    } else if (pin.pinned?.kind === 'release-tag') {
      const edits = repin(pin, fresh);
      findings.push({
        ...at,
        severity: 'information',
        code: 'release-tag',
        message: `Pinned to the release tag ${pin.pinned.tag}: fixed, so reproducible, but old (no security updates since its release).`,
        fixes: edits === undefined ? [] : [{ title: `Re-pin to ${fresh.label} (a verified release)`, edits }],
      });
    } else if (
      (pin.kind === 'exact-revision' || pin.kind === 'fetchFromGitHub') &&
      pin.sha256 === undefined &&
      pin.url?.literal !== undefined
    ) {
      const sha = known?.sha256 === undefined ? '' : ` (for this revision: ${known.sha256})`;
      findings.push({
        ...at,
        severity: 'information',
        code: 'unverified-pin',
        message: `An exact revision without a sha256: Nix downloads it again after a while and cannot verify what it gets; add its sha256${sha} (nix-prefetch-url --unpack URL prints it).`,
        fixes: [],
      });
    }
  }
  return findings;
}

function pythonFindings(file: NixFile, context: PinContext): Finding[] {
  const offered = context.known?.pythons ?? context.facts?.pythons;
  if (offered === undefined || offered.length === 0) return [];
  const findings: Finding[] = [];
  for (const python of file.pythons) {
    if (python.version === undefined || offered.includes(python.version)) continue;
    const fallback = context.known?.preferredPython ?? offered.at(-1);
    const attr = fallback === undefined ? undefined : pythonAttribute(fallback);
    const fixes: Fix[] =
      attr === undefined
        ? []
        : [{ title: `Use Python ${fallback} (${attr}) everywhere in this file`, edits: switchPython(file, fallback!), preferred: true }];
    findings.push({
      ...python,
      severity: 'error',
      code: 'unavailable-python',
      message: `Python ${python.version} is not available at ${context.label}; it offers ${offered.join(', ')}.`,
      fixes,
    });
  }
  return findings;
}

/** The newest shipped pin where a package is usable with this Python (or any Python the pin offers). */
function pinWhereUsable(name: string, python: string | undefined): Pin | undefined {
  return SHIPPED_PINS.find((pin) =>
    (python !== undefined && pin.pythons.includes(python) ? [python] : pin.pythons).some(
      (v) => packageAt(pin.rev, name, v)?.state === 'usable',
    ),
  );
}

function stateFinding(file: NixFile, context: PinContext, pkg: PackageReference, at: PackageAtPin, python: string): Finding | undefined {
  const { state, fact } = at;
  const version = fact.version === undefined ? '' : ` ${fact.version}`;
  const fixes: Fix[] = [removeFix(file, pkg)];
  const better = pinWhereUsable(pkg.name, python);
  const edits = better === undefined ? undefined : repin(context.reference, better);
  const repinFix: Fix[] =
    edits === undefined || better === undefined ? [] : [{ title: `Re-pin to ${better.label}, where ${pkg.name} is usable`, edits }];
  switch (state) {
    case 'broken':
      return {
        ...pkg,
        severity: 'error',
        code: 'unavailable-package',
        message: `${pkg.name}${version} is marked as broken at ${context.label}: Nix refuses to evaluate it.`,
        fixes: [...fixes, ...repinFix],
      };
    case 'python-restricted': {
      const works = (fact.usableWith ?? []).filter((v) => context.known?.pythons.includes(v) ?? true);
      const switchFixes: Fix[] =
        works.length === 0
          ? []
          : [
              {
                title: `Use Python ${works.at(-1)!} (${pkg.name} works with ${works.join(', ')})`,
                edits: switchPython(file, works.at(-1)!),
                preferred: true,
              },
            ];
      return {
        ...pkg,
        severity: 'error',
        code: 'unavailable-package',
        message: `${pkg.name}${version} is not supported for interpreter python${python} at ${context.label}; it works with Python ${works.join(', ') || 'other versions'}.`,
        fixes: [...switchFixes, ...fixes, ...repinFix],
      };
    }
    case 'removed':
      return {
        ...pkg,
        severity: 'error',
        code: 'removed-package',
        message: `${pkg.name} was removed from nixpkgs before ${context.label}${fact.since ? ` (${fact.since})` : ''}${fact.replacement ? `; use ${fact.replacement}` : ''}.`,
        fixes: fact.replacement ? [replaceWith(file, pkg, fact.replacement), ...fixes] : fixes,
      };
    case 'absent':
      return {
        ...pkg,
        severity: 'error',
        code: 'unavailable-package',
        message: `${pkg.name} is not yet packaged at ${context.label}.`,
        fixes: [...repinFix, ...fixes],
      };
    default:
      return undefined;
  }
}

function packageFindings(file: NixFile, context: PinContext): Finding[] {
  const findings: Finding[] = [];
  const python = file.python ?? context.known?.defaultPython ?? context.facts?.defaultPython;
  for (const pkg of file.packages) {
    if (pkg.local === true || file.overlayOnly.includes(pkg.name)) continue;
    const renamed = renameAt(pkg.name, context.date);
    if (renamed !== undefined) {
      const fixes: Fix[] = [];
      const target = replacementFor(pkg.name);
      if (target !== undefined) fixes.push(replaceWith(file, pkg, target));
      fixes.push(removeFix(file, pkg));
      const since = renamed.state === 'throws' ? (renamed.rename.throwsSince ?? renamed.rename.since) : renamed.rename.since;
      const when = since === undefined ? '' : ` since ${since}`;
      const where = context.when === 'unknown' ? '' : ` at ${context.label}`;
      const curated =
        renamed.explanation !== renamed.rename.message && !renamed.explanation.startsWith(`${pkg.name} is an alias of`)
          ? ` ${renamed.explanation}`
          : '';
      // A revision PPL Nix does not know may be older than the change: say when, do not claim.
      const unsure = context.when === 'unknown' ? ' An older revision than that may still have the package itself.' : '';
      const message =
        renamed.state === 'throws'
          ? `${renamed.rename.message ?? `'${pkg.name}' has been renamed to/replaced by '${target ?? '?'}'`}: nixpkgs refuses it${when}${where}.${curated}${unsure}`
          : `${pkg.name} is an alias of ${target ?? 'another package'}${when}${where}: the file gets ${target ?? 'that package'}.${curated}${unsure}`;
      const severity: Severity = context.when === 'unknown' ? 'information' : renamed.state === 'throws' ? 'error' : 'warning';
      findings.push({ ...pkg, severity, code: 'renamed-package', message, fixes });
      continue;
    }
    const at = python === undefined ? undefined : packageAt(context.rev, pkg.name, python);
    const finding = at === undefined || python === undefined ? undefined : stateFinding(file, context, pkg, at, python);
    if (finding !== undefined) findings.push(finding);
  }
  return findings;
}

export function diagnose(file: NixFile, options: AssistOptions = {}): Finding[] {
  const context = pinContext(file);
  const parse: Finding[] = file.errors.slice(0, 5).map((error) => ({
    start: error.start,
    end: Math.max(error.end, error.start + 1),
    severity: 'error',
    code: 'parse-error',
    message: `Nix syntax: ${error.message}`,
    fixes: [],
  }));
  return [...parse, ...pinFindings(file, context, options), ...pythonFindings(file, context), ...packageFindings(file, context)];
}

/** Refactorings at a range (not problems: every hash form is valid): convert a hash to another form. */
export function refactorings(file: NixFile, span: Span): Fix[] {
  const fixes: Fix[] = [];
  for (const pin of file.pins) {
    const literal = pin.sha256?.literal;
    if (literal === undefined || span.end < literal.start || span.start > literal.end) continue;
    const value = pin.sha256!.value;
    for (const [form, title] of [
      ['base32', 'Nix base-32'],
      ['sri', 'SRI (sha256-…)'],
      ['hex', 'hexadecimal'],
    ] as const) {
      const converted = convertHash(value, form);
      if (converted !== undefined && converted !== value)
        fixes.push({ title: `Convert the hash to ${title}`, edits: [{ ...literal, newText: converted }] });
    }
  }
  return fixes;
}

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
