// What the shell.nix language server says about a file, read by the one reader (reader.ts):
// diagnostics with quick fixes, refactorings, completions and hovers. Pure: the server only
// converts offsets to LSP ranges. Facts: the catalog, the renames table (every pin dated after a
// rename flags it, researched or not), the research per pin and Python, and the pins.
import { convertHash, hashForm } from '../nix/hashes';
import { defaultPin } from '../pins/pins';
import { pythonAttribute } from '../spec/validate';
import { isMoving } from './nixpkgsUrls';
import { frozenSince, pinContext, type PinContext } from './pinContext';
import type { NixFile } from './reader';
import { GITHUB_ARCHIVE, repin, switchPython, type AssistOptions, type Finding, type Fix, type Span } from './findings';
import { packageFindings } from './packageFindings';

export type { AssistOptions, Finding, FindingCode, Fix, Severity, Span, TextEdit } from './findings';
export { completions, describePackage, hover, type Completion } from './editing';

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
