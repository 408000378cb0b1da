// activate/deactivate only: build the context, hand each feature what it needs, register
// everything, return the API (and, in the extension's test mode only, the testing object).
import * as vscode from 'vscode';
import { createApi, type PplNixApi } from './api';
import { registerCommands } from './commandTable';
import { PickerPanels } from './create/panel';
import { afterCreate } from './enter/afterCreate';
import { EnvironmentController } from './enter/controller';
import { registerTerminalProfile } from './enter/shellTerminal';
import { registerStatusItem } from './enter/statusItem';
import { EnvironmentService } from './host/environments';
import { registerLanguageSupport, type LanguageSupport } from './language/client';
import { Ctx } from './shared/context';
import { createTesting } from './testing';

/** What deactivate must wait for: the language servers' shutdown. */
let running: { readonly languageSupport: LanguageSupport } | undefined;

export function activate(extension: vscode.ExtensionContext): PplNixApi {
  const ctx = new Ctx(extension);
  extension.subscriptions.push(ctx);
  const environments = ctx.own(new EnvironmentController(ctx, new EnvironmentService(ctx.nix, ctx.runner, ctx.log)));
  const pickers = ctx.own(new PickerPanels(ctx, afterCreate(ctx, environments)));
  const languageSupport = registerLanguageSupport(ctx);
  running = { languageSupport };
  registerCommands({ ctx, pickers, environments, languageSupport });
  registerStatusItem(ctx, environments);
  registerTerminalProfile(ctx, environments);
  // Trust granted later (Restricted Mode → trusted): enter then. Never blocks activation.
  ctx.own(vscode.workspace.onDidGrantWorkspaceTrust(() => void environments.autoEnter()));
  void environments.autoEnter();
  ctx.log.info(`PPL Nix ${String((extension.extension.packageJSON as { version?: unknown }).version)} activated`);
  const api = createApi(ctx, environments);
  if (extension.extensionMode !== vscode.ExtensionMode.Test) return api;
  return { ...api, testing: createTesting({ ctx, pickers, environments, languageSupport }) } as PplNixApi;
}

export async function deactivate(): Promise<void> {
  // The subscriptions dispose everything else (and abort running Nix processes); the language
  // client's shutdown is asynchronous, so wait for it here.
  await running?.languageSupport.stop();
  running = undefined;
}
