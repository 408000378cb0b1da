// activate/deactivate only: build the context, register everything, return the API.
import * as vscode from 'vscode';
import { createApi, type PplNixApi } from './api';
import { registerCommands } from './commands';
import { Ctx } from './shared/context';
import { afterCreate } from './enter/afterCreate';
import { EnvironmentController } from './enter/controller';
import { registerStatusItem } from './enter/statusItem';
import { registerTerminalProfile } from './enter/terminalProfile';
import { EnvironmentService } from './host/environments';
import { registerLanguageSupport } from './language/client';
import { PickerPanels } from './create/panel';

export function activate(extension: vscode.ExtensionContext): PplNixApi {
  const ctx = new Ctx(extension);
  extension.subscriptions.push(ctx);
  const environments = ctx.own(new EnvironmentController(ctx, new EnvironmentService(ctx.nix, ctx.runner, ctx.logger)));
  const pickers = ctx.own(new PickerPanels(ctx, afterCreate(ctx, environments)));
  const languageSupport = registerLanguageSupport(ctx);
  registerCommands({ ctx, pickers, environments, languageSupport });
  registerStatusItem(ctx, environments);
  registerTerminalProfile(ctx, environments);
  // Trust granted later (Restricted Mode → trusted): enter then. Never blocks activation.
  ctx.own(vscode.workspace.onDidGrantWorkspaceTrust(() => void environments.autoEnter()));
  void environments.autoEnter();
  ctx.log.info(`PPL Nix ${String((extension.extension.packageJSON as { version?: unknown }).version)} activated`);
  return createApi(ctx, pickers, environments, languageSupport);
}

export function deactivate(): void {
  // Everything is disposed through the context's subscriptions.
}
