// ppl-nix migrate: the two ways out of an old-style file (a moving branch tarball pinned by hash).
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import { allPins } from '../core/pins/pins';
import { modernize, reproduceExactly } from '../core/shellNix/migrate';
import { lookupPin } from '../core/spec/specInput';
import { toEnvName } from '../core/spec/validate';
import { PplNixError } from '../core/errors';
import { backupFile, exists, writeFileAtomic } from '../host/files';
import { customPins, EXIT, fileArgument, type Io } from './io';

export const MIGRATE_HELP = `  ppl-nix migrate [shell.nix] --reproduce | --modernize [--pin LABEL] [--name N] [--out FILE [--force]]
      An old file pinned to a moving branch tarball: --reproduce pins the revision its sha256 names
      (nothing else changes); --modernize writes a PPL Nix file on a current pin with renamed
      packages mapped (pymc3 → pymc). The old file is kept as a .bak copy; an existing --out file
      is only replaced with --force (and kept as a .bak copy too).`;

export async function migrateCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      reproduce: { type: 'boolean' },
      modernize: { type: 'boolean' },
      pin: { type: 'string' },
      out: { type: 'string' },
      name: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.reproduce === values.modernize) return (io.err('error: choose one of --reproduce or --modernize'), EXIT.usage);
  const file = fileArgument(positionals, io);
  const out = values.out === undefined ? file : resolvePath(io.cwd, values.out);
  const text = await readFile(file, 'utf8');
  let result: string;
  if (values.reproduce === true) {
    const reproduced = reproduceExactly(text);
    if (!reproduced.ok) return (io.err(`error: ${reproduced.reason}`), EXIT.failed);
    result = reproduced.text;
    io.out(
      `Pinned to ${reproduced.pin.label}, revision ${reproduced.pin.rev ?? ''}: the environment the file's sha256 names (Python ${reproduced.pin.pythons.join(', ')} at that revision).`,
    );
  } else {
    const pin = values.pin === undefined ? undefined : lookupPin(allPins(customPins(io)), values.pin);
    if (values.pin !== undefined && pin === undefined) return (io.err(`error: no pin "${values.pin}" (see ppl-nix pins)`), EXIT.usage);
    const modern = modernize(text, { name: values.name ?? toEnvName(basename(dirname(out))), ...(pin === undefined ? {} : { pin }) });
    if ('reason' in modern) return (io.err(`error: ${modern.reason}`), EXIT.failed);
    result = modern.text;
    io.out(
      `Modernized: Python ${modern.spec.python}, nixpkgs ${modern.spec.pin.label}, packages ${[...modern.spec.packages, ...modern.spec.extraPackages].join(', ')}.`,
    );
    for (const warning of modern.warnings) io.out(`warning: ${warning}`);
  }
  // The migrated file replaces the old one (a backup is kept); another existing file only with --force.
  const replacing = out === file || (await exists(out));
  if (replacing && out !== file && !values.force) {
    throw new PplNixError({ kind: 'foreignFile', path: out }, `${out} exists: not replacing it without --force`);
  }
  const backup = replacing ? await backupFile(out) : undefined;
  await writeFileAtomic(out, result, { within: '/' });
  io.out(`${out} written${backup === undefined ? '' : `; the previous file was saved as ${backup}`}.`);
  return EXIT.ok;
}
