// Everything that reaches a Nix file or a command line passes through here first.
// Each check returns undefined when the value is fine, else a message saying what is
// wrong in words a user can act on.

/** Nix keywords cannot be used as bare attribute names. */
export const NIX_KEYWORDS: ReadonlySet<string> = new Set(['if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec', 'inherit', 'or']);

/** A bare Nix identifier: what `with ps; [ name ]` accepts. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_'-]*$/;

/** Nix's base-32 alphabet (no e, o, u, t). A sha256 is 52 characters of it. */
const NIX_BASE32 = /^[0123456789abcdfghijklmnpqrsvwxyz]{52}$/;

/**
 * Names a bare package in `with ps; [ … ]` cannot have: `with` loses to the file's own bindings
 * (pkgs, nixpkgs, python, ps) and to Nix's global builtins, so such a name would silently mean
 * that binding instead of the package.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  'pkgs',
  'nixpkgs',
  'python',
  'ps',
  'builtins',
  'import',
  'true',
  'false',
  'null',
  'throw',
  'abort',
  'derivation',
  'derivationStrict',
  'toString',
  'map',
  'removeAttrs',
  'baseNameOf',
  'dirOf',
  'isNull',
  'fetchTarball',
  'fetchGit',
  'fetchMercurial',
  'fetchTree',
  'fetchurl',
  'placeholder',
  'scopedImport',
  'fromTOML',
]);

export function checkAttributeName(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > 100) return 'is longer than 100 characters';
  if (!IDENTIFIER.test(name)) {
    return `"${shown(name)}" is not a Nix attribute name (letters, digits, _, ' and -, not starting with a digit or -)`;
  }
  if (NIX_KEYWORDS.has(name)) return `"${name}" is a Nix keyword, not a package`;
  if (name.startsWith('__')) return `"${name}" is a Nix builtin, not a package`;
  return undefined;
}

/** A Python package listed bare in `with ps; [ … ]`: an attribute name that no binding of the file shadows. */
export function checkPackageName(name: string): string | undefined {
  const problem = checkAttributeName(name);
  if (problem !== undefined) return problem;
  if (RESERVED_NAMES.has(name)) return `"${name}" is a name the file itself or Nix defines, so it cannot be listed as a package`;
  return undefined;
}

/** Characters that break a line, or control the terminal: never in a label, a comment or a message. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Half of a UTF-16 surrogate pair without its other half: not text; written as UTF-8 it becomes �. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a string is well-formed Unicode text (no lone surrogate), so a file holds exactly it. */
export const isWellFormed = (value: string): boolean => !LONE_SURROGATE.test(value);

/** Up to `max` characters of a user's value, unprintable characters shown as �, for messages. */
export function shown(value: string, max = 60): string {
  const clipped = value.length > max ? `${value.slice(0, max)}…` : value;
  return clipped.replace(new RegExp(UNPRINTABLE.source, 'g'), '\ufffd').replace(new RegExp(LONE_SURROGATE.source, 'g'), '\ufffd');
}

/**
 * A pin's label: it is written into a Nix comment and shown in pickers and terminals, so it is
 * one line of printable text, bounded. (A newline would end the comment and start code.)
 */
export function checkLabel(label: string): string | undefined {
  if (label.trim() === '') return 'is empty';
  if (label !== label.trim()) return 'starts or ends with a space';
  if (label.length > 80) return 'is longer than 80 characters';
  if (UNPRINTABLE.test(label)) return `"${shown(label)}" contains a line break or a control character`;
  if (!isWellFormed(label)) return `"${shown(label)}" is not valid Unicode text (a lone surrogate)`;
  return undefined;
}

/** The Python version: what pythonAttribute accepts. */
export function checkPythonVersion(version: string): string | undefined {
  return pythonAttribute(version) === undefined ? `"${shown(version)}" is not a Python version like 3.12` : undefined;
}

/** A top-level package path such as `cmdstan` or `llvmPackages_17.clang`. */
export function checkAttributePath(path: string): string | undefined {
  if (path.length === 0) return 'is empty';
  for (const part of path.split('.')) {
    const problem = checkAttributeName(part);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

export function checkSha256(hash: string): string | undefined {
  if (NIX_BASE32.test(hash)) return undefined;
  if (/^sha256-[A-Za-z0-9+/]{43}=$/.test(hash)) {
    return 'is an SRI hash; use the 52-character Nix base-32 form (nix hash to-base32 or nix-prefetch-url --unpack prints it)';
  }
  return `"${shown(hash)}" is not a Nix base-32 sha256 (52 characters of 0-9 and a-z without e, o, t, u); get it with nix-prefetch-url --unpack URL`;
}

/** A pin's tarball URL: https or file, nothing that could break out of a Nix string. */
export function checkPinUrl(url: string): string | undefined {
  // Plain http only on this machine: a local mirror or cache (and the tests' channel server).
  const loopback = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(url);
  if (!/^(https|file):\/\//.test(url) && !loopback)
    return `"${shown(url)}" must start with https:// or file:// (http:// only for 127.0.0.1 or localhost)`;
  if (/[\s"\\$`{}]/.test(url) || /[\u0000-\u001f\u007f]/.test(url)) {
    return 'contains spaces, quotes, backslashes, braces or $, which a pin URL never needs';
  }
  try {
    new URL(url);
  } catch {
    return `"${shown(url)}" is not a valid URL`;
  }
  return undefined;
}

/** Environment names become the derivation name and a folder name. */
export function checkEnvName(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > 64) return 'is longer than 64 characters';
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(name)) {
    return `"${shown(name)}" may contain only letters, digits, ".", "_", "+" and "-", starting with a letter or digit`;
  }
  return undefined;
}

/** Turns any folder name into a valid environment name ("My Project!" → "my-project"). */
export function toEnvName(raw: string): string {
  const cleaned = raw
    .toLowerCase()
    .replace(/[^a-z0-9._+-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '')
    .slice(0, 64);
  return cleaned.length > 0 ? cleaned : 'ppl-env';
}

/** "3.12" → "python312"; undefined when the string is not a CPython 3 version. */
export function pythonAttribute(version: string): string | undefined {
  const match = /^3\.(\d{1,2})$/.exec(version);
  return match ? `python3${match[1]}` : undefined;
}
