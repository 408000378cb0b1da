// activate/deactivate only: build the context, register everything, return the API.
import type * as vscode from 'vscode';
import { createApi, type PplNixApi } from './api';
import { registerCommands } from './commands';
import { Ctx } from './context';

export function activate(extension: vscode.ExtensionContext): PplNixApi {
  const ctx = new Ctx(extension);
  extension.subscriptions.push(ctx);
  registerCommands(ctx);
  ctx.log.info(`PPL Nix ${String((extension.extension.packageJSON as { version?: unknown }).version)} activated`);
  return createApi(ctx);
}

export function deactivate(): void {
  // Everything is disposed through the context's subscriptions.
}
