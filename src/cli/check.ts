// ppl-nix check: is every package of the file available (and not broken) at its pin?
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { checkReport, checkTargetOf } from '../core/pins/check';
import { PinProbeService, cliCacheDir } from '../host/pinProbe';
import { EXIT, fileArgument, runner, type Io } from './io';

export const CHECK_HELP = `  ppl-nix check [shell.nix]       Check that the file's Python and packages exist (and are not broken)
                                  at its pin: one Nix evaluation, cached per pin. Exit 1 if anything is not.`;

export async function checkCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { verbose: { type: 'boolean' } }, allowPositionals: true, strict: true });
  const file = fileArgument(positionals, io);
  const target = checkTargetOf(await readFile(file, 'utf8'));
  if ('reason' in target) return (io.err(`error: ${file}: ${target.reason}`), EXIT.usage);
  io.err(`Evaluating nixpkgs ${target.pin.label} (the first use of a pin downloads it, about 40 MB)…`);
  const probes = new PinProbeService(runner(values.verbose).runner, cliCacheDir(io.env));
  const result = await probes.check(target, { env: io.env, ...(io.signal === undefined ? {} : { signal: io.signal }) });
  const report = checkReport(target, result);
  io.out(`${file}:`);
  for (const line of report.lines) io.out(line);
  return report.ok ? EXIT.ok : EXIT.failed;
}
