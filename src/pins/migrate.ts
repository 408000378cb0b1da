// "Migrate old shell.nix": a file pinned to a moving branch tarball becomes an exact
// reproduction (the revision its hash names) or a modern PPL Nix file. Only text is
// rewritten, nothing is evaluated, so it works in Restricted Mode too. A backup is kept.
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { PplNixError } from '../core/errors';
import { allPins, findPin } from '../core/pins/pins';
import { detectOldStyle, modernize, reproduceExactly } from '../core/shellNix/migrate';
import { pythonPackageNames } from '../core/shellNix/reader';
import { toEnvName } from '../core/spec/validate';
import { backupFile, writeFileAtomic } from '../host/files';
import type { Ctx } from '../shared/context';
import { readText, shellFileArgument } from '../shared/pick';
import { readCustomPins } from '../shared/settings';

export type MigrateChoice = 'reproduce' | 'modernize';

export interface MigrateResult {
  readonly choice: MigrateChoice;
  readonly backup: string;
  readonly warnings: readonly string[];
}

export async function migrate(ctx: Ctx, target?: unknown, choiceArg?: unknown, pinLabel?: unknown): Promise<MigrateResult | undefined> {
  const file = await shellFileArgument(target);
  if (file === undefined) return undefined;
  const where = vscode.workspace.asRelativePath(file);
  const text = await readText(file);
  const old = detectOldStyle(text);
  if (old === undefined) {
    void vscode.window.showInformationMessage(`${where} does not pin a moving branch tarball: nothing to migrate.`);
    return undefined;
  }
  const pins = allPins(readCustomPins(file).pins);
  const pin = typeof pinLabel === 'string' ? findPin(pins, pinLabel) : undefined;
  const modern = modernize(text, { name: toEnvName(basename(dirname(file.fsPath))), ...(pin === undefined ? {} : { pin }) });
  const exact = reproduceExactly(text);
  let choice: MigrateChoice | undefined = choiceArg === 'reproduce' || choiceArg === 'modernize' ? choiceArg : undefined;
  if (choice === undefined) {
    const items: (vscode.QuickPickItem & { value: MigrateChoice })[] = [];
    if (exact.ok) {
      items.push({
        value: 'reproduce',
        label: 'Reproduce exactly',
        description: `pin ${exact.pin.label}, revision ${exact.pin.rev?.slice(0, 12) ?? ''}`,
        detail: `Keeps your file as it is (Python ${old.file.python ?? '?'}, ${pythonPackageNames(old.file).join(', ')}); only the url changes to the revision its sha256 names.`,
      });
    }
    if (!('reason' in modern)) {
      items.push({
        value: 'modernize',
        label: 'Modernize',
        description: `Python ${modern.spec.python}, ${modern.spec.pin.label}`,
        detail: `A PPL Nix file with ${[...modern.spec.packages, ...modern.spec.extraPackages].join(', ')}. ${modern.warnings.join(' ')}`,
      });
    }
    const picked = await vscode.window.showQuickPick(items, { title: `Migrate ${where}`, placeHolder: old.problem, matchOnDetail: true });
    choice = picked?.value;
  }
  if (choice === undefined) return undefined;
  const invalid = (reason: string): PplNixError => new PplNixError({ kind: 'invalidInput', field: 'file', value: file.fsPath }, reason);
  let result: string;
  let warnings: readonly string[] = [];
  if (choice === 'reproduce') {
    if (!exact.ok) throw invalid(exact.reason);
    result = exact.text;
  } else {
    if ('reason' in modern) throw invalid(modern.reason);
    result = modern.text;
    warnings = modern.warnings;
  }
  const backup = await backupFile(file.fsPath);
  const folder = vscode.workspace.getWorkspaceFolder(file);
  await writeFileAtomic(file.fsPath, result, folder === undefined ? {} : { within: folder.uri.fsPath });
  ctx.log.info(`migrate (${choice}): ${file.fsPath}; backup ${backup}; ${warnings.join(' ')}`);
  const message = `${where} migrated (${choice === 'reproduce' ? 'exact reproduction' : 'modernized'}); the old file is ${basename(backup)}.`;
  void (warnings.length > 0
    ? vscode.window.showWarningMessage(`${message} ${warnings.join(' ')}`)
    : vscode.window.showInformationMessage(message));
  return { choice, backup, warnings };
}
