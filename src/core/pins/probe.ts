// Which packages a nixpkgs pin offers, found by ONE `nix-instantiate --eval --strict --json`.
// The expression is generated here from validated values only (pin URL and hash, Python
// version, attribute names), never from user text. builtins.tryEval cannot return the text
// of a `throw` (Nix 2.8), so throwing names are marked "throws" here and their messages come
// from one small targeted evaluation per failing name (see throwMessageExpression), with the
// RENAMED table as fallback when that evaluation says nothing useful.
import { PplNixError } from '../errors';
import { findRenamed } from '../catalog/catalog';
import type { PinRef } from './pins';
import { checkAttributePath, checkPinUrl, checkSha256, pythonAttribute } from '../spec/validate';

/** restricted: the package throws nixpkgs' "not supported for interpreter" (disabled for this Python). */
export type ProbeStatus = 'available' | 'broken' | 'restricted' | 'missing' | 'throws';

export interface PackageProbe {
  readonly status: ProbeStatus;
  readonly version?: string;
  /** For 'throws': the throw's text (from the second evaluation or RENAMED). */
  readonly message?: string;
}

export interface PinProbe {
  /** CPython versions whose python3XX attribute evaluates at the pin ("3.12"), ascending. */
  readonly pythons: readonly string[];
  /** The python3XX attribute's own version, when the chosen one evaluates. */
  readonly pythonVersion?: string;
  /** Python packages by attribute, at pythonXY.pkgs. */
  readonly python: Readonly<Record<string, PackageProbe>>;
  /** Top-level packages by attribute path. */
  readonly system: Readonly<Record<string, PackageProbe>>;
}

export interface ProbeQuery {
  readonly pin: PinRef;
  readonly python: string;
  readonly pythonPackages: readonly string[];
  readonly systemPackages: readonly string[];
}

/** A Nix string literal: validated input never holds these characters, escaping is a second fence. */
export function nixString(text: string): string {
  return `"${text.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

/** Why a query cannot be evaluated (its values reach a Nix expression and a cache file name), or undefined. */
export function probeQueryProblem(query: ProbeQuery): string | undefined {
  const problems = [
    checkPinUrl(query.pin.url),
    checkSha256(query.pin.sha256),
    pythonAttribute(query.python) === undefined ? `"${query.python}" is not a Python version` : undefined,
    ...[...query.pythonPackages, ...query.systemPackages].map((name) => checkAttributePath(name)),
  ].filter((p) => p !== undefined);
  return problems.length > 0 ? `cannot check availability: ${problems.join('; ')}` : undefined;
}

function checkQuery(query: ProbeQuery): void {
  const problem = probeQueryProblem(query);
  if (problem !== undefined) throw new PplNixError({ kind: 'invalidInput', field: 'pin', value: query.pin.label }, problem);
}

/** `import <pin> { config = { }; }`: an empty config so ~/.config/nixpkgs (allowBroken…) cannot change the answer. */
function importPin(pin: PinRef): string {
  return `import (fetchTarball { url = ${nixString(pin.url)}; sha256 = ${nixString(pin.sha256)}; }) { config = { }; overlays = [ ]; }`;
}

const list = (names: readonly string[]): string => `[ ${names.map(nixString).join(' ')} ]`;

/**
 * The expression: for each name, whether the attribute exists, evaluates (tryEval),
 * is marked broken, and its version; plus every python3XX attribute that evaluates.
 */
export function probeExpression(query: ProbeQuery): string {
  checkQuery(query);
  const attr = pythonAttribute(query.python)!;
  return `let
  pkgs = ${importPin(query.pin)};
  try = e: builtins.tryEval e;
  probeIn = set: path:
    let
      parts = builtins.filter builtins.isString (builtins.split "\\\\." path);
      step = acc: part:
        if acc.status != "available" then acc
        else if !(builtins.isAttrs acc.value) || !(builtins.hasAttr part acc.value) then { status = "missing"; }
        else let r = try acc.value.\${part}; in
          if r.success then { status = "available"; value = r.value; } else { status = "throws"; };
      found = builtins.foldl' step { status = "available"; value = set; } parts;
      v = found.value;
      broken = try (v.meta.broken or false);
      version = try (v.version or null);
    in
      if found.status != "available" then { inherit (found) status; }
      else {
        status = if broken.success && broken.value == true then "broken" else "available";
        version = if version.success && builtins.isString version.value then version.value else null;
      };
  probeAll = set: names: builtins.listToAttrs (map (n: { name = n; value = probeIn set n; }) names);
  pythonNames = builtins.filter (n: builtins.match "python3[0-9]+" n != null) (builtins.attrNames pkgs);
  evaluates = n: let r = try (pkgs.\${n}.version or null); in r.success && builtins.isString r.value;
  py = probeIn pkgs ${nixString(attr)};
  pySet = if py.status == "available" then (let r = try pkgs.${attr}.pkgs; in if r.success then r.value else { }) else { };
in {
  pythons = builtins.filter evaluates pythonNames;
  pythonVersion = py.version or null;
  python = probeAll pySet ${list(query.pythonPackages)};
  system = probeAll pkgs ${list(query.systemPackages)};
}`;
}

/** An expression that forces one throwing attribute, so the error output carries the throw's text. */
export function throwMessageExpression(pin: PinRef, python: string | undefined, path: string): string {
  checkQuery({ pin, python: python ?? '3.12', pythonPackages: [], systemPackages: [path] });
  const base = python === undefined ? 'pkgs' : `pkgs.${pythonAttribute(python)!}.pkgs`;
  const access = path.split('.').map(nixString).join('.');
  return `let pkgs = ${importPin(pin)}; in builtins.seq ${base}.${access} null`;
}

/** The throw's text from `nix-instantiate` stderr: the "error:" line(s), without trace hints. */
export function parseThrowMessage(stderr: string): string | undefined {
  const text = stderr.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^\s*error:/.test(line));
  if (start < 0) return undefined;
  const message = [lines[start]!.replace(/^\s*error:\s*/, '')];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '' || /^\s*(at |…)/.test(line) || line.includes('--show-trace')) break;
    message.push(line.trim());
  }
  const joined = message.join(' ').trim();
  return joined === '' ? undefined : joined;
}

function parseEntry(value: unknown): PackageProbe | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { status, version } = value as Record<string, unknown>;
  if (status !== 'available' && status !== 'broken' && status !== 'restricted' && status !== 'missing' && status !== 'throws')
    return undefined;
  return { status, ...(typeof version === 'string' ? { version } : {}) };
}

function parseEntries(value: unknown, names: readonly string[]): Record<string, PackageProbe> {
  const raw = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const out: Record<string, PackageProbe> = {};
  for (const name of names) {
    const entry = parseEntry(raw[name]);
    if (entry === undefined) throw new Error(`availability output has no valid entry for ${name}`);
    out[name] = entry;
  }
  return out;
}

/** Parses the expression's JSON output; throws on anything it did not promise. */
export function parseProbe(json: string, query: ProbeQuery): PinProbe {
  const raw = JSON.parse(json) as Record<string, unknown>;
  const pythons = Array.isArray(raw['pythons']) ? raw['pythons'] : [];
  const versions = pythons
    .filter((n): n is string => typeof n === 'string')
    .map((n) => /^python3(\d+)$/.exec(n)?.[1])
    .filter((minor): minor is string => minor !== undefined)
    .map((minor) => `3.${minor}`)
    .sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)));
  const pythonVersion = raw['pythonVersion'];
  return {
    pythons: versions,
    ...(typeof pythonVersion === 'string' ? { pythonVersion } : {}),
    python: parseEntries(raw['python'], query.pythonPackages),
    system: parseEntries(raw['system'], query.systemPackages),
  };
}

/**
 * Adds a throw message (from the targeted evaluation, else RENAMED) to a 'throws' entry; a throw
 * saying "not supported for interpreter" is nixpkgs' `disabled` (the package exists, not for this
 * Python): restricted.
 */
export function withThrowMessage(entry: PackageProbe, name: string, evaluated: string | undefined): PackageProbe {
  if (entry.status !== 'throws') return entry;
  if (evaluated !== undefined && /not supported for interpreter/.test(evaluated)) return { status: 'restricted', message: evaluated };
  const message = evaluated ?? findRenamed(name)?.message;
  return message === undefined ? entry : { ...entry, message };
}

/** One line for a user: "pymc 5.19.1", "aesara 2.9.3 is marked broken", "pymc3 is not available: …". */
export function describe(name: string, entry: PackageProbe): string {
  switch (entry.status) {
    case 'available':
      return `${name} ${entry.version ?? ''}`.trim();
    case 'broken':
      return `${name}${entry.version ? ` ${entry.version}` : ''} is marked broken at this pin`;
    case 'restricted':
      return `${name} is not offered for this Python at this pin${entry.message ? `: ${entry.message}` : ''}`;
    case 'missing':
      return `${name} does not exist at this pin`;
    case 'throws':
      return `${name} is not available at this pin${entry.message ? `: ${entry.message}` : ''}`;
  }
}
