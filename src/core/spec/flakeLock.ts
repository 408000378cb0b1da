// The nixpkgs input of a PPL Nix flake and its flake.lock, pinned to the same tarball as a
// shell.nix: fetchTarball's sha256 is the NAR hash of the unpacked tarball, which is what a lock
// file records as `narHash` (SRI form). Read in Nix 2.8's sources (src/libexpr/flake/lockfile.cc,
// src/libfetchers/{fetchers,github,tarball}.cc at tag 2.8.0):
// - version 7, `root` names the root node, `nodes.<key>` holds `locked`, `original` and, for an
//   input with `flake = false`, `"flake": false`; the file is the JSON with sorted keys, two-space
//   indented, and a final newline (nlohmann dump(2)).
// - A lock is kept as it is when a node's `original` equals the input as flake.nix spells it (the
//   attributes of its URL); a `locked` with a narHash (or a rev) is "locked" (not mutable).
// - github: type, owner, repo, rev, narHash, lastModified. Without lastModified the lock is still
//   accepted, but Nix downloads the tarball instead of taking it from the store by its hash, and a
//   wrong one fails ("'lastModified' attribute mismatch"): so a GitHub pin is written as a github
//   input only when its lastModified is known (the shipped pins), else as a tarball input.
// - tarball: only type, url, narHash (and name) are allowed: any other attribute is refused.
import { convertHash, normalHash } from '../nix/hashes';
import { HISTORICAL_PINS, revisionOf, SHIPPED_PINS, type PinRef } from '../pins/pins';

export type NixpkgsInput =
  { readonly type: 'github'; readonly rev: string; readonly lastModified: number } | { readonly type: 'tarball'; readonly url: string };

/** How a pin is written as a flake input: github:NixOS/nixpkgs/<rev> when Nix can lock it completely, else a tarball. */
export function nixpkgsInput(pin: PinRef): NixpkgsInput {
  const rev = revisionOf(pin.url);
  const hash = normalHash(pin.sha256);
  const known = rev === undefined ? undefined : [...SHIPPED_PINS, ...HISTORICAL_PINS].find((p) => p.rev === rev && p.sha256 === hash);
  return rev !== undefined && known?.lastModified !== undefined
    ? { type: 'github', rev, lastModified: known.lastModified }
    : { type: 'tarball', url: pin.url };
}

/** The attributes flake.nix gives the input (besides `flake = false`), as Nix reads them back into `original`. */
function original(input: NixpkgsInput): Record<string, string> {
  return input.type === 'github'
    ? { owner: 'NixOS', repo: 'nixpkgs', rev: input.rev, type: 'github' }
    : { type: 'tarball', url: input.url };
}

/** The lock node of the nixpkgs input. */
function nixpkgsNode(pin: PinRef): Record<string, unknown> {
  const input = nixpkgsInput(pin);
  const narHash = convertHash(pin.sha256, 'sri');
  if (narHash === undefined) throw new Error(`not a sha256: ${pin.sha256}`);
  const locked =
    input.type === 'github' ? { ...original(input), narHash, lastModified: input.lastModified } : { ...original(input), narHash };
  return { flake: false, locked, original: original(input) };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Nix's own layout: keys sorted at every level, two spaces, a final newline. */
function serialize(value: unknown): string {
  const sorted = (item: unknown): Json => {
    if (Array.isArray(item)) return item.map(sorted);
    if (typeof item !== 'object' || item === null) return item as Json;
    const record = item as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .map((key) => [key, sorted(record[key])]),
    );
  };
  return `${JSON.stringify(sorted(value), null, 2)}\n`;
}

/** flake.lock of a PPL Nix flake: its one input, nixpkgs, locked to the pin's NAR hash. */
export function renderFlakeLock(pin: PinRef): string {
  return serialize({ nodes: { nixpkgs: nixpkgsNode(pin), root: { inputs: { nixpkgs: 'nixpkgs' } } }, root: 'root', version: 7 });
}

export type LockPlan =
  | { readonly kind: 'create' | 'update'; readonly text: string; readonly unchanged: boolean }
  /** Not a lock PPL Nix can update in place (not JSON, another version) or a fresh flake.nix: replaced, with a backup. */
  | { readonly kind: 'replace'; readonly text: string; readonly reason: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What writing the lock means. `keepOthers`: flake.nix is PPL Nix's and is being updated, so the
 * lock's other nodes (inputs the user added and locked) are kept and only the nixpkgs node is
 * rewritten; otherwise (a new or replaced flake.nix) the lock is written afresh.
 */
export function planFlakeLock(existing: string | undefined, pin: PinRef, keepOthers: boolean): LockPlan {
  const fresh = renderFlakeLock(pin);
  if (existing === undefined) return { kind: 'create', text: fresh, unchanged: false };
  if (existing === fresh) return { kind: 'update', text: fresh, unchanged: true };
  if (!keepOthers) return { kind: 'replace', text: fresh, reason: 'flake.lock belonged to another flake.nix' };
  let lock: unknown;
  try {
    lock = JSON.parse(existing);
  } catch {
    return { kind: 'replace', text: fresh, reason: 'flake.lock is not JSON' };
  }
  if (!isRecord(lock) || lock['version'] !== 7 || !isRecord(lock['nodes']) || typeof lock['root'] !== 'string')
    return { kind: 'replace', text: fresh, reason: 'flake.lock is not a version 7 lock file' };
  const nodes = lock['nodes'];
  const rootNode = nodes[lock['root']];
  if (!isRecord(rootNode)) return { kind: 'replace', text: fresh, reason: 'flake.lock has no root node' };
  const inputs = isRecord(rootNode['inputs']) ? rootNode['inputs'] : {};
  const current = inputs['nixpkgs'];
  // Reuse the node's key unless another node shares it (then it keeps the old node).
  const shared =
    typeof current === 'string' &&
    Object.entries(nodes).some(
      ([key, node]) =>
        key !== lock['root'] && isRecord(node) && isRecord(node['inputs']) && Object.values(node['inputs']).includes(current),
    );
  let key = 'nixpkgs';
  if (typeof current === 'string' && !shared) key = current;
  else for (let n = 2; key in nodes; n++) key = `nixpkgs_${n}`;
  const text = serialize({
    ...lock,
    nodes: { ...nodes, [key]: nixpkgsNode(pin), [lock['root']]: { ...rootNode, inputs: { ...inputs, nixpkgs: key } } },
  });
  return { kind: 'update', text, unchanged: text === existing };
}
