// What every ppl-nix command shares: its input/output, exit codes, one way to read a file
// argument and the custom pins from the environment, and errors turned into exit codes.
import { resolve as resolvePath } from 'node:path';
import { isPplNixError, type PplNixError } from '../core/errors';
import { parseCustomPins, type CustomPinProblem, type Pin } from '../core/pins/pins';
import { stderrLog, type Log } from '../host/log';
import { ProcessRunner } from '../host/process';

export const EXIT = { ok: 0, failed: 1, usage: 2, foreignFile: 3, nixNotFound: 4, cancelled: 130 } as const;

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly signal?: AbortSignal;
}

/** Bad input: printed with a usage hint, exit 2. */
export class UsageError extends Error {}

/** The one file argument of a command (default shell.nix), as an absolute path. */
export function fileArgument(positionals: readonly string[], io: Io): string {
  if (positionals.length > 1) throw new UsageError('expected at most one file');
  return resolvePath(io.cwd, positionals[0] ?? 'shell.nix');
}

/** Pins added through PPL_NIX_CUSTOM_PINS (JSON, like the pplNix.customPins setting); problems are printed as warnings. */
export function customPins(io: Io): Pin[] {
  const raw = io.env['PPL_NIX_CUSTOM_PINS'];
  let parsed: { pins: Pin[]; problems: CustomPinProblem[] } = { pins: [], problems: [] };
  if (raw !== undefined && raw !== '') {
    try {
      parsed = parseCustomPins(JSON.parse(raw));
    } catch {
      parsed = { pins: [], problems: [{ index: -1, message: 'PPL_NIX_CUSTOM_PINS is not valid JSON' }] };
    }
  }
  for (const problem of parsed.problems) io.err(`warning: ${problem.message}`);
  return parsed.pins;
}

/** The process runner of a command: Nix's commands logged to stderr with --verbose. */
export function runner(verbose: boolean | undefined): { runner: ProcessRunner; log: Log } {
  const log = stderrLog(verbose === true);
  return { runner: new ProcessRunner(log), log };
}

/** What the user reads for a typed error, and the exit code it means. */
export function reportError(error: unknown, io: Io): number {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    io.err(`error: ${(error as Error).message}\nRun "ppl-nix --help" for usage.`);
    return EXIT.usage;
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && FILE_ERRORS[code] !== undefined) {
    const path = (error as NodeJS.ErrnoException).path ?? '';
    io.err(`error: ${path}: ${FILE_ERRORS[code]}`);
    return EXIT.usage;
  }
  if (!isPplNixError(error)) throw error;
  return reportPplNixError(error, io);
}

/** File errors that mean the user named the wrong thing or a place that cannot be written: a message, not a stack trace. */
const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EISDIR: 'is a folder; give a file (e.g. shell.nix)',
  ENOTDIR: 'a part of this path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

function reportPplNixError(error: PplNixError, io: Io): number {
  io.err(`error: ${error.message}`);
  switch (error.kind) {
    case 'foreignFile':
      io.err('Use --force to replace it (a backup is kept), or --out to write elsewhere.');
      return EXIT.foreignFile;
    case 'nixNotFound':
      io.err('Install Nix (https://nixos.org/download) and make sure nix-shell is on PATH.');
      return EXIT.nixNotFound;
    case 'invalidInput':
    case 'unsafePath':
    case 'notText':
      return EXIT.usage;
    case 'cancelled':
      return EXIT.cancelled;
    default:
      return EXIT.failed;
  }
}
