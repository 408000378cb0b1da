// Findings about the Python packages a file lists, at its pin and Python: renamed (an alias, or
// a throw), broken, not for this Python, removed, not yet packaged; each with its fixes.
import { packageAt, type PackageAtPin } from '../catalog/facts';
import { renameAt, replacementFor } from '../catalog/renames';
import { SHIPPED_PINS, type Pin } from '../pins/pins';
import type { PinContext } from './pinContext';
import type { NixFile, PackageReference } from './reader';
import { removeFix, replaceWith, repin, switchPython, type Finding, type Fix, type Severity } from './findings';

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

export function packageFindings(file: NixFile, context: PinContext): Finding[] {
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
