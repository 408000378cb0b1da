// ppl-nix python / ppl-nix env: the environment's interpreter, or the variables it sets.
import { parseArgs } from 'node:util';
import { NixService } from '../host/nix';
import { EXIT, fileArgument, runner, type Io } from './io';

export const CAPTURE_HELP = `  ppl-nix python [shell.nix]      Print the environment's Python interpreter (a /nix/store path).
  ppl-nix env [shell.nix] [--json]  Print the variables the environment sets.`;

export async function captureCommand(kind: 'python' | 'env', args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, verbose: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const file = fileArgument(positionals, io);
  const nix = new NixService(runner(values.verbose).runner);
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
