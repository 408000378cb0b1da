// Updating a pin: a channel's current revision (the channel's `git-revision` file under a
// channel base URL, https://channels.nixos.org by default, so a mirror works), the tarball
// URL for that revision (a template, GitHub's archive by default, so a mirror can serve the
// tarballs too), and what changes for an environment between the old and the new pin.
import type { PackageProbe, PinProbe } from './probe';
import type { PinRef } from './pins';
import type { EnvSpec } from '../spec/spec';
import { PplNixError } from '../errors';
import { checkPinUrl } from '../spec/validate';

export const DEFAULT_CHANNEL_BASE_URL = 'https://channels.nixos.org';
/** Where a channel's current revision is read, and the tarball URL written for a revision. */
export interface ChannelSources {
  readonly channelBaseUrl: string;
  /** {rev} is replaced by the 40-hex revision. */
  readonly tarballUrlTemplate: string;
}

/** {rev} is replaced by the 40-hex revision. */
export const DEFAULT_TARBALL_URL_TEMPLATE = 'https://github.com/NixOS/nixpkgs/archive/{rev}.tar.gz';
/** Offered first in the channel quick pick; any valid channel name may be typed. */
export const SUGGESTED_CHANNELS: readonly string[] = ['nixos-25.11', 'nixos-25.05', 'nixos-unstable', 'nixpkgs-unstable'];

export function checkChannel(name: string): string | undefined {
  return /^(nixos|nixpkgs)-[a-z0-9][a-z0-9.-]{0,30}$/.test(name)
    ? undefined
    : `"${name}" is not a channel name like nixos-25.05 or nixos-unstable`;
}

/** The URL of a channel's git-revision file; throws on a base URL or channel name that is not valid. */
export function gitRevisionUrl(baseUrl: string, channel: string): string {
  const problem = checkChannel(channel) ?? checkBaseUrl(baseUrl);
  if (problem !== undefined) throw new PplNixError({ kind: 'invalidInput', field: 'channelBaseUrl', value: baseUrl }, problem);
  return `${baseUrl.replace(/\/+$/, '')}/${channel}/git-revision`;
}

function checkBaseUrl(url: string): string | undefined {
  const problem = checkPinUrl(`${url.replace(/\/+$/, '')}/x`);
  return problem === undefined ? undefined : `channel base URL ${problem}`;
}

/** The revision in a git-revision file (40 hex digits, maybe a newline), else undefined. */
export function parseGitRevision(text: string): string | undefined {
  const trimmed = text.trim();
  return /^[0-9a-f]{40}$/.test(trimmed) ? trimmed : undefined;
}

export function tarballUrl(template: string, rev: string): string {
  const invalid = (message: string): PplNixError =>
    new PplNixError({ kind: 'invalidInput', field: 'tarballUrlTemplate', value: template }, message);
  if (!template.includes('{rev}')) throw invalid('the tarball URL template must contain {rev}');
  if (!/^[0-9a-f]{40}$/.test(rev)) throw invalid(`"${rev}" is not a nixpkgs revision`);
  const url = template.replace(/\{rev\}/g, rev);
  const problem = checkPinUrl(url);
  if (problem !== undefined) throw invalid(`tarball URL ${problem}`);
  return url;
}

/** The pin written for a channel revision: "nixos-25.05 (3e41b24abd26)". */
export function channelPin(channel: string, rev: string, url: string, sha256: string): PinRef {
  return { label: `${channel} (${rev.slice(0, 12)})`, url, sha256 };
}

export type PinChange =
  | { readonly kind: 'disappears'; readonly name: string; readonly detail: string }
  | { readonly kind: 'breaks'; readonly name: string; readonly detail: string }
  | { readonly kind: 'fixed'; readonly name: string; readonly detail: string }
  | { readonly kind: 'version'; readonly name: string; readonly from: string; readonly to: string };

const usable = (e: PackageProbe | undefined): boolean => e?.status === 'available';

/** What changes for an environment's packages from the old pin to the new one. */
export function pinChanges(before: PinProbe, after: PinProbe, python: string): PinChange[] {
  const changes: PinChange[] = [];
  if (before.pythonVersion !== undefined && after.pythonVersion === undefined) {
    changes.push({
      kind: 'disappears',
      name: `python ${python}`,
      detail: `Python ${python} is not offered (the new pin has ${after.pythons.join(', ')})`,
    });
  } else if (before.pythonVersion !== undefined && after.pythonVersion !== undefined && before.pythonVersion !== after.pythonVersion) {
    changes.push({ kind: 'version', name: `python ${python}`, from: before.pythonVersion, to: after.pythonVersion });
  }
  const compare = (old: Readonly<Record<string, PackageProbe>>, fresh: Readonly<Record<string, PackageProbe>>, prefix: string): void => {
    for (const name of Object.keys({ ...old, ...fresh }).sort()) {
      const a = old[name];
      const b = fresh[name];
      const label = `${prefix}${name}`;
      if (b?.status === 'broken' && a?.status !== 'broken')
        changes.push({ kind: 'breaks', name: label, detail: `${label} is marked broken at the new pin` });
      else if ((b?.status === 'missing' || b?.status === 'throws' || b?.status === 'restricted') && a?.status !== b.status) {
        changes.push({
          kind: 'disappears',
          name: label,
          detail: `${label} is not available at the new pin${b.message ? `: ${b.message}` : ''}`,
        });
      } else if (usable(b) && a !== undefined && !usable(a))
        changes.push({ kind: 'fixed', name: label, detail: `${label} is available again (${b!.version ?? '?'})` });
      else if (usable(a) && usable(b) && a!.version !== b!.version)
        changes.push({ kind: 'version', name: label, from: a!.version ?? '?', to: b!.version ?? '?' });
    }
  };
  compare(before.python, after.python, '');
  compare(before.system, after.system, 'pkgs.');
  return changes;
}

export function describeChange(change: PinChange): string {
  return change.kind === 'version' ? `${change.name}: ${change.from} → ${change.to}` : change.detail;
}

/** Changes that make the environment fail to build: the user must look before agreeing. */
export const isBreaking = (change: PinChange): boolean => change.kind === 'disappears' || change.kind === 'breaks';

export function withPin(spec: EnvSpec, pin: PinRef): EnvSpec {
  return { ...spec, pin };
}
