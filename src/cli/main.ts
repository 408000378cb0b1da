// ppl-nix: the headless entry point, for terminals and CI, on the same core and host code as
// the extension. Each command lives in its own file; this one dispatches and turns errors into
// exit codes.
import { version } from '../../package.json';
import { CAPTURE_HELP, captureCommand } from './capture';
import { CHECK_HELP, checkCommand } from './check';
import { reportError, UsageError, EXIT, type Io } from './io';
import { LISTS_HELP, listCommand } from './lists';
import { MIGRATE_HELP, migrateCommand } from './migrate';
import { NEW_HELP, newCommand } from './new';
import { UPDATE_PIN_HELP, updatePinCommand } from './updatePin';

export { EXIT } from './io';

const HELP = `ppl-nix ${version}: pinned Nix environments for Python probabilistic programming

Usage:
${NEW_HELP}
${CAPTURE_HELP}
${LISTS_HELP}
${CHECK_HELP}
${MIGRATE_HELP}
${UPDATE_PIN_HELP}

Options: --verbose logs every Nix command; PPL_NIX_CUSTOM_PINS='[{"label","url","sha256"}]' adds pins.
Exit codes: 0 ok, 1 Nix failed, 2 bad input, 3 refused to replace a file, 4 Nix not found, 130 cancelled.`;

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'new':
        return await newCommand(rest, io);
      case 'python':
      case 'env':
        return await captureCommand(command, rest, io);
      case 'catalog':
      case 'pins':
        return listCommand(command, rest, io);
      case 'check':
        return await checkCommand(rest, io);
      case 'migrate':
        return await migrateCommand(rest, io);
      case 'update-pin':
        return await updatePinCommand(rest, io);
      case '--version':
        io.out(version);
        return EXIT.ok;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return EXIT.ok;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    return reportError(error, io);
  }
}

if (require.main === module) {
  // Ctrl-C, a kill or a closed terminal: stop Nix's whole process tree, then exit.
  const controller = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => controller.abort());
  // `ppl-nix pins | head`: the reader left; stop quietly instead of a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    throw error;
  });
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
