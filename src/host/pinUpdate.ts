// Updating a PPL Nix file's pin to a channel's current revision: resolve the revision over
// HTTP, hash the tarball with nix-prefetch-url, compare availability at the old and the new
// pin, and (only once the caller has the user's consent) rewrite the managed blocks.
import {
  channelPin,
  gitRevisionUrl,
  parseGitRevision,
  pinChanges,
  tarballUrl,
  withPin,
  type ChannelSources,
  type PinChange,
} from '../core/pins/channel';
import { PplNixError } from '../core/errors';
import type { PinRef } from '../core/pins/pins';
import { resolve } from '../core/spec/render';
import type { EnvSpec } from '../core/spec/spec';
import type { PinProbeService, EvalOptions } from './pinProbe';
import type { NixService } from './nix';
import { writeSpec, type WriteOutcome } from './shellFiles';

/** The PPL Nix file to update, as read once by the caller. */
export interface ManagedFile {
  readonly file: string;
  /** The file's text when it was read: the write refuses if it changed meanwhile. */
  readonly text: string;
  readonly spec: EnvSpec;
}

export interface PinUpdatePlan {
  readonly file: string;
  readonly text: string;
  readonly channel: string;
  readonly rev: string;
  readonly oldPin: PinRef;
  readonly newPin: PinRef;
  readonly spec: EnvSpec;
  readonly changes: readonly PinChange[];
  /** The file already uses this revision's tarball and hash. */
  readonly unchanged: boolean;
  /** Why the old and new pin could not be compared (the old pin failed to evaluate), if so. */
  readonly comparisonProblem?: string;
}

const FETCH_TIMEOUT_MS = 30_000;
/** A git-revision file is 41 bytes; a mirror answering with more is not one. */
const MAX_REVISION_BYTES = 4096;

/** The body's first `limit` bytes as text; the rest is never downloaded. */
async function readLimited(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/** The channel's current revision, from its git-revision file. */
async function fetchChannelRevision(sources: ChannelSources, channel: string, signal?: AbortSignal): Promise<string> {
  const url = gitRevisionUrl(sources.channelBaseUrl, channel);
  const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(url, { signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]) });
  } catch (error) {
    if (signal?.aborted === true) throw new PplNixError({ kind: 'cancelled', command: 'fetch' }, 'Cancelled');
    throw new PplNixError(
      { kind: 'downloadFailed', url, reason: (error as Error).message },
      `Could not download ${url}: ${(error as Error).message}. Are you offline?`,
    );
  }
  if (!response.ok) {
    throw new PplNixError(
      { kind: 'downloadFailed', url, reason: `HTTP ${response.status}` },
      `Could not download ${url}: HTTP ${response.status} (is "${channel}" a channel?)`,
    );
  }
  const rev = parseGitRevision(await readLimited(response, MAX_REVISION_BYTES));
  if (rev === undefined)
    throw new PplNixError({ kind: 'downloadFailed', url, reason: 'not a revision' }, `${url} does not hold a nixpkgs revision`);
  return rev;
}

export interface PinUpdateDeps {
  readonly nix: NixService;
  readonly probes: PinProbeService;
  /** Called as each step starts, for progress ("Hashing the tarball…"). */
  readonly step?: (message: string) => void;
}

/** Everything the user needs to decide; writes nothing. */
export async function planPinUpdate(
  managed: ManagedFile,
  channel: string,
  sources: ChannelSources,
  deps: PinUpdateDeps,
  options: EvalOptions,
): Promise<PinUpdatePlan> {
  const { file, text, spec } = managed;
  deps.step?.(`Reading the current revision of ${channel}…`);
  const rev = await fetchChannelRevision(sources, channel, options.signal);
  const url = tarballUrl(sources.tarballUrlTemplate, rev);
  deps.step?.(`Downloading and hashing nixpkgs ${rev.slice(0, 12)} (about 40 MB)…`);
  const sha256 = await deps.nix.prefetch(url, { env: options.env, ...(options.signal === undefined ? {} : { signal: options.signal }) });
  const newPin = channelPin(channel, rev, url, sha256);
  const unchanged = newPin.url === spec.pin.url && newPin.sha256 === spec.pin.sha256;
  const env = resolve(spec);
  const query = { python: spec.python, pythonPackages: env.pythonGroups.flatMap((g) => g.attrs), systemPackages: env.systemPackages };
  deps.step?.('Comparing what the environment gets at the old and the new pin…');
  const after = await deps.probes.check({ ...query, pin: newPin }, options);
  let before = after;
  let comparisonProblem: string | undefined;
  try {
    if (!unchanged) before = await deps.probes.check({ ...query, pin: spec.pin }, options);
  } catch (error) {
    // The old pin may be what is broken (a moved branch, a dead mirror): compare against nothing.
    if (options.signal?.aborted === true) throw error;
    comparisonProblem = `the old pin could not be evaluated (${(error as Error).message})`;
    before = { pythons: [], python: {}, system: {} };
  }
  const changes = pinChanges(before, after, spec.python);
  return {
    file,
    text,
    channel,
    rev,
    oldPin: spec.pin,
    newPin: unchanged ? spec.pin : newPin,
    spec,
    changes,
    unchanged,
    ...(comparisonProblem === undefined ? {} : { comparisonProblem }),
  };
}

/** Rewrites the managed blocks with the new pin (the user's edits elsewhere stay). */
export function applyPinUpdate(plan: PinUpdatePlan): Promise<WriteOutcome> {
  return writeSpec(plan.file, withPin(plan.spec, plan.newPin), { replaceForeign: false, basedOn: plan.text });
}
