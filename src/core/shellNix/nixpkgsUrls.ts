// Every way a URL can name nixpkgs, and what it pins: an exact revision (fixed), a release tag
// (fixed, but old), or a moving branch or channel (the download changes when the branch moves, so
// a fixed hash breaks). GitHub archive and tarball URLs in any case, with or without www, over
// http or https, refs/heads and refs/tags, nixos.org and channels.nixos.org channel tarballs,
// releases.nixos.org snapshots, and flake references (github:NixOS/nixpkgs/<ref>).

export type UrlPin =
  | { readonly kind: 'exact-revision'; readonly rev: string }
  | { readonly kind: 'release-tag'; readonly tag: string }
  | { readonly kind: 'branch'; readonly branch: string }
  | { readonly kind: 'channel'; readonly branch: string }
  /** A fixed channel release (releases.nixos.org/…/nixos-23.05.4461.21443a102b1a/…): immutable. */
  | { readonly kind: 'channel-release'; readonly branch: string; readonly rev?: string };

/** "23.05", "20.03": a release tag of nixpkgs (immutable, but old once newer releases exist). */
const RELEASE_TAG = /^\d{2}\.\d{2}(\.\d+)?$/;
const FULL_REV = /^[0-9a-f]{40}$/;
const SHORT_REV = /^[0-9a-f]{7,39}$/;

/** A git ref of nixpkgs: revision, tag or branch. */
export function refPin(ref: string): UrlPin {
  if (FULL_REV.test(ref) || SHORT_REV.test(ref)) return { kind: 'exact-revision', rev: ref };
  if (RELEASE_TAG.test(ref)) return { kind: 'release-tag', tag: ref };
  return { kind: 'branch', branch: ref };
}

/** What a nixpkgs URL pins, or undefined when it is not a nixpkgs URL. */
export function classifyNixpkgsUrl(url: string): UrlPin | undefined {
  const github = /^https?:\/\/(?:www\.)?github\.com\/nixos\/nixpkgs(?:-channels)?\/(archive|tarball)\/(.+?)(\.tar\.gz|\.zip)?$/i.exec(url);
  if (github !== null) {
    const ref = github[2]!.replace(/^refs\/(heads|tags)\//, '');
    return /^[\w./-]+$/.test(ref) ? refPin(ref) : undefined;
  }
  const channel = /^https?:\/\/(?:nixos\.org\/channels|channels\.nixos\.org)\/([^/]+)\/nixexprs\.tar\.xz$/i.exec(url);
  if (channel !== null) return { kind: 'channel', branch: channel[1]! };
  const release =
    /^https?:\/\/releases\.nixos\.org\/(?:nixos|nixpkgs)\/[^/]+\/((?:nixos|nixpkgs)-[^/]*?)\.\d+\.([0-9a-f]{7,40})\/nixexprs\.tar\.xz$/i.exec(
      url,
    );
  if (release !== null) return { kind: 'channel-release', branch: release[1]!, rev: release[2]! };
  const flake = /^github:nixos\/nixpkgs(?:\/([^?#]+))?(?:[?#].*)?$/i.exec(url) ?? /^(?:flake:)?nixpkgs(?:\/([^?#]+))?$/i.exec(url);
  if (flake !== null) {
    const ref = /[?&]ref=([^&#]+)/.exec(url)?.[1] ?? /[?&]rev=([0-9a-f]{7,40})/.exec(url)?.[1] ?? flake[1];
    return ref === undefined ? { kind: 'branch', branch: 'nixpkgs-unstable (the default branch)' } : refPin(ref);
  }
  return undefined;
}

/** Whether a URL or path names nixpkgs at all (also forks and mirrors that say so). */
export function looksLikeNixpkgs(url: string): boolean {
  return classifyNixpkgsUrl(url) !== undefined || /nixpkgs/i.test(url);
}

/** A moving ref: the download changes when the branch or channel moves. */
export const isMoving = (pin: UrlPin): boolean => pin.kind === 'branch' || pin.kind === 'channel';
