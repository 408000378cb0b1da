// argv for every Nix command PPL Nix runs. Always arrays, never shell strings; the only
// script text (the capture script given to nix-shell --run) is a constant.
import { checkPinUrl, NIX_KEYWORDS } from '../spec/validate';

export interface Argv {
  readonly command: string;
  readonly args: readonly string[];
}

/** Marks where `env -0` output starts, after whatever the shellHook printed. */
export const ENV_MARKER = '__PPL_NIX_ENV_BEGIN__';

/** Run by nix-shell after the shellHook: a NUL-framed marker, then the environment. */
export const CAPTURE_SCRIPT = `printf '\\000%s\\000' ${ENV_MARKER}; env -0`;

const NIX_COMMAND = ['--extra-experimental-features', 'nix-command'] as const;

/** Files are passed as absolute paths, so no file name can be read as an option. */
function absolute(file: string): string {
  if (!file.startsWith('/') || file.includes('\u0000')) throw new Error(`expected an absolute path, got ${JSON.stringify(file)}`);
  return file;
}

/** `nix print-dev-env --json` (Nix ≥ 2.4): the shell's variables as JSON, without running shellHook. */
export function printDevEnv(file: string): Argv {
  return { command: 'nix', args: [...NIX_COMMAND, 'print-dev-env', '--json', '--file', absolute(file)] };
}

/** A flake is entered through its directory; lock files are never written into the user's folder. */
export function isFlake(file: string): boolean {
  return file.endsWith('/flake.nix');
}

/**
 * A devShell name PPL Nix passes in `path:DIR#name`: a Nix identifier without `'` (it also names a
 * folder and a cache file), never `default` (the flake's default is entered without a name, so Nix
 * also finds a legacy `devShell.<system>`).
 */
export function checkDevShellName(name: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(name))
    return `"${name.slice(0, 64)}" is not a devShell name PPL Nix enters (letters, digits, _ and -)`;
  if (NIX_KEYWORDS.has(name)) return `"${name}" is a Nix keyword`;
  if (name === 'default') return 'the default devShell is entered without a name';
  return undefined;
}

/** A Nix system double as Nix spells it: x86_64-linux, aarch64-darwin. */
export function checkSystem(system: string): string | undefined {
  return /^[a-z0-9_]+-[a-z0-9_]+$/.test(system) ? undefined : `"${system.slice(0, 40)}" is not a Nix system such as x86_64-linux`;
}

/** `path:DIR`, or `path:DIR#name` for a devShell other than the default (validated, so no name reaches Nix unchecked). */
function flakeRef(file: string, shell?: string): string {
  const dir = absolute(file).slice(0, -'/flake.nix'.length);
  // Nix 2.8 reads `?` and `#` in a path: flake reference as a query and a fragment, and does not unescape %xx there.
  if (/[?#]/.test(dir)) throw new Error(`a flake in a folder whose path contains ? or # cannot be named to Nix: ${JSON.stringify(dir)}`);
  if (shell === undefined) return `path:${dir}`;
  const problem = checkDevShellName(shell);
  if (problem !== undefined) throw new Error(problem);
  return `path:${dir}#${shell}`;
}
const FLAKES = ['--extra-experimental-features', 'nix-command flakes'] as const;

/** `nix print-dev-env --json path:DIR[#name]`: a devShell of a flake (its default without a name). */
export function printDevEnvFlake(file: string, shell?: string): Argv {
  return { command: 'nix', args: [...FLAKES, 'print-dev-env', '--json', '--no-write-lock-file', flakeRef(file, shell)] };
}

/**
 * The names of a flake's devShells for one system, asked of Nix (it evaluates the flake: trusted
 * workspaces only): `nix eval --json path:DIR#devShells.SYSTEM --apply builtins.attrNames`.
 */
export function flakeDevShellNames(file: string, system: string): Argv {
  const problem = checkSystem(system);
  if (problem !== undefined) throw new Error(problem);
  const ref = `${flakeRef(file)}#devShells.${system}`;
  return { command: 'nix', args: [...FLAKES, 'eval', '--json', '--no-write-lock-file', ref, '--apply', 'builtins.attrNames'] };
}

/** The interactive shell of an environment: nix-shell FILE, or nix develop for a flake (one of its devShells). */
export function interactiveShell(file: string, shell?: string): Argv {
  return isFlake(file)
    ? { command: 'nix', args: [...FLAKES, 'develop', '--no-write-lock-file', flakeRef(file, shell)] }
    : nixShellInteractive(file);
}

/** nix-shell FILE --run CAPTURE_SCRIPT: works on every Nix, runs the shellHook. */
export function nixShellCapture(file: string): Argv {
  return { command: 'nix-shell', args: [absolute(file), '--run', CAPTURE_SCRIPT] };
}

/** An interactive nix-shell, for terminals. */
function nixShellInteractive(file: string): Argv {
  return { command: 'nix-shell', args: [absolute(file)] };
}

/** Instantiates the shell's derivation and registers an indirect GC root for it. */
export function instantiateWithRoot(file: string, gcRoot: string): Argv {
  return { command: 'nix-instantiate', args: [absolute(file), '--add-root', absolute(gcRoot), '--indirect'] };
}

/** Realises store paths and roots them, so nix-collect-garbage keeps the environment. */
export function realiseWithRoot(storePaths: readonly string[], gcRoot: string): Argv {
  for (const path of storePaths) if (!path.startsWith('/nix/store/')) throw new Error(`not a store path: ${path}`);
  return { command: 'nix-store', args: ['--realise', ...storePaths, '--add-root', absolute(gcRoot), '--indirect'] };
}

/** Parses a file without evaluating it: a syntax check that runs no user code. */
export function parseOnly(file: string): Argv {
  return { command: 'nix-instantiate', args: ['--parse', absolute(file)] };
}

/** Evaluates an expression PPL Nix generated (never user text) to JSON. */
export function evalJson(expression: string): Argv {
  return { command: 'nix-instantiate', args: ['--eval', '--strict', '--json', '--expr', expression] };
}

/** Downloads and unpacks a tarball, printing its Nix base-32 sha256 (what fetchTarball wants). */
export function prefetchTarball(url: string): Argv {
  const problem = checkPinUrl(url);
  if (problem !== undefined) throw new Error(`pin URL ${problem}`);
  return { command: 'nix-prefetch-url', args: ['--unpack', '--type', 'sha256', url] };
}

export function nixVersion(): Argv {
  return { command: 'nix', args: ['--version'] };
}

/** "nix (Nix) 2.8.0" → [2, 8, 0]. */
export function parseNixVersion(output: string): readonly [number, number, number] | undefined {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/** `nix print-dev-env` exists from Nix 2.4 on. */
export function supportsPrintDevEnv(version: readonly [number, number, number]): boolean {
  return version[0] > 2 || (version[0] === 2 && version[1] >= 4);
}
