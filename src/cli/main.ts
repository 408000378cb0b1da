// ppl-nix: the headless entry point, for terminals and CI, on the same core and host
// code as the extension.
import { basename, dirname, resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import { CATALOG, CATEGORY_TITLES } from '../core/catalog/catalog';
import { isPplNixError, type PplNixError } from '../core/errors';
import { allPins, parseCustomPins, pythonsOf } from '../core/pins/pins';
import { summary } from '../core/spec/render';
import { buildSpec } from '../core/spec/specInput';
import { toEnvName } from '../core/spec/validate';
import { stderrLog } from '../host/log';
import { NixService } from '../host/nix';
import { ProcessRunner } from '../host/process';
import { writeSpec } from '../host/shellFiles';
import { checkCommand, migrateCommand, PINS_HELP, updatePinCommand } from './pins';
import { version } from '../../package.json';

export const EXIT = { ok: 0, failed: 1, usage: 2, foreignFile: 3, nixNotFound: 4, cancelled: 130 } as const;

const HELP = `ppl-nix ${version}: pinned Nix environments for Python probabilistic programming

Usage:
  ppl-nix new --packages pymc,arviz [--name N] [--python 3.12]
              [--pin LABEL|BRANCH|REV | --pin-url URL --pin-sha256 HASH]
              [--extra attr,...] [--system attr,...] [--out shell.nix] [--force]
      Write a pinned shell.nix. A file PPL Nix wrote is updated in place (your edits outside
      its managed blocks are kept); any other file is only replaced with --force, after a backup.
  ppl-nix python [shell.nix]      Print the environment's Python interpreter (a /nix/store path).
  ppl-nix env [shell.nix] [--json]  Print the variables the environment sets.
  ppl-nix catalog [--json]        List the packages PPL Nix offers.
  ppl-nix pins [--json]           List the nixpkgs pins (newest first; default marked).
${PINS_HELP}

Options: --verbose logs every Nix command; PPL_NIX_CUSTOM_PINS='[{"label","url","sha256"}]' adds pins.
Exit codes: 0 ok, 1 Nix failed, 2 bad input, 3 refused to replace a file, 4 Nix not found, 130 cancelled.`;

class UsageError extends Error {}

interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly signal?: AbortSignal;
}

function customPins(env: NodeJS.ProcessEnv): ReturnType<typeof parseCustomPins> {
  const raw = env['PPL_NIX_CUSTOM_PINS'];
  if (raw === undefined || raw === '') return { pins: [], problems: [] };
  try {
    return parseCustomPins(JSON.parse(raw));
  } catch {
    return { pins: [], problems: [{ index: -1, message: 'PPL_NIX_CUSTOM_PINS is not valid JSON' }] };
  }
}

async function newCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' }, python: { type: 'string' }, pin: { type: 'string' },
      'pin-url': { type: 'string' }, 'pin-sha256': { type: 'string' }, packages: { type: 'string', default: '' },
      extra: { type: 'string', default: '' }, system: { type: 'string', default: '' },
      out: { type: 'string', default: 'shell.nix' }, force: { type: 'boolean', default: false }, verbose: { type: 'boolean' },
    },
    strict: true,
  });
  const out = resolvePath(io.cwd, values.out);
  const custom = customPins(io.env);
  for (const problem of custom.problems) io.err(`warning: ${problem.message}`);
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
    custom.pins,
  );
  if ('problems' in built) {
    for (const problem of built.problems) io.err(`error: ${problem.field}: ${problem.message}`);
    io.err('Nothing was written.');
    return EXIT.usage;
  }
  const outcome = await writeSpec(out, built.spec, { replaceForeign: values.force });
  const what = outcome.unchanged ? 'is already up to date' : outcome.action === 'create' ? 'written' : outcome.action === 'update' ? 'updated (your edits outside the managed blocks kept)' : 'replaced';
  io.out(`${out} ${what}: "${built.spec.name}", ${summary(built.spec)}, nixpkgs ${built.pin.label}.`);
  if (outcome.backup) io.out(`The previous file was saved as ${outcome.backup}.`);
  if (outcome.handEdited.length > 0) io.err(`warning: hand edits inside the managed block(s) ${outcome.handEdited.join(', ')} were replaced (see the backup).`);
  io.out(`Enter it with: nix-shell ${out}`);
  return EXIT.ok;
}

function fileArg(positionals: string[], io: Io): string {
  if (positionals.length > 1) throw new UsageError('expected at most one file');
  return resolvePath(io.cwd, positionals[0] ?? 'shell.nix');
}

async function captureCommand(kind: 'python' | 'env', args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' }, verbose: { type: 'boolean' } }, allowPositionals: true, strict: true });
  const file = fileArg(positionals, io);
  const nix = new NixService(new ProcessRunner(stderrLog(values.verbose === true)));
  const captured = await nix.capture(file, { env: io.env, ...(io.signal === undefined ? {} : { signal: io.signal }) });
  if (kind === 'python') {
    if (captured.python === undefined) {
      io.err(`error: the environment of ${file} has no python3 on its PATH`);
      return EXIT.failed;
    }
    io.out(captured.python);
  } else if (values.json === true) {
    io.out(JSON.stringify(captured.variables, null, 2));
  } else {
    for (const [name, value] of Object.entries(captured.variables).sort()) io.out(`${name}=${value}`);
  }
  return EXIT.ok;
}

function listCommand(kind: 'catalog' | 'pins', args: string[], io: Io): number {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true });
  if (kind === 'catalog') {
    if (values.json === true) return io.out(JSON.stringify(CATALOG, null, 2)), EXIT.ok;
    for (const [category, title] of Object.entries(CATEGORY_TITLES)) {
      io.out(`${title}:`);
      for (const entry of CATALOG.filter((e) => e.category === category)) {
        io.out(`  ${entry.id.padEnd(24)} ${entry.displayName}: ${entry.description}`);
      }
    }
    return EXIT.ok;
  }
  const custom = customPins(io.env);
  for (const problem of custom.problems) io.err(`warning: ${problem.message}`);
  const pins = allPins(custom.pins);
  if (values.json === true) return io.out(JSON.stringify(pins, null, 2)), EXIT.ok;
  const fallback = buildSpec({ name: 'x', packages: [] });
  const defaultLabel = 'spec' in fallback ? fallback.pin.label : '';
  for (const pin of pins) {
    const mark = pin.label === defaultLabel ? ' (default)' : '';
    io.out(`${pin.label}${mark}\n  ${pin.url}\n  sha256 ${pin.sha256}; Python ${pythonsOf(pin).join(', ')}`);
  }
  return EXIT.ok;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'new': return await newCommand(rest, io);
      case 'python': case 'env': return await captureCommand(command, rest, io);
      case 'catalog': case 'pins': return listCommand(command, rest, io);
      case 'check': return await checkCommand(rest, io);
      case 'migrate': return await migrateCommand(rest, io);
      case 'update-pin': return await updatePinCommand(rest, io);
      case '--version': io.out(version); return EXIT.ok;
      case undefined: case 'help': case '--help': case '-h': io.out(HELP); return EXIT.ok;
      default: throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`error: ${(error as Error).message}\nRun "ppl-nix --help" for usage.`);
      return EXIT.usage;
    }
    if (isPplNixError(error)) return reportNixError(error, io);
    throw error;
  }
}

function reportNixError(error: PplNixError, io: Io): number {
  io.err(`error: ${error.message}`);
  switch (error.kind) {
    case 'foreignFile': io.err('Use --force to replace it (a backup is kept), or --out to write elsewhere.'); return EXIT.foreignFile;
    case 'nixNotFound': io.err('Install Nix (https://nixos.org/download) and make sure nix-shell is on PATH.'); return EXIT.nixNotFound;
    case 'invalidInput': return EXIT.usage;
    case 'cancelled': return EXIT.cancelled;
    default: return EXIT.failed;
  }
}

if (require.main === module) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  main(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`ppl-nix: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(EXIT.failed);
    },
  );
}
