// Everything that reaches a Nix file or a command line passes through here first.
// Each check returns undefined when the value is fine, else a message saying what is
// wrong in words a user can act on.

/** Nix keywords cannot be used as bare attribute names. */
export const NIX_KEYWORDS: ReadonlySet<string> = new Set(['if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec', 'inherit', 'or']);

/** A bare Nix identifier: what `with ps; [ name ]` accepts. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_'-]*$/;

/** Nix's base-32 alphabet (no e, o, u, t). A sha256 is 52 characters of it. */
const NIX_BASE32 = /^[0123456789abcdfghijklmnpqrsvwxyz]{52}$/;

export function checkAttributeName(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > 100) return 'is longer than 100 characters';
  if (!IDENTIFIER.test(name)) {
    return `"${name}" is not a Nix attribute name (letters, digits, _, ' and -, not starting with a digit or -)`;
  }
  if (NIX_KEYWORDS.has(name)) return `"${name}" is a Nix keyword, not a package`;
  return undefined;
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
  return `"${hash}" is not a Nix base-32 sha256 (52 characters of 0-9 and a-z without e, o, t, u); get it with nix-prefetch-url --unpack URL`;
}

/** A pin's tarball URL: https or file, nothing that could break out of a Nix string. */
export function checkPinUrl(url: string): string | undefined {
  // Plain http only on this machine: a local mirror or cache (and the tests' channel server).
  const loopback = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(url);
  if (!/^(https|file):\/\//.test(url) && !loopback)
    return `"${url}" must start with https:// or file:// (http:// only for 127.0.0.1 or localhost)`;
  if (/[\s"\\$`{}]/.test(url) || /[\u0000-\u001f\u007f]/.test(url)) {
    return 'contains spaces, quotes, backslashes, braces or $, which a pin URL never needs';
  }
  try {
    new URL(url);
  } catch {
    return `"${url}" is not a valid URL`;
  }
  return undefined;
}

/** Environment names become the derivation name and a folder name. */
export function checkEnvName(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > 64) return 'is longer than 64 characters';
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(name)) {
    return `"${name}" may contain only letters, digits, ".", "_", "+" and "-", starting with a letter or digit`;
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
