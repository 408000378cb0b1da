// ppl-nix update-pin: pin a PPL Nix file to a channel's current revision, showing what changes.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { PplNixError } from '../core/errors';
import { checkChannel, DEFAULT_CHANNEL_BASE_URL, DEFAULT_TARBALL_URL_TEMPLATE, describeChange, isBreaking } from '../core/pins/channel';
import { faithfulSpec, readShellNix } from '../core/spec/readback';
import { NixService } from '../host/nix';
import { PinProbeService, cliCacheDir } from '../host/pinProbe';
import { applyPinUpdate, planPinUpdate } from '../host/pinUpdate';
import { EXIT, fileArgument, runner, type Io } from './io';

export const UPDATE_PIN_HELP = `  ppl-nix update-pin [shell.nix] --channel nixos-25.05 [--yes]
      Pin a PPL Nix file to the channel's current revision. Shows what changes (packages that
      disappear, break or change version); writes only with --yes. Mirrors: --channel-base-url
      (default ${DEFAULT_CHANNEL_BASE_URL}) and --tarball-url-template (default
      ${DEFAULT_TARBALL_URL_TEMPLATE}), or PPL_NIX_CHANNEL_BASE_URL / PPL_NIX_TARBALL_URL_TEMPLATE.`;

export async function updatePinCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      channel: { type: 'string' },
      yes: { type: 'boolean' },
      verbose: { type: 'boolean' },
      'channel-base-url': { type: 'string' },
      'tarball-url-template': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const file = fileArgument(positionals, io);
  const channel = values.channel ?? '';
  const channelProblem = checkChannel(channel);
  if (channelProblem !== undefined) return (io.err(`error: --channel: ${channelProblem}`), EXIT.usage);
  const text = await readFile(file, 'utf8');
  const read = readShellNix(text);
  if (read.kind !== 'managed') {
    throw new PplNixError(
      { kind: 'foreignFile', path: file },
      `${file} was not written by PPL Nix: only PPL Nix files can have their pin updated (migrate old files first).`,
    );
  }
  const faithful = faithfulSpec(read, file);
  if ('reason' in faithful) throw new PplNixError({ kind: 'invalidInput', field: 'file', value: file }, faithful.reason);
  const sources = {
    channelBaseUrl: values['channel-base-url'] ?? (io.env['PPL_NIX_CHANNEL_BASE_URL'] || DEFAULT_CHANNEL_BASE_URL),
    tarballUrlTemplate: values['tarball-url-template'] ?? (io.env['PPL_NIX_TARBALL_URL_TEMPLATE'] || DEFAULT_TARBALL_URL_TEMPLATE),
  };
  const { runner: processes } = runner(values.verbose);
  const deps = {
    nix: new NixService(processes),
    probes: new PinProbeService(processes, cliCacheDir(io.env)),
    step: (m: string) => io.err(m),
  };
  const plan = await planPinUpdate({ file, text, spec: faithful.spec }, channel, sources, deps, {
    env: io.env,
    ...(io.signal === undefined ? {} : { signal: io.signal }),
  });
  if (plan.unchanged) return (io.out(`${file} already pins ${channel} at its current revision ${plan.rev}.`), EXIT.ok);
  io.out(`${file}: ${plan.oldPin.label} → ${plan.newPin.label}`);
  io.out(`  url    ${plan.newPin.url}\n  sha256 ${plan.newPin.sha256}`);
  if (plan.comparisonProblem !== undefined) io.out(`  (no comparison: ${plan.comparisonProblem})`);
  if (plan.changes.length === 0) io.out('  No changes to the packages of this environment.');
  for (const change of plan.changes) io.out(`  ${isBreaking(change) ? '!' : '-'} ${describeChange(change)}`);
  if (values.yes !== true) return (io.out('Nothing written: run again with --yes to update the file.'), EXIT.ok);
  const outcome = await applyPinUpdate(plan);
  io.out(`${file} updated${outcome.backup === undefined ? '' : `; the previous file was saved as ${outcome.backup}`}.`);
  return EXIT.ok;
}
