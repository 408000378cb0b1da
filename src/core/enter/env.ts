// The environment of a Nix shell, as data: parsed from `nix print-dev-env --json` or from
// nix-shell's `env -0`, reduced to what differs from the base environment.
import { ENV_MARKER } from '../nix/argv';

export type Variables = Readonly<Record<string, string>>;

/**
 * Variables that describe the build sandbox or the shell session rather than the
 * environment: applying them to a terminal would break it (HOME=/homeless-shelter,
 * TMPDIR of a deleted build dir, a certificate file that does not exist).
 */
const SESSION_VARIABLES = new Set([
  'HOME',
  'PWD',
  'OLDPWD',
  'SHLVL',
  '_',
  'TERM',
  'TZ',
  'USER',
  'LOGNAME',
  'SHELL',
  'HOSTNAME',
  'TMP',
  'TMPDIR',
  'TEMP',
  'TEMPDIR',
  'NIX_BUILD_TOP',
  'NIX_LOG_FD',
  'NIX_BUILD_CORES',
  'NIX_ENFORCE_PURITY',
  'SSL_CERT_FILE',
  'NIX_SSL_CERT_FILE',
  'shellHook',
  'builder',
  'BASH_FUNC_',
  'LINES',
  'COLUMNS',
  'PS1',
]);

function isSessionVariable(name: string): boolean {
  return SESSION_VARIABLES.has(name) || name.startsWith('BASH_FUNC_');
}

/** Parses the stdout of nix-shell's capture script: anything before the marker is shellHook output. */
export function parseEnvNul(stdout: string): Record<string, string> {
  const fields = stdout.split('\u0000');
  const start = fields.lastIndexOf(ENV_MARKER);
  if (start < 0) throw new Error('the environment marker is missing from nix-shell output');
  const variables: Record<string, string> = {};
  for (const field of fields.slice(start + 1)) {
    const eq = field.indexOf('=');
    if (eq <= 0) continue;
    variables[field.slice(0, eq)] = field.slice(eq + 1);
  }
  return variables;
}

/** Parses `nix print-dev-env --json`: exported string variables only. */
export function parseDevEnvJson(text: string): Record<string, string> {
  const json: unknown = JSON.parse(text);
  const raw = (json as { variables?: unknown }).variables;
  if (typeof raw !== 'object' || raw === null) throw new Error('print-dev-env output has no "variables"');
  const variables: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const entry = value as { type?: unknown; value?: unknown };
    if (entry.type === 'exported' && typeof entry.value === 'string') variables[name] = entry.value;
  }
  return variables;
}

/** What the shell adds or changes relative to the base environment, minus session variables. */
export function environmentDelta(captured: Variables, base: Variables): Record<string, string> {
  const delta: Record<string, string> = {};
  for (const [name, value] of Object.entries(captured)) {
    if (isSessionVariable(name) || base[name] === value) continue;
    delta[name] = value;
  }
  return delta;
}

/** The PATH entries the shell puts in front of (or instead of) the base PATH, in order, without duplicates. */
export function pathPrefix(capturedPath: string, basePath: string): string[] {
  const base = new Set(basePath.split(':').filter((dir) => dir !== ''));
  const seen = new Set<string>();
  const prefix: string[] = [];
  for (const dir of capturedPath.split(':')) {
    if (dir === '' || base.has(dir) || seen.has(dir) || dir === '/path-not-set') continue;
    seen.add(dir);
    prefix.push(dir);
  }
  return prefix;
}

/** Places to look for an executable, in PATH order. */
export function executableCandidates(path: string, name: string): string[] {
  return path
    .split(':')
    .filter((dir) => dir.startsWith('/'))
    .map((dir) => `${dir.replace(/\/+$/, '')}/${name}`);
}

/** The /nix/store/<hash>-<name> roots mentioned in an environment (for cheap existence checks). */
export function storePathsIn(variables: Variables): string[] {
  const found = new Set<string>();
  for (const value of Object.values(variables)) {
    for (const match of value.matchAll(/\/nix\/store\/[0-9a-df-np-sv-z]{32}-[A-Za-z0-9+._?=-]+/g)) found.add(match[0]);
  }
  return [...found].sort();
}
