// The research (data/packageFacts.json, with its evidence) is large; the picker and the extension
// need only each package's state at each pin. This derives that compact table
// (data/packageStates.json) and the pins' Python lists (data/pins.json) from the research, so both
// have one source; test/unit/facts.test.ts fails when they drift (UPDATE_GOLDEN=1 rewrites them).
/** The states of a package at a pin (see facts.ts for what each means to a user). */
export type PackageState = 'usable' | 'broken' | 'python-restricted' | 'alias' | 'removed' | 'absent' | 'unknown';

interface FullPackage {
  readonly state: PackageState;
  readonly version?: string;
  readonly usableWith?: readonly string[];
  readonly aliasOf?: string;
  readonly since?: string;
  readonly replacement?: string;
  readonly usable?: boolean;
}

interface FullPin {
  readonly branch: string;
  readonly date: string;
  readonly pythons: Readonly<Record<string, { readonly state: string; readonly prerelease?: boolean }>>;
  readonly defaultPython?: { readonly version?: string | null; readonly confidence?: string };
  readonly packages: Readonly<Record<string, FullPackage>>;
}

export interface CompactPackage {
  readonly state: PackageState;
  readonly version?: string;
  readonly usableWith?: readonly string[];
  readonly aliasOf?: string;
  readonly since?: string;
  readonly replacement?: string;
  readonly usable?: false;
}

export interface CompactPin {
  readonly branch: string;
  readonly date: string;
  /** Stable interpreters (python3XX) that evaluate, ascending; pre-releases left out. */
  readonly pythons: readonly string[];
  /** nixpkgs' own python3 when the research established it. */
  readonly defaultPython?: string;
  readonly packages: Readonly<Record<string, CompactPackage>>;
}

const minor = (version: string): number => Number(version.split('.')[1]);

export function compactPin(full: FullPin): CompactPin {
  const pythons = Object.entries(full.pythons)
    .filter(([, fact]) => fact.state === 'usable' && fact.prerelease !== true)
    .map(([version]) => version)
    .sort((a, b) => minor(a) - minor(b));
  const version = full.defaultPython?.version;
  const defaultPython = full.defaultPython?.confidence === 'unknown' || typeof version !== 'string' ? undefined : version;
  const packages: Record<string, CompactPackage> = {};
  for (const [attr, fact] of Object.entries(full.packages).sort(([a], [b]) => a.localeCompare(b))) {
    packages[attr] = {
      state: fact.state,
      ...(fact.version === undefined ? {} : { version: fact.version }),
      ...(fact.usableWith === undefined ? {} : { usableWith: fact.usableWith }),
      ...(fact.aliasOf === undefined ? {} : { aliasOf: fact.aliasOf }),
      ...(fact.since === undefined ? {} : { since: fact.since }),
      ...(fact.replacement === undefined ? {} : { replacement: fact.replacement }),
      ...(fact.usable === false ? { usable: false as const } : {}),
    };
  }
  return { branch: full.branch, date: full.date, pythons, ...(defaultPython === undefined ? {} : { defaultPython }), packages };
}

export function compactFacts(full: { readonly pins: Readonly<Record<string, FullPin>> }): Record<string, CompactPin> {
  return Object.fromEntries(Object.entries(full.pins).map(([rev, pin]) => [rev, compactPin(pin)]));
}

interface FullRename {
  readonly attr: string;
  readonly kind: string;
  readonly replacement?: string | null;
  readonly since?: string | null;
  readonly throwsSince?: string | null;
  readonly message?: string | null;
}

/** The renames table without its evidence: what renames.ts needs. A bare-string "removal" (rl-coach) evaluates to a string: a throw for a user. */
export function compactRenames(full: { readonly renames: readonly FullRename[] }): Record<string, string>[] {
  return full.renames.map((r) => ({
    attr: r.attr,
    kind: r.kind === 'alias' ? 'alias' : 'throws',
    ...(r.replacement ? { replacement: r.replacement } : {}),
    ...(r.since ? { since: r.since } : {}),
    ...(r.throwsSince ? { throwsSince: r.throwsSince } : {}),
    ...(r.message ? { message: r.message } : {}),
  }));
}
