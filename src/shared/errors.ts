// The one place where typed errors become messages with actions for the user.
import * as vscode from 'vscode';
import { NIX_INSTALL_URL, nixNotFoundSentence } from '../core/enter/nixPresence';
import { COMMANDS, WORKBENCH } from './commands';
import type { Ctx } from './context';
import { settings } from './settings';
import { isPplNixError } from '../core/errors';

export interface Action {
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
      return nixNotFound(`${context}: ${nixNotFoundSentence(data.command)}`, showLog);
    case 'untrusted':
      return pick(`${context}: this workspace is in Restricted Mode; PPL Nix evaluates Nix only in trusted workspaces.`, [
        { title: 'Manage Workspace Trust', run: () => vscode.commands.executeCommand(WORKBENCH.manageTrust) },
      ]);
    default: {
      // Nix's position, or (a renamed or broken package, a wrong hash) the place PPL Nix found in the file.
      const location = 'location' in data ? data.location : undefined;
      const open: Action[] = location
        ? [{ title: 'Open File at Error', run: () => openAt(location.file, location.line, location.column) }]
        : [];
      return pick(`${context}: ${error.message}`, [...open, showLog, ...again]);
    }
  }
}

/** "Nix not found" is said once at a time: several folders (or a terminal and an enter) failing together show one message. */
let nixNotFoundShown = false;

/** The one "Nix not found" message: Install Nix / Set Nix folder / Check again / Show Log (the log has the failed command). */
async function nixNotFound(message: string, showLog: Action): Promise<void> {
  if (nixNotFoundShown) return;
  nixNotFoundShown = true;
  const actions = nixNotFoundActions(showLog);
  let chosen: string | undefined;
  try {
    chosen = await vscode.window.showErrorMessage(message, ...actions.map((a) => a.title));
  } finally {
    nixNotFoundShown = false; // before the action runs: "Check again" may need to say it again
  }
  await actions.find((a) => a.title === chosen)?.run();
}

export function nixNotFoundActions(showLog: Action): Action[] {
  return [
    { title: 'Install Nix', run: () => vscode.env.openExternal(vscode.Uri.parse(NIX_INSTALL_URL)) },
    { title: 'Set Nix folder', run: () => vscode.commands.executeCommand(WORKBENCH.openSettings, settings.nixBinDir.key) },
    { title: 'Check again', run: () => vscode.commands.executeCommand(COMMANDS.checkNix) },
    showLog,
  ];
}

async function pick(message: string, actions: readonly Action[]): Promise<void> {
  const chosen = await vscode.window.showErrorMessage(message, ...actions.map((a) => a.title));
  await actions.find((a) => a.title === chosen)?.run();
}

export async function openAt(file: string, line: number, column: number): Promise<void> {
  const position = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
  await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(position, position) });
}

/**
 * A reload that failed while the last working environment stays applied ("Kept bayes: …"): a
 * status-bar message that ends by itself when `until` settles (the folder's next state: loading
 * again, recovered, or failed for good), never an error toast that outlives the recovery. The
 * status item turns "stale"; its menu offers Open File at Error, Retry and Show Log.
 */
export function reportKept(ctx: Ctx, error: unknown, context: string, until: Thenable<unknown>): void {
  if (isPplNixError(error, 'cancelled')) return;
  if (isPplNixError(error, 'nixNotFound')) {
    void showError(ctx, error, context);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  ctx.log.error(`${context}: ${message}`);
  const firstLine = message.split('\n', 1)[0] ?? '';
  const short = firstLine.length > 160 ? `${firstLine.slice(0, 159)}…` : firstLine;
  vscode.window.setStatusBarMessage(`$(warning) ${context}: ${short}`, until);
}
