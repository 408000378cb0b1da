// From loose user input (CLI flags, quick picks) to a spec, or a list of problems.
import { CATALOG, findRenamed } from '../catalog/catalog';
import { allPins, customLabelProblem, defaultPin, findPin, toPinRef, type Pin } from '../pins/pins';
import { splitNames, validateSpec, type EnvSpec, type FieldProblem } from './spec';
import { shown } from './validate';

export interface SpecInput {
  readonly name: string;
  readonly python?: string;
  /** A pin label ("nixos-25.05 (2025-07-15)"), a branch ("nixos-25.05") or a revision. */
  readonly pin?: string;
  readonly pinUrl?: string;
  readonly pinSha256?: string;
  /** Catalog ids, attributes or display names, any case. */
  readonly packages: readonly string[];
  readonly extraPackages?: readonly string[];
  readonly systemPackages?: readonly string[];
  readonly shellHook?: string;
}

export type BuildResult = { readonly spec: EnvSpec; readonly pin: Pin } | { readonly problems: readonly FieldProblem[] };

/** Finds a catalog id for what a user typed: "PyMC", "pymc", "pyro", "pyro-ppl". */
export function catalogIdFor(name: string): string | undefined {
  const wanted = name.toLowerCase();
  return CATALOG.find(
    (entry) =>
      entry.id.toLowerCase() === wanted ||
      entry.attr.toLowerCase() === wanted ||
      entry.displayName.toLowerCase() === wanted ||
      entry.importName?.toLowerCase() === wanted,
  )?.id;
}

/** Finds a pin by label, branch (newest on that branch) or revision. */
export function lookupPin(pins: readonly Pin[], wanted: string): Pin | undefined {
  return (
    findPin(pins, wanted) ??
    pins.find((pin) => pin.branch === wanted) ??
    (wanted.length >= 7 ? pins.find((pin) => pin.rev?.startsWith(wanted)) : undefined)
  );
}

export function buildSpec(input: SpecInput, customPins: readonly Pin[] = []): BuildResult {
  const problems: FieldProblem[] = [];
  const pins = allPins(customPins);
  let pin: Pin | undefined;
  if (input.pinUrl !== undefined || input.pinSha256 !== undefined) {
    if (input.pinUrl === undefined || input.pinSha256 === undefined) {
      problems.push({ field: 'pin', message: 'a custom pin needs both a URL and a sha256' });
    } else {
      const label = (input.pin ?? 'custom').trim();
      const labelProblem = customLabelProblem(label);
      if (labelProblem !== undefined) problems.push({ field: 'pin', message: `Pin label ${labelProblem}` });
      else pin = { label, url: input.pinUrl, sha256: input.pinSha256, pythons: [], origin: 'custom' };
    }
  } else if (input.pin !== undefined) {
    pin = lookupPin(pins, input.pin);
    if (pin === undefined)
      problems.push({ field: 'pin', message: `no pin "${shown(input.pin)}"; known pins: ${pins.map((p) => p.label).join(', ')}` });
  } else {
    pin = defaultPin();
  }
  const packages: string[] = [];
  for (const name of input.packages.flatMap(splitNames)) {
    const id = catalogIdFor(name);
    if (id !== undefined) {
      if (!packages.includes(id)) packages.push(id);
      continue;
    }
    const renamed = findRenamed(name);
    problems.push({
      field: 'packages',
      message: renamed
        ? `${renamed.message}${renamed.replacement ? ` Use "${renamed.replacement}".` : ''}`
        : `"${shown(name)}" is not in the PPL Nix catalog (see \`ppl-nix catalog\`); pass any nixpkgs Python attribute with --extra`,
    });
  }
  if (pin === undefined || problems.length > 0) return { problems };
  // A custom pin does not say which Pythons it has: preselect what the default pin does.
  const python = input.python ?? pin.preferredPython ?? defaultPin().preferredPython ?? '3.13';
  const spec: EnvSpec = {
    name: input.name,
    pin: toPinRef(pin),
    python,
    packages,
    extraPackages: (input.extraPackages ?? []).flatMap(splitNames),
    systemPackages: (input.systemPackages ?? []).flatMap(splitNames),
    ...(input.shellHook === undefined ? {} : { shellHook: input.shellHook }),
  };
  const specProblems = validateSpec(spec, { pythons: pin.pythons });
  return specProblems.length > 0 ? { problems: specProblems } : { spec, pin };
}
