// activate/deactivate only: build the context, register everything, return the API.
import type * as vscode from 'vscode';
import { createApi, type PplNixApi } from './api';
import { registerCommands } from './commands';
import { Ctx } from './context';
import { afterCreate } from './afterCreate';
import { PickerPanels } from './webview/panel';

export function activate(extension: vscode.ExtensionContext): PplNixApi {
  const ctx = new Ctx(extension);
  extension.subscriptions.push(ctx);
  const pickers = ctx.own(new PickerPanels(ctx, afterCreate(ctx)));
  registerCommands({ ctx, pickers });
  ctx.log.info(`PPL Nix ${String((extension.extension.packageJSON as { version?: unknown }).version)} activated`);
  return createApi(ctx, pickers);
}

export function deactivate(): void {
  // Everything is disposed through the context's subscriptions.
}
