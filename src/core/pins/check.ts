// "Is everything this file uses available at its pin?": what to ask (from a PPL Nix spec or,
// for other files, from what the text says) and the answer as lines and a verdict.
import { describe, type PackageProbe, type PinProbe } from './probe';
import { detectOldStyle, readShellFacts } from '../shellNix/migrate';
import { pinForHash, type PinRef } from './pins';
import { readShellNix } from '../spec/readback';
import { resolve } from '../spec/render';
import { checkPinUrl, checkSha256 } from '../spec/validate';

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
  const facts = readShellFacts(text);
  if (facts.url === undefined || facts.sha256 === undefined)
    return { reason: 'no fetchTarball { url = "…"; sha256 = "…"; } pin found in the file' };
  if (facts.python === undefined) return { reason: 'no pythonXY.withPackages (…) found in the file' };
  const old = detectOldStyle(text);
  let pin: PinRef = { label: facts.url, url: facts.url, sha256: facts.sha256 };
  const notes: string[] = [];
  if (old !== undefined) {
    if (old.pin === undefined)
      return { reason: `${old.problem} Its sha256 names no revision PPL Nix knows; run "ppl-nix migrate --modernize".` };
    pin = { label: old.pin.label, url: old.pin.url, sha256: old.pin.sha256 };
    notes.push(`${old.problem} Checked at ${old.pin.label} (revision ${old.pin.rev ?? '?'}), the revision its sha256 names.`);
  } else if (pinForHash(facts.sha256) !== undefined) {
    pin = { ...pin, label: pinForHash(facts.sha256)!.label };
  }
  const urlProblem = checkPinUrl(pin.url) ?? checkSha256(pin.sha256);
  if (urlProblem !== undefined) return { reason: `the pin ${urlProblem}` };
  return {
    pin,
    python: facts.python,
    pythonPackages: facts.pythonPackages,
    systemPackages: facts.systemPackages,
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
