// The names a Python environment is written with in Nix: interpreters (python39, python3),
// package sets (python312Packages, python3.pkgs), helpers of a set that are not packages, the
// attributes of a shell whose lists are its packages.

/** python39 → "3.9", python3 → undefined; undefined also for anything else. */
export function pythonVersionOf(attr: string): string | undefined {
  const match = /^python3(\d{1,2})$/.exec(attr);
  return match === null ? undefined : `3.${match[1]}`;
}
export const isPythonAttr = (name: string | undefined): name is string => name !== undefined && /^python3?\d*$/.test(name);
export const isPythonSetAttr = (name: string | undefined): name is string => name !== undefined && /^python3?\d*Packages$/.test(name);

/** Helpers of a Python package set that are not packages. */
const PYTHON_HELPERS = new Set([
  'buildPythonPackage',
  'buildPythonApplication',
  'fetchPypi',
  'python',
  'callPackage',
  'pythonOlder',
  'pythonAtLeast',
  'toPythonModule',
  'toPythonApplication',
  'withPackages',
  'buildEnv',
  'override',
  'overrideScope',
  'pkgs',
  'isPy3k',
  'isPy27',
  'overridePythonAttrs',
  'overrideAttrs',
  'stdenv',
  'lib',
  'fetchFromGitHub',
  'fetchurl',
]);
export const isHelper = (name: string): boolean => PYTHON_HELPERS.has(name) || /[Hh]ook$/.test(name);

/** Top-level helpers that are not system packages. */
export const NIX_HELPERS = new Set([
  'mkShell',
  'mkShellNoCC',
  'stdenv',
  'lib',
  'fetchurl',
  'fetchFromGitHub',
  'fetchTarball',
  'callPackage',
  'writeShellScriptBin',
  'writeShellScript',
  'writeText',
  'buildEnv',
  'runCommand',
  'symlinkJoin',
  'pkgs',
  'config',
  'system',
  'overlays',
  'builtins',
]);

/** Attributes of a shell or derivation whose lists are the environment's packages. */
export const PACKAGE_LISTS = new Set([
  'buildInputs',
  'nativeBuildInputs',
  'packages',
  'propagatedBuildInputs',
  'propagatedNativeBuildInputs',
  'checkInputs',
  'dependencies',
]);

export const versionField = (attr: string | undefined): { python?: string } => {
  const version = attr === undefined ? undefined : pythonVersionOf(attr);
  return version === undefined ? {} : { python: version };
};

/**
 * Whether `names[0..i)` (a non-empty prefix of a select path) can be a Python set by its names:
 * `…python3Packages`, `…python3.pkgs`, `…pythonPackages.python.pkgs`. (pythonSetOf decides.)
 */
export function mayEndInPythonSet(names: readonly (string | undefined)[], i: number): boolean {
  const last = names[i - 1];
  if (isPythonSetAttr(last)) return true;
  if (last !== 'pkgs') return false;
  if (i === 1) return true; // `python.pkgs`: the target decides
  const before = names[i - 2];
  return isPythonAttr(before) || (before === 'python' && i >= 3 && isPythonSetAttr(names[i - 3]));
}
