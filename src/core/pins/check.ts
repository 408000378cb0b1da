// "Is everything this file uses available at its pin?": what to ask (from a PPL Nix spec or,
// for other files, from what the text says) and the answer as lines and a verdict.
import { describe, type PackageProbe, type PinProbe } from './probe';
import { normalHash } from '../nix/hashes';
import { detectOldStyle } from '../shellNix/migrate';
import { pinContext } from '../shellNix/pinContext';
import { pythonPackageNames, readNixFile } from '../shellNix/reader';
import { toPinRef, type PinRef } from './pins';
import { readShellNix } from '../spec/readback';
import { resolve } from '../spec/render';
import { checkAttributePath, checkPinUrl, checkSha256 } from '../spec/validate';

export interface CheckTarget {
  readonly pin: PinRef;
  readonly python: string;
  readonly pythonPackages: readonly string[];
  readonly systemPackages: readonly string[];
  /** Said before the result: e.g. an old-style file checked at the revision its hash names. */
  readonly notes: readonly string[];
  /** The file as written cannot work (a moving branch tarball): the check fails whatever the packages say. */
  readonly fileProblem?: string;
}

export function checkTargetOf(text: string): CheckTarget | { readonly reason: string } {
  const read = readShellNix(text);
  if (read.kind === 'managed') {
    const env = resolve(read.spec);
    return {
      pin: read.spec.pin,
      python: read.spec.python,
      pythonPackages: env.pythonGroups.flatMap((group) => group.attrs),
      systemPackages: env.systemPackages,
      notes: [],
    };
  }
  if (read.kind === 'damaged') return { reason: `the PPL Nix markers are damaged: ${read.reason}` };
  const file = readNixFile(text);
  const reference = file.nixpkgs;
  if (reference === undefined || reference.kind === 'unpinned') {
    return {
      reason: `nixpkgs is not pinned in this file${reference ? ` (${reference.url?.value ?? '<nixpkgs>'})` : ''}: there is no one pin to check. Pin it (the editor offers "Pin to …"), or create a PPL Nix file.`,
    };
  }
  const python = file.python ?? pinContext(file).known?.preferredPython;
  if (python === undefined)
    return {
      reason:
        'no pythonXY (python311.withPackages, python311Packages.x …) found in the file, and its pin does not say which Python it defaults to',
    };
  const old = detectOldStyle(text, file);
  const notes: string[] = [];
  let pin: PinRef;
  const known = pinContext(file).known;
  if (old !== undefined) {
    if (old.pin === undefined)
      return { reason: `${old.problem} Its sha256 names no revision PPL Nix knows; run "ppl-nix migrate --modernize".` };
    pin = toPinRef(old.pin);
    notes.push(`${old.problem} Checked at ${old.pin.label} (revision ${old.pin.rev ?? '?'}), the revision its sha256 names.`);
  } else if (known !== undefined) {
    pin = toPinRef(known);
  } else {
    const url =
      reference.kind === 'fetchFromGitHub' && reference.rev !== undefined
        ? `https://github.com/NixOS/nixpkgs/archive/${reference.rev.value}.tar.gz`
        : reference.url?.value;
    const sha256 = reference.sha256 === undefined ? undefined : normalHash(reference.sha256.value);
    if (url === undefined || sha256 === undefined)
      return {
        reason:
          'the nixpkgs pin has no url and sha256 PPL Nix can read (a fetch with a literal url, or fetchFromGitHub with rev, and a hash)',
      };
    // GitHub serves the same archive over https: the probe only fetches https (or file) URLs.
    const secure = url.replace(/^http:\/\/(www\.)?github\.com\//i, 'https://github.com/');
    pin = { label: secure, url: secure, sha256 };
  }
  const urlProblem = checkPinUrl(pin.url) ?? checkSha256(pin.sha256);
  if (urlProblem !== undefined) return { reason: `the pin ${urlProblem}` };
  const usable = (name: string): boolean => checkAttributePath(name) === undefined;
  const local = new Set([...file.overlayOnly, ...file.packages.filter((p) => p.local === true).map((p) => p.name)]);
  const skipped = pythonPackageNames(file).filter((name) => local.has(name));
  if (skipped.length > 0) notes.push(`Not checked (the file defines them itself): ${skipped.join(', ')}.`);
  return {
    pin,
    python,
    pythonPackages: pythonPackageNames(file).filter((name) => !local.has(name) && usable(name)),
    systemPackages: file.systemPackages.map((s) => s.name).filter(usable),
    notes,
    ...(old === undefined ? {} : { fileProblem: `${old.problem} Fix it with "ppl-nix migrate --reproduce" or "--modernize".` }),
  };
}

export interface CheckReport {
  readonly ok: boolean;
  readonly lines: readonly string[];
  readonly unavailable: readonly string[];
}

const MARK: Readonly<Record<PackageProbe['status'], string>> = {
  available: 'ok  ',
  broken: 'BROKEN',
  restricted: 'PYTHON',
  missing: 'MISSING',
  throws: 'REMOVED',
};

export function checkReport(target: CheckTarget, result: PinProbe): CheckReport {
  const lines: string[] = [...target.notes];
  const unavailable: string[] = [];
  const pythonOk = result.pythonVersion !== undefined;
  lines.push(
    `nixpkgs ${target.pin.label}: Python ${target.python}${pythonOk ? ` (${result.pythonVersion})` : ' is NOT available'}; this pin has Python ${result.pythons.join(', ') || 'none'}`,
  );
  if (!pythonOk) unavailable.push(`python${target.python}`);
  const entries: [string, PackageProbe][] = [
    ...(pythonOk ? Object.entries(result.python) : []),
    ...Object.entries(result.system).map(([name, entry]): [string, PackageProbe] => [`pkgs.${name}`, entry]),
  ];
  for (const [name, entry] of entries) {
    lines.push(`  ${MARK[entry.status].padEnd(7)} ${describe(name, entry)}`);
    if (entry.status !== 'available') unavailable.push(name);
  }
  if (target.fileProblem !== undefined) lines.push(target.fileProblem);
  const ok = unavailable.length === 0 && target.fileProblem === undefined;
  lines.push(
    ok
      ? `All ${entries.length} packages are available.`
      : unavailable.length > 0
        ? `Not available: ${unavailable.join(', ')}.`
        : 'The packages are available, but the file cannot work as written.',
  );
  return { ok, lines, unavailable };
}
