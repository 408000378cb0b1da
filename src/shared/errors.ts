// The one place where typed errors become messages with actions for the user.
import * as vscode from 'vscode';
import { WORKBENCH } from './commands';
import type { Ctx } from './context';
import { settings } from './settings';
import { isPplNixError } from '../core/errors';

interface Action {
  readonly title: string;
  readonly run: () => unknown;
}

export async function showError(ctx: Ctx, error: unknown, context: string, retry?: () => unknown): Promise<void> {
  const showLog: Action = { title: 'Show Log', run: () => ctx.log.show(true) };
  const again: Action[] = retry === undefined ? [] : [{ title: 'Retry', run: retry }];
  if (!isPplNixError(error)) {
    ctx.log.error(`${context}: ${(error as Error).stack ?? String(error)}`);
    return pick(`${context}: ${(error as Error).message ?? String(error)}`, [showLog]);
  }
  ctx.log.error(`${context}: ${error.message}`);
  const data = error.data;
  switch (data.kind) {
    case 'cancelled':
      return;
    case 'nixNotFound':
      return pick(`${context}: Nix was not found (${data.command}). PPL Nix needs Nix 2.4 or later.`, [
        { title: 'Install Nix', run: () => vscode.env.openExternal(vscode.Uri.parse('https://nixos.org/download')) },
        { title: 'Set Nix folder', run: () => vscode.commands.executeCommand(WORKBENCH.openSettings, settings.nixBinDir.key) },
      ]);
    case 'untrusted':
      return pick(`${context}: this workspace is in Restricted Mode; PPL Nix evaluates Nix only in trusted workspaces.`, [
        { title: 'Manage Workspace Trust', run: () => vscode.commands.executeCommand(WORKBENCH.manageTrust) },
      ]);
    case 'undefinedVariable':
    case 'attributeMissing':
    case 'syntaxError': {
      const location = data.location;
      const open: Action[] = location
        ? [{ title: 'Open File at Error', run: () => openAt(location.file, location.line, location.column) }]
        : [];
      return pick(`${context}: ${error.message}`, [...open, showLog, ...again]);
    }
    default:
      return pick(`${context}: ${error.message}`, [showLog, ...again]);
  }
}

async function pick(message: string, actions: readonly Action[]): Promise<void> {
  const chosen = await vscode.window.showErrorMessage(message, ...actions.map((a) => a.title));
  await actions.find((a) => a.title === chosen)?.run();
}

async function openAt(file: string, line: number, column: number): Promise<void> {
  const position = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
  await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(position, position) });
}
