// The environment cache, like nix-direnv's: a captured environment is reused while nothing
// that could change it has changed: the file's bytes and its local imports, the Nix binary,
// NIX_PATH and how it was captured. Computing the key needs only reads and stats, never a Nix
// process, so a warm start runs no Nix at all.

const CACHE_VERSION = 1;

export interface KeyInputs {
  /** sha256 of the shell file's bytes. */
  readonly fileHash: string;
  /** Local files the shell file imports, with the sha256 of each ('missing' when absent). */
  readonly imports: readonly { readonly path: string; readonly hash: string }[];
  /** Identity of the nix binary that captured (resolved path, size, mtime): changes when Nix is upgraded. */
  readonly nixIdentity: string;
  readonly nixPath: string;
  readonly method: string;
  /** A flake's devShell other than its default: a different environment from the same files. */
  readonly shell?: string;
}

/** The text whose hash is the cache key: stable field order. */
export function keyMaterial(inputs: KeyInputs): string {
  return JSON.stringify([
    CACHE_VERSION,
    inputs.fileHash,
    inputs.imports.map((i) => [i.path, i.hash]),
    inputs.nixIdentity,
    inputs.nixPath,
    inputs.method,
    // Only when there is one, so the keys of every other environment stay what they were.
    ...(inputs.shell === undefined ? [] : [inputs.shell]),
  ]);
}

export interface CacheEntry {
  readonly version: typeof CACHE_VERSION;
  readonly key: string;
  readonly file: string;
  readonly capturedAt: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly pathPrefix: readonly string[];
  readonly python?: string;
  /** Store paths the environment uses: all must still exist for the entry to be used. */
  readonly storePaths: readonly string[];
}

const isStringRecord = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

/** Reads a cache file's text; anything corrupt or from another version is undefined (and discarded by the caller). */
export function parseCacheEntry(text: string): CacheEntry | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const e = raw as Record<string, unknown>;
  if (
    e['version'] !== CACHE_VERSION ||
    typeof e['key'] !== 'string' ||
    typeof e['file'] !== 'string' ||
    typeof e['capturedAt'] !== 'string'
  )
    return undefined;
  if (!isStringRecord(e['variables']) || !isStringArray(e['pathPrefix']) || !isStringArray(e['storePaths'])) return undefined;
  if (e['python'] !== undefined && typeof e['python'] !== 'string') return undefined;
  if (!e['storePaths'].every((p) => p.startsWith('/nix/store/'))) return undefined;
  return raw as CacheEntry;
}
