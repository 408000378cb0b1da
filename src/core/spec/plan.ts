// Deciding what writing a spec to a path means, before touching the disk: create a new
// file, update the managed blocks of a file PPL Nix wrote, or stop and ask because the
// file is someone else's.
import { readShellNix, updateShellNix } from './readback';
import { renderSpecFile } from './flake';
import type { EnvSpec } from './spec';

export type WritePlan =
  | { readonly kind: 'create'; readonly text: string }
  /** A PPL Nix file: managed blocks re-rendered, the rest kept. handEdited: managed blocks edited by hand (their edits are replaced). */
  | { readonly kind: 'update'; readonly text: string; readonly unchanged: boolean; readonly handEdited: readonly string[] }
  /** Not ours (or damaged): replacing it needs the user's consent and a backup. */
  | { readonly kind: 'replace'; readonly text: string; readonly reason: string };

export function planWrite(existing: string | undefined, spec: EnvSpec, path: string): WritePlan {
  if (existing === undefined) return { kind: 'create', text: renderSpecFile(spec) };
  const read = readShellNix(existing);
  if (read.kind === 'foreign') return { kind: 'replace', text: renderSpecFile(spec), reason: `${path} was not written by PPL Nix` };
  if (read.kind === 'damaged')
    return { kind: 'replace', text: renderSpecFile(spec), reason: `${path} has damaged PPL Nix markers: ${read.reason}` };
  const text = updateShellNix(existing, spec, path, read);
  return { kind: 'update', text, unchanged: text === existing, handEdited: read.handEdited };
}
