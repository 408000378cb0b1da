// "Check packages at this pin": is everything the file uses available at its pin? One Nix
// evaluation (cached per pin), under a cancellable notification. Trusted workspaces only.
import * as vscode from 'vscode';
import { PplNixError } from '../core/errors';
import { checkReport, checkTargetOf } from '../core/pins/check';
import type { Ctx } from '../shared/context';
import { readText, shellFileArgument } from '../shared/pick';
import { withNixProgress } from '../shared/progress';
import { nixProcessEnv } from '../shared/settings';

export interface CheckResult {
  readonly ok: boolean;
  readonly lines: readonly string[];
}

export async function checkPackages(ctx: Ctx, target?: unknown): Promise<CheckResult | undefined> {
  ctx.requireTrust();
  const file = await shellFileArgument(target);
  if (file === undefined) return undefined;
  const where = vscode.workspace.asRelativePath(file);
  const checked = checkTargetOf(await readText(file));
  if ('reason' in checked) throw new PplNixError({ kind: 'invalidInput', field: 'file', value: file.fsPath }, checked.reason);
  const title = `Checking ${where} at nixpkgs ${checked.pin.label} (the first use of a pin downloads about 40 MB)`;
  const result = await withNixProgress(ctx.signal, title, (signal, report) =>
    ctx.probes.check(checked, { env: nixProcessEnv(file), signal, onProgress: (line) => report(line.slice(0, 120)) }),
  );
  const report = checkReport(checked, result);
  for (const line of report.lines) ctx.log.info(`check: ${line}`);
  const summary = `${where}: ${report.lines.at(-1) ?? ''}`;
  if (report.ok) void vscode.window.showInformationMessage(summary);
  else void vscode.window.showWarningMessage(summary, 'Show Log').then((choice) => choice && ctx.log.show(true));
  return { ok: report.ok, lines: report.lines };
}
