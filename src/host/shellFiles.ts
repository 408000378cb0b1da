// Writing a spec to disk: the plan from core, then a backup and an atomic write.
// Shared by the CLI and the extension, so both follow the same never-lose-data rules.
import { PplNixError } from '../core/errors';
import { planWrite, type WritePlan } from '../core/spec/plan';
import type { EnvSpec } from '../core/spec/spec';
import { backupFile, readIfExists, writeFileAtomic } from './files';

export interface WriteOutcome {
  readonly path: string;
  readonly action: WritePlan['kind'];
  /** The copy of the previous file, when one was replaced or its managed blocks had hand edits. */
  readonly backup?: string;
  readonly unchanged: boolean;
  readonly handEdited: readonly string[];
}

export interface WriteOptions {
  /** The user agreed to replace a file PPL Nix did not write (a backup is kept). */
  readonly replaceForeign: boolean;
  /**
   * The text the caller read and showed the user a plan for (e.g. a pin update after a long
   * download): if the file changed since, nothing is written.
   */
  readonly basedOn?: string;
}

export async function writeSpec(path: string, spec: EnvSpec, options: WriteOptions): Promise<WriteOutcome> {
  const existing = await readIfExists(path);
  if (options.basedOn !== undefined && existing !== options.basedOn) {
    throw new PplNixError(
      { kind: 'fileChanged', path },
      `${path} changed while PPL Nix was working on it: nothing was written; run the command again`,
    );
  }
  const plan = planWrite(existing, spec, path);
  if (plan.kind === 'replace' && !options.replaceForeign) {
    throw new PplNixError({ kind: 'foreignFile', path }, `${plan.reason}; not replacing it without your consent`);
  }
  if (plan.kind === 'update' && plan.unchanged) {
    return { path, action: plan.kind, unchanged: true, handEdited: plan.handEdited };
  }
  // Keep a copy whenever content the user may care about is replaced.
  const needsBackup = existing !== undefined && (plan.kind === 'replace' || (plan.kind === 'update' && plan.handEdited.length > 0));
  const backup = needsBackup ? await backupFile(path) : undefined;
  await writeFileAtomic(path, plan.text);
  return {
    path,
    action: plan.kind,
    ...(backup === undefined ? {} : { backup }),
    unchanged: false,
    handEdited: plan.kind === 'update' ? plan.handEdited : [],
  };
}
