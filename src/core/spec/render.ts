// Spec → shell.nix. The output is stable for a given spec (sorted, grouped by category),
// commented for a human reader, and split into managed blocks between
// "# ppl-nix:begin NAME" / "# ppl-nix:end NAME" lines: PPL Nix rewrites only those blocks,
// everything else in the file belongs to the user.
import { CATALOG, CATEGORY_TITLES, findEntry, type CatalogEntry, type Category, type StorePathVariable } from '../catalog/catalog';
import { PplNixError } from '../errors';
import { validateSpec, type EnvSpec } from './spec';
import { pythonAttribute } from './validate';

export const SPEC_PREFIX = '# ppl-nix-spec: ';
const SPEC_VERSION = 1;

/** What a spec resolves to, after adding what the chosen packages need. */
export interface ResolvedEnv {
  readonly pythonAttr: string;
  /** Python attributes grouped under a heading, in display order. */
  readonly pythonGroups: readonly { readonly title: string; readonly attrs: readonly string[] }[];
  readonly systemPackages: readonly string[];
  readonly variables: readonly StorePathVariable[];
  readonly needsCCompiler: boolean;
}

const CATEGORY_ORDER: readonly Category[] = ['ppl', 'inference', 'analysis', 'notebooks', 'system'];

const unique = (items: Iterable<string>): string[] => [...new Set(items)].sort();

export function resolve(spec: EnvSpec): ResolvedEnv {
  const chosen = spec.packages.map((id) => findEntry(id)).filter((entry): entry is CatalogEntry => entry !== undefined);
  const pythonGroups = CATEGORY_ORDER.map((category) => ({
    title: CATEGORY_TITLES[category],
    attrs: unique(chosen.filter((e) => e.kind === 'python' && e.category === category).map((e) => e.attr)),
  })).filter((group) => group.attrs.length > 0);
  const extras = unique(spec.extraPackages).filter((attr) => !pythonGroups.some((g) => g.attrs.includes(attr)));
  if (extras.length > 0) {
    pythonGroups.push({ title: 'Extra packages', attrs: extras });
  }
  const systemPackages = unique([
    ...chosen.filter((e) => e.kind === 'system').map((e) => e.attr),
    ...chosen.flatMap((e) => e.needs.packages ?? []),
    ...spec.systemPackages,
  ]);
  const variables = new Map<string, StorePathVariable>();
  for (const variable of chosen.flatMap((e) => e.needs.variables ?? [])) variables.set(variable.name, variable);
  return {
    pythonAttr: pythonAttribute(spec.python) ?? 'python3',
    pythonGroups,
    systemPackages,
    variables: [...variables.values()].sort((a, b) => a.name.localeCompare(b.name)),
    needsCCompiler: chosen.some((e) => e.needs.cCompiler === true),
  };
}

/**
 * The text of a Nix indented string ('' … ''), escaped so it means exactly `text`: `''` is
 * written `'''`, `${` is written `''${`, and a single `'` right before `${` is written `''\'`
 * (else it would join the escape into `'''${`, which Nix reads as `''` then an interpolation).
 */
export function indentedStringBody(text: string): string {
  let out = '';
  for (let i = 0; i < text.length;) {
    if (text.startsWith("''", i)) {
      out += "'''";
      i += 2;
    } else if (text.startsWith('${', i)) {
      out += "''${";
      i += 2;
    } else if (text[i] === "'" && text.startsWith('${', i + 1)) {
      out += "''\\'";
      i += 1;
    } else {
      out += text[i];
      i += 1;
    }
  }
  return out;
}

/** A one-line summary: "Python 3.12 with PyMC, ArviZ". */
export function summary(spec: EnvSpec): string {
  // Catalog order (by category, as in the picker), so the summary is stable.
  const order = (id: string): number => CATALOG.findIndex((entry) => entry.id === id);
  const names = [...spec.packages].sort((a, b) => order(a) - order(b)).map((id) => findEntry(id)?.displayName ?? id);
  // Extras sorted and once each, as the file records them: reading the file back renders the same line.
  const all = [...names, ...unique(spec.extraPackages)];
  return `Python ${spec.python}${all.length > 0 ? ` with ${all.join(', ')}` : ''}`;
}

/** The JSON recorded in the file, keys in a fixed order so equal specs give equal text. */
function specJson(spec: EnvSpec): string {
  return JSON.stringify({
    version: SPEC_VERSION,
    name: spec.name,
    pin: { label: spec.pin.label, url: spec.pin.url, sha256: spec.pin.sha256 },
    python: spec.python,
    packages: [...spec.packages].sort(),
    extraPackages: [...spec.extraPackages].sort(),
    systemPackages: [...spec.systemPackages].sort(),
    ...(spec.shellHook === undefined || spec.shellHook === '' ? {} : { shellHook: spec.shellHook }),
    ...(spec.format === 'flake' ? { format: spec.format } : {}),
  });
}

export const begin = (indent: string, block: string, note = ''): string => `${indent}# ppl-nix:begin ${block}${note}`;
export const end = (indent: string, block: string): string => `${indent}# ppl-nix:end ${block}`;

/** The first lines of the header block: what the file is, how to enter it, the recorded spec. */
export function headerComments(spec: EnvSpec, howToEnter: string): string[] {
  return [
    begin('', 'header', ' (managed by PPL Nix: change it with "Create PPL Nix shell")'),
    `# PPL Nix environment "${spec.name}": ${summary(spec)}.`,
    `# Enter it with ${howToEnter} in this folder, or let VS Code enter it (PPL Nix).`,
    '# PPL Nix rewrites only the lines between "ppl-nix:begin" and "ppl-nix:end";',
    '# everything else in this file is yours and is kept.',
    `${SPEC_PREFIX}${specJson(spec)}`,
  ];
}

/** `python = pkgs.pythonXY.withPackages (ps: with ps; [ … ]);`, grouped under headings. */
export function pythonLines(env: ResolvedEnv, indent: string): string[] {
  const pythonLines = env.pythonGroups.flatMap((group) => [
    `${indent}  # ${group.title}`,
    ...group.attrs.map((attr) => `${indent}  ${attr}`),
  ]);
  return [`${indent}python = pkgs.${env.pythonAttr}.withPackages (ps: with ps; [`, ...pythonLines, `${indent}]);`];
}

function headerBlock(spec: EnvSpec, env: ResolvedEnv): string[] {
  return [
    ...headerComments(spec, '`nix-shell`'),
    'let',
    `  # nixpkgs ${spec.pin.label}: an exact revision and the hash of its tarball,`,
    '  # so every machine builds the same environment.',
    '  nixpkgs = fetchTarball {',
    `    url = "${spec.pin.url}";`,
    `    sha256 = "${spec.pin.sha256}";`,
    '  };',
    'in',
    '{ pkgs ? import nixpkgs { } }:',
    'let',
    ...pythonLines(env, '  '),
    'in',
    end('', 'header'),
  ];
}

function attributesBlock(spec: EnvSpec, env: ResolvedEnv, indent: string): string[] {
  return [
    begin(indent, 'attributes'),
    `${indent}name = "${spec.name}";`,
    ...env.variables.map((v) => `${indent}${v.name} = "\${pkgs.${v.package}}${v.suffix}";`),
    end(indent, 'attributes'),
  ];
}

function packagesBlock(env: ResolvedEnv, indent: string): string[] {
  return [
    begin(indent, 'packages'),
    `${indent}python`,
    ...env.systemPackages.map((attr) => `${indent}pkgs.${attr}`),
    end(indent, 'packages'),
  ];
}

function shellHookBlock(spec: EnvSpec, env: ResolvedEnv, indent: string): string[] {
  const hook = spec.shellHook === undefined || spec.shellHook === '' ? [] : indentedStringBody(spec.shellHook).split('\n');
  return [
    begin(indent, 'shellHook'),
    ...(env.needsCCompiler ? [`${indent}# PyTensor/Aesara compile C: mkShell already puts a C compiler (cc) on PATH.`] : []),
    ...hook.map((line) => (line === '' ? '' : `${indent}${line}`)),
    end(indent, 'shellHook'),
  ];
}

/** `pkgs.mkShell { … }` with its managed blocks (name and variables, packages, shell hook), `indent` deep. */
export function mkShellLines(spec: EnvSpec, env: ResolvedEnv, indent: string): string[] {
  return [
    `${indent}pkgs.mkShell {`,
    ...attributesBlock(spec, env, `${indent}  `),
    `${indent}  packages = [`,
    ...packagesBlock(env, `${indent}    `),
    `${indent}    # Add your own packages here, e.g. pkgs.git`,
    `${indent}  ];`,
    `${indent}  shellHook = ''`,
    ...shellHookBlock(spec, env, `${indent}    `),
    `${indent}  '';`,
    `${indent}}`,
  ];
}

/**
 * What a valid spec resolves to. A spec with problems is refused: every string of it reaches the
 * file, so only a validated spec may (whichever front end or file it came from).
 */
export function checkedResolve(spec: EnvSpec): ResolvedEnv {
  const problems = validateSpec(spec, { pythons: [] });
  if (problems.length > 0) {
    const message = `Nothing was written: ${problems.map((p) => p.message).join('; ')}`;
    throw new PplNixError({ kind: 'invalidInput', field: problems[0]!.field, value: '' }, message);
  }
  return resolve(spec);
}

/** The whole shell.nix for a new environment (a validated spec only: see checkedResolve). */
export function renderShellNix(spec: EnvSpec): string {
  const env = checkedResolve(spec);
  return [...headerBlock(spec, env), ...mkShellLines(spec, env, ''), ''].join('\n');
}
