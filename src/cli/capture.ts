// ppl-nix python / ppl-nix env: the environment's interpreter, or the variables it sets.
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EnvironmentService } from '../host/environments';
import { NixService } from '../host/nix';
import { cliCacheDir } from '../host/pinProbe';
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
  // The extension's cache: a warm call (nothing the environment depends on changed) starts no Nix.
  const { runner: processes, log } = runner(values.verbose);
  const cache = cliCacheDir(io.env);
  const environments = new EnvironmentService(new NixService(processes, join(cache, 'nix-versions.json')), processes, log);
  const entered = await environments.enter(
    { file, text: await readFile(file, 'utf8') },
    {
      env: io.env,
      storageDir: cache,
      workspaceDir: dirname(file),
      name: 'cli',
      stateless: true,
      ...(io.signal === undefined ? {} : { signal: io.signal }),
    },
  );
  const captured = { variables: entered.entry.variables, ...(entered.entry.python === undefined ? {} : { python: entered.entry.python }) };
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
