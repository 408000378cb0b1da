// ppl-nix check and ppl-nix migrate: availability at a file's pin, and the two ways out of an
// old-style file. Kept apart from cli.ts so that file stays small; same Io and exit codes.
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CHANNEL_BASE_URL, DEFAULT_TARBALL_URL_TEMPLATE, checkChannel, describeChange, isBreaking } from '../core/pins/channel';
import { checkReport, checkTargetOf } from '../core/pins/check';
import { modernize, reproduceExactly } from '../core/shellNix/migrate';
import { allPins, parseCustomPins } from '../core/pins/pins';
import { lookupPin } from '../core/spec/specInput';
import { toEnvName } from '../core/spec/validate';
import { AvailabilityService, cliCacheDir } from '../host/pinProbe';
import { backupFile, writeFileAtomic } from '../host/files';
import { stderrLog } from '../host/log';
import { NixService } from '../host/nix';
import { applyPinUpdate, planPinUpdate } from '../host/pinUpdate';
import { ProcessRunner } from '../host/process';

export interface PinsIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly signal?: AbortSignal;
}

const OK = 0;
const FAILED = 1;
const USAGE = 2;

export const PINS_HELP = `  ppl-nix check [shell.nix]       Check that the file's Python and packages exist (and are not broken)
                                  at its pin: one Nix evaluation, cached per pin. Exit 1 if anything is not.
  ppl-nix migrate [shell.nix] --reproduce | --modernize [--pin LABEL] [--out FILE]
      An old file pinned to a moving branch tarball: --reproduce pins the revision its sha256 names
      (nothing else changes); --modernize writes a PPL Nix file on a current pin with renamed
      packages mapped (pymc3 → pymc). The old file is kept as a .bak copy.
  ppl-nix update-pin [shell.nix] --channel nixos-25.05 [--yes]
      Pin a PPL Nix file to the channel's current revision. Shows what changes (packages that
      disappear, break or change version); writes only with --yes. Mirrors: --channel-base-url
      (default ${DEFAULT_CHANNEL_BASE_URL}) and --tarball-url-template (default
      ${DEFAULT_TARBALL_URL_TEMPLATE}), or PPL_NIX_CHANNEL_BASE_URL / PPL_NIX_TARBALL_URL_TEMPLATE.`;

export async function checkCommand(args: string[], io: PinsIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { verbose: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length > 1) return io.err('error: expected at most one file'), USAGE;
  const file = resolvePath(io.cwd, positionals[0] ?? 'shell.nix');
  const target = checkTargetOf(await readFile(file, 'utf8'));
  if ('reason' in target) return io.err(`error: ${file}: ${target.reason}`), USAGE;
  io.err(`Evaluating nixpkgs ${target.pin.label} (the first use of a pin downloads it, about 40 MB)…`);
  const service = new AvailabilityService(new ProcessRunner(stderrLog(values.verbose === true)), cliCacheDir(io.env));
  const result = await service.check(target, { env: io.env, ...(io.signal === undefined ? {} : { signal: io.signal }) });
  const report = checkReport(target, result);
  io.out(`${file}:`);
  for (const line of report.lines) io.out(line);
  return report.ok ? OK : FAILED;
}

export async function migrateCommand(args: string[], io: PinsIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { reproduce: { type: 'boolean' }, modernize: { type: 'boolean' }, pin: { type: 'string' }, out: { type: 'string' }, name: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 1) return io.err('error: expected at most one file'), USAGE;
  if (values.reproduce === values.modernize) return io.err('error: choose one of --reproduce or --modernize'), USAGE;
  const file = resolvePath(io.cwd, positionals[0] ?? 'shell.nix');
  const out = values.out === undefined ? file : resolvePath(io.cwd, values.out);
  const text = await readFile(file, 'utf8');
  let result: string;
  if (values.reproduce === true) {
    const reproduced = reproduceExactly(text);
    if (!reproduced.ok) return io.err(`error: ${reproduced.reason}`), FAILED;
    result = reproduced.text;
    io.out(`Pinned to ${reproduced.pin.label}, revision ${reproduced.pin.rev ?? ''}: the environment the file's sha256 names (Python ${reproduced.pin.pythons.join(', ')} at that revision).`);
  } else {
    const raw = io.env['PPL_NIX_CUSTOM_PINS'];
    let customs: ReturnType<typeof parseCustomPins>['pins'] = [];
    try {
      customs = raw ? parseCustomPins(JSON.parse(raw)).pins : [];
    } catch {
      io.err('warning: PPL_NIX_CUSTOM_PINS is not valid JSON');
    }
    const pin = values.pin === undefined ? undefined : lookupPin(allPins(customs), values.pin);
    if (values.pin !== undefined && pin === undefined) return io.err(`error: no pin "${values.pin}" (see ppl-nix pins)`), USAGE;
    const modern = modernize(text, { name: values.name ?? toEnvName(basename(dirname(out))), ...(pin === undefined ? {} : { pin }) });
    if ('reason' in modern) return io.err(`error: ${modern.reason}`), FAILED;
    result = modern.text;
    io.out(`Modernized: Python ${modern.spec.python}, nixpkgs ${modern.spec.pin.label}, packages ${[...modern.spec.packages, ...modern.spec.extraPackages].join(', ')}.`);
    for (const warning of modern.warnings) io.out(`warning: ${warning}`);
  }
  const backup = out === file ? await backupFile(file) : undefined;
  await writeFileAtomic(out, result);
  io.out(`${out} written${backup === undefined ? '' : `; the previous file was saved as ${backup}`}.`);
  return OK;
}

export async function updatePinCommand(args: string[], io: PinsIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      channel: { type: 'string' }, yes: { type: 'boolean' }, verbose: { type: 'boolean' },
      'channel-base-url': { type: 'string' }, 'tarball-url-template': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 1) return io.err('error: expected at most one file'), USAGE;
  const channel = values.channel ?? '';
  const channelProblem = checkChannel(channel);
  if (channelProblem !== undefined) return io.err(`error: --channel: ${channelProblem}`), USAGE;
  const file = resolvePath(io.cwd, positionals[0] ?? 'shell.nix');
  const sources = {
    channelBaseUrl: values['channel-base-url'] ?? (io.env['PPL_NIX_CHANNEL_BASE_URL'] || DEFAULT_CHANNEL_BASE_URL),
    tarballUrlTemplate: values['tarball-url-template'] ?? (io.env['PPL_NIX_TARBALL_URL_TEMPLATE'] || DEFAULT_TARBALL_URL_TEMPLATE),
  };
  const runner = new ProcessRunner(stderrLog(values.verbose === true));
  const deps = { nix: new NixService(runner), availability: new AvailabilityService(runner, cliCacheDir(io.env)), step: (m: string) => io.err(m) };
  const plan = await planPinUpdate(file, channel, sources, deps, { env: io.env, ...(io.signal === undefined ? {} : { signal: io.signal }) });
  if (plan.unchanged) return io.out(`${file} already pins ${channel} at its current revision ${plan.rev}.`), OK;
  io.out(`${file}: ${plan.oldPin.label} → ${plan.newPin.label}`);
  io.out(`  url    ${plan.newPin.url}\n  sha256 ${plan.newPin.sha256}`);
  if (plan.comparisonProblem !== undefined) io.out(`  (no comparison: ${plan.comparisonProblem})`);
  if (plan.changes.length === 0) io.out('  No changes to the packages of this environment.');
  for (const change of plan.changes) io.out(`  ${isBreaking(change) ? '!' : '-'} ${describeChange(change)}`);
  if (values.yes !== true) return io.out('Nothing written: run again with --yes to update the file.'), OK;
  const outcome = await applyPinUpdate(plan);
  io.out(`${file} updated${outcome.backup === undefined ? '' : `; the previous file was saved as ${outcome.backup}`}.`);
  return OK;
}
