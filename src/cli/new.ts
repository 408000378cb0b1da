// ppl-nix new: validate the choice and write (or update) a pinned shell.nix, or a flake.nix with its flake.lock.
import { basename, dirname, resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import { summary } from '../core/spec/render';
import { buildSpec } from '../core/spec/specInput';
import { toEnvName } from '../core/spec/validate';
import { writeSpec } from '../host/shellFiles';
import { customPins, EXIT, type Io } from './io';

export const NEW_HELP = `  ppl-nix new --packages pymc,arviz [--name N] [--python 3.12]
              [--pin LABEL|BRANCH|REV | --pin-url URL --pin-sha256 HASH]
              [--extra attr,...] [--system attr,...] [--out shell.nix] [--flake] [--force]
      Write a pinned shell.nix (with --flake: a flake.nix and its flake.lock, pinned to the same
      hash). A file PPL Nix wrote is updated in place (your edits outside its managed blocks are
      kept); any other file is only replaced with --force, after a backup.`;

export async function newCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      python: { type: 'string' },
      pin: { type: 'string' },
      'pin-url': { type: 'string' },
      'pin-sha256': { type: 'string' },
      packages: { type: 'string', default: '' },
      extra: { type: 'string', default: '' },
      system: { type: 'string', default: '' },
      out: { type: 'string' },
      flake: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      verbose: { type: 'boolean' },
    },
    strict: true,
  });
  const out = resolvePath(io.cwd, values.out ?? (values.flake ? 'flake.nix' : 'shell.nix'));
  const built = buildSpec(
    {
      name: values.name ?? toEnvName(basename(dirname(out))),
      ...(values.python === undefined ? {} : { python: values.python }),
      ...(values.pin === undefined ? {} : { pin: values.pin }),
      ...(values['pin-url'] === undefined ? {} : { pinUrl: values['pin-url'] }),
      ...(values['pin-sha256'] === undefined ? {} : { pinSha256: values['pin-sha256'] }),
      packages: [values.packages],
      extraPackages: [values.extra],
      systemPackages: [values.system],
    },
    customPins(io),
  );
  if ('problems' in built) {
    for (const problem of built.problems) io.err(`error: ${problem.field}: ${problem.message}`);
    io.err('Nothing was written.');
    return EXIT.usage;
  }
  // The CLI acts as the user on the user's own files: a symlinked shell.nix is written where it points.
  const spec = values.flake ? { ...built.spec, format: 'flake' as const } : built.spec;
  const outcome = await writeSpec(out, spec, { replaceForeign: values.force, within: '/' });
  const what = outcome.unchanged
    ? 'is already up to date'
    : outcome.action === 'create'
      ? 'written'
      : outcome.action === 'update'
        ? 'updated (your edits outside the managed blocks kept)'
        : 'replaced';
  io.out(`${out} ${what}: "${built.spec.name}", ${summary(built.spec)}, nixpkgs ${built.pin.label}.`);
  if (outcome.backup) io.out(`The previous file was saved as ${outcome.backup}.`);
  if (outcome.handEdited.length > 0)
    io.err(`warning: hand edits inside the managed block(s) ${outcome.handEdited.join(', ')} were replaced (see the backup).`);
  if (outcome.lock !== undefined && !outcome.lock.unchanged)
    io.out(`${outcome.lock.path} ${outcome.lock.action === 'create' ? 'written' : 'updated'}.`);
  if (outcome.lock?.backup) io.out(`The previous flake.lock was saved as ${outcome.lock.backup}.`);
  io.out(values.flake ? `Enter it with: nix develop path:${dirname(out)}` : `Enter it with: nix-shell ${out}`);
  return EXIT.ok;
}
