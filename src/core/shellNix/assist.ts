// What the shell.nix language server says about a file: diagnostics with their quick fixes,
// completions for package lists and hovers on package names. Pure: the server only converts
// offsets to LSP ranges. Facts come from the catalog, RENAMED, the pins and availability.json
// (researched status of each attribute per shipped revision; "unknown" never warns).
import { CATALOG, findEntry, findRenamed, type CatalogEntry } from '../catalog/catalog';
import { defaultPythonAt, researchedPin, type PinFacts } from '../catalog/facts';
import { completionContext, packageAt, pythonAt, type NixDocument, type PackageRef, type Span } from './document';
import { defaultPin, isBranchTarball, pinForHash, revisionOf, type Pin } from '../pins/pins';
import { checkSha256, pythonAttribute } from '../spec/validate';

export interface TextEdit extends Span {
  readonly newText: string;
}

export type Fix =
  | { readonly title: string; readonly edits: readonly TextEdit[]; readonly preferred?: boolean }
  | { readonly title: string; readonly command: string; readonly args: readonly unknown[] };

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Finding extends Span {
  readonly severity: Severity;
  readonly code: 'unavailable-package' | 'renamed-package' | 'unavailable-python' | 'malformed-sha256' | 'branch-tarball';
  readonly message: string;
  readonly fixes: readonly Fix[];
}

export interface AssistOptions {
  /** The id of a command that migrates an old file (the extension's); offered as a fix for old pins. */
  readonly migrateCommand?: string;
  /** The document's URI, passed to commands. */
  readonly uri?: string;
}

/** The file's pin as far as we know it: revision (from the URL, or the hash of a known pin) and its facts. */
function pinOf(doc: NixDocument): { rev?: string; facts?: PinFacts; known?: Pin; label?: string } {
  const url = doc.pin.url?.value;
  const sha = doc.pin.sha256?.value;
  const known = sha === undefined ? undefined : pinForHash(sha);
  const rev = (url === undefined ? undefined : revisionOf(url)) ?? known?.rev;
  const facts = researchedPin(rev);
  const label = facts ? `nixpkgs ${facts.branch} (${facts.date})` : rev ? `nixpkgs ${rev.slice(0, 12)}` : undefined;
  return { ...(rev ? { rev } : {}), ...(facts ? { facts } : {}), ...(known ? { known } : {}), ...(label ? { label } : {}) };
}

/** Deleting a list element: its whole line when it is alone there, else the token and one space. */
function removal(text: string, pkg: PackageRef): TextEdit {
  const lineStart = text.lastIndexOf('\n', pkg.start - 1) + 1;
  const lineEnd = text.indexOf('\n', pkg.end);
  const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
  if (line.trim() === text.slice(pkg.start, pkg.end))
    return { start: lineStart, end: lineEnd === -1 ? text.length : lineEnd + 1, newText: '' };
  const after = /^[ \t]*/.exec(text.slice(pkg.end))?.[0].length ?? 0;
  return { start: pkg.start, end: pkg.end + after, newText: '' };
}

function replacement(doc: NixDocument, pkg: PackageRef, attr: string): Fix {
  if (doc.packages.some((other) => other.list === pkg.list && other.name === attr)) {
    return { title: `Remove ${pkg.name} (${attr} is already listed)`, edits: [removal(doc.text, pkg)], preferred: true };
  }
  const newText = pkg.form === 'member' ? `${pkg.list.param}.${attr}` : attr;
  return { title: `Replace ${pkg.name} with ${attr}`, edits: [{ start: pkg.start, end: pkg.end, newText }], preferred: true };
}

function packageFindings(doc: NixDocument, pin: ReturnType<typeof pinOf>): Finding[] {
  const findings: Finding[] = [];
  for (const pkg of doc.packages) {
    const renamed = findRenamed(pkg.name);
    const status = pin.facts?.packages[pkg.name]?.state;
    const fixes: Fix[] = [];
    if (renamed?.replacement !== undefined) fixes.push(replacement(doc, pkg, renamed.replacement));
    fixes.push({ title: `Remove ${pkg.name}`, edits: [removal(doc.text, pkg)] });
    const why = renamed ? ` ${renamed.message}` : '';
    if (status === 'removed' || status === 'absent') {
      const what = status === 'removed' ? 'was removed before' : 'is not yet packaged in';
      findings.push({
        ...span(pkg),
        severity: 'warning',
        code: 'unavailable-package',
        message: `${pkg.name} ${what} ${pin.label}.${why}`,
        fixes,
      });
    } else if (status === 'alias' && renamed) {
      findings.push({
        ...span(pkg),
        severity: 'information',
        code: 'renamed-package',
        message: `${pkg.name} is only an alias at ${pin.label}.${why}`,
        fixes,
      });
    } else if (pin.facts === undefined && renamed) {
      // No researched data for this pin: what we know about the name itself.
      findings.push({ ...span(pkg), severity: 'information', code: 'renamed-package', message: renamed.message, fixes });
    }
  }
  return findings;
}

function pythonFindings(doc: NixDocument, pin: ReturnType<typeof pinOf>): Finding[] {
  const findings: Finding[] = [];
  for (const python of doc.pythons) {
    if (python.version === undefined || pin.facts === undefined) continue;
    if (pin.facts.pythons.includes(python.version)) continue;
    // availability.json may say "unknown"; pins.json knows the default of shipped pins.
    const fallback = [defaultPythonAt(pin.rev), pin.known?.defaultPython].find((v) => v !== undefined && pythonAttribute(v) !== undefined);
    const attr = fallback === undefined ? undefined : pythonAttribute(fallback);
    const fixes: Fix[] =
      attr === undefined
        ? []
        : [
            {
              title: `Use Python ${fallback} (${attr}, the default at this pin)`,
              edits: [{ start: python.start, end: python.end, newText: attr }],
              preferred: true,
            },
          ];
    const offered = pin.facts.pythons;
    findings.push({
      ...span(python),
      severity: 'warning',
      code: 'unavailable-python',
      message: `Python ${python.version} is not available at ${pin.label}; it offers ${offered.join(', ')}.`,
      fixes,
    });
  }
  return findings;
}

function pinFindings(doc: NixDocument, pin: ReturnType<typeof pinOf>, options: AssistOptions): Finding[] {
  const findings: Finding[] = [];
  const { url, sha256 } = doc.pin;
  if (sha256 !== undefined) {
    const problem = checkSha256(sha256.value);
    if (problem !== undefined)
      findings.push({ ...span(sha256), severity: 'error', code: 'malformed-sha256', message: `sha256 ${problem}`, fixes: [] });
  }
  if (url !== undefined && sha256 !== undefined && isBranchTarball(url.value)) {
    const branch = /archive\/([^/]+)\.tar\.gz$/.exec(url.value)?.[1] ?? 'branch';
    const fixes: Fix[] = [];
    if (pin.known?.rev !== undefined) {
      const exact = `https://github.com/NixOS/nixpkgs/archive/${pin.known.rev}.tar.gz`;
      fixes.push({
        title: `Pin the exact revision this hash belongs to (${pin.known.rev.slice(0, 12)}, ${pin.known.date ?? 'date unknown'})`,
        edits: [{ start: url.start, end: url.end, newText: exact }],
        preferred: true,
      });
    }
    const fresh = defaultPin();
    fixes.push({
      title: `Re-pin to ${fresh.label} (a verified release)`,
      edits: [
        { start: url.start, end: url.end, newText: fresh.url },
        { start: sha256.start, end: sha256.end, newText: fresh.sha256 },
      ],
    });
    if (options.migrateCommand !== undefined)
      fixes.push({
        title: 'Migrate this file with PPL Nix…',
        command: options.migrateCommand,
        args: options.uri === undefined ? [] : [options.uri],
      });
    const known = pin.known
      ? ` The hash is that of ${pin.known.rev?.slice(0, 12) ?? 'a known revision'} (${pin.known.date ?? 'date unknown'}).`
      : '';
    findings.push({
      ...span(url),
      severity: 'warning',
      code: 'branch-tarball',
      message: `This pin will break when the branch moves: ${branch} is a moving branch tarball with a fixed sha256, so its download stops matching the hash.${known}`,
      fixes,
    });
  }
  return findings;
}

const span = (s: Span): Span => ({ start: s.start, end: s.end });

export function diagnose(doc: NixDocument, options: AssistOptions = {}): Finding[] {
  const pin = pinOf(doc);
  return [...pinFindings(doc, pin, options), ...pythonFindings(doc, pin), ...packageFindings(doc, pin)];
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

function versionNote(pin: ReturnType<typeof pinOf>, attr: string): string {
  const facts = pin.facts?.packages[attr];
  if (facts === undefined) return '';
  const version = facts.version === undefined ? '' : ` ${facts.version}`;
  return `${facts.state}${version} at ${pin.label}`;
}

/** Markdown describing a package (catalog, RENAMED, status at the pin). */
function describePackage(attr: string, pin: ReturnType<typeof pinOf>): string | undefined {
  const entry: CatalogEntry | undefined = findEntry(attr);
  const renamed = findRenamed(attr);
  const facts = pin.facts?.packages[attr];
  if (entry === undefined && renamed === undefined && facts === undefined) return undefined;
  const lines: string[] = [];
  lines.push(`**${entry?.displayName ?? attr}** \`${attr}\``);
  if (entry) lines.push('', entry.description, '', `[${entry.homepage}](${entry.homepage})`);
  if (facts) {
    lines.push('', `At ${pin.label}: ${facts.state}${facts.version === undefined ? '' : `, version ${facts.version}`}.`);
  } else if (pin.label !== undefined) {
    lines.push('', `At ${pin.label}: availability not researched.`);
  }
  const notes = [...(entry?.notes ?? []), ...(renamed ? [renamed.message] : [])];
  if (notes.length > 0) lines.push('', ...notes.map((note) => `- ${note}`));
  return lines.join('\n');
}

export function completions(doc: NixDocument, offset: number): Completion[] {
  const context = completionContext(doc, offset);
  if (context === undefined) return [];
  const pin = pinOf(doc);
  const names = new Map<string, CatalogEntry | undefined>();
  for (const entry of CATALOG) if (entry.kind === 'python') names.set(entry.attr, entry);
  for (const [attr, facts] of Object.entries(pin.facts?.packages ?? {})) {
    const entry = findEntry(attr);
    if ((facts.state === 'usable' || facts.state === 'alias') && entry?.kind !== 'system') names.set(attr, entry);
  }
  const items: Completion[] = [];
  for (const [attr, entry] of names) {
    const status = pin.facts?.packages[attr]?.state;
    if (status === 'removed' || status === 'absent') continue;
    const deprecated = findRenamed(attr) !== undefined;
    const detail = [entry?.displayName, versionNote(pin, attr)].filter((part) => part !== undefined && part !== '').join(' — ');
    items.push({
      label: attr,
      detail,
      documentation: describePackage(attr, pin) ?? '',
      // Catalog entries first, in catalog order; then other attributes known at the pin.
      sortText: entry ? `0${String(CATALOG.indexOf(entry)).padStart(3, '0')}` : `1${attr}`,
      deprecated,
      replace: context.prefix,
    });
  }
  return items;
}

export function hover(doc: NixDocument, offset: number): { markdown: string; span: Span } | undefined {
  const pin = pinOf(doc);
  const pkg = packageAt(doc, offset);
  if (pkg !== undefined) {
    const markdown = describePackage(pkg.name, pin);
    return markdown === undefined ? undefined : { markdown, span: span(pkg) };
  }
  const python = pythonAt(doc, offset);
  if (python !== undefined) {
    const version = python.version ?? pin.facts?.defaultPython ?? pin.known?.defaultPython;
    const status =
      python.version === undefined
        ? 'the default Python 3'
        : python.version && pin.facts
          ? pin.facts.pythons.includes(python.version)
            ? 'available'
            : 'not available'
          : 'not researched';
    return {
      markdown: `**Python ${version ?? '3'}** \`${python.attr}\`${pin.label ? `\n\nAt ${pin.label}: ${status}.` : ''}`,
      span: span(python),
    };
  }
  return undefined;
}
