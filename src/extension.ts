// activate/deactivate only: build the context, hand each feature what it needs, register
// everything, return the API (and, in the extension's test mode only, the testing object).
import * as vscode from 'vscode';
import { createApi, type PplNixApi } from './api';
import { registerCommands } from './commandTable';
import { PickerPanels } from './create/panel';
import { afterCreate } from './enter/afterCreate';
import { EnvironmentController } from './enter/controller';
import { onlyShellFile } from './enter/discovery';
import { NixPresenceMonitor } from './enter/nixPresence';
import { openNixShellTerminal, registerTerminalProfile } from './enter/shellTerminal';
import { registerStatusItem } from './enter/statusItem';
import { registerExamples } from './examples/codeLens';
import type { ExampleHost } from './examples/commands';
import { EnvironmentService } from './host/environments';
import { exists } from './host/files';
import { registerLanguageSupport, type LanguageSupportHandle } from './language/support';
import { Ctx } from './shared/context';
import { createTesting } from './testing';

/** What deactivate must wait for: the language servers' shutdown. */
let running: { readonly languageSupport: LanguageSupportHandle } | undefined;

export function activate(extension: vscode.ExtensionContext): PplNixApi {
  const ctx = new Ctx(extension);
  extension.subscriptions.push(ctx);
  const environments = ctx.own(new EnvironmentController(ctx, new EnvironmentService(ctx.nix, ctx.runner, ctx.log)));
  const pickers = ctx.own(new PickerPanels(ctx, afterCreate(ctx, environments)));
  const languageSupport = registerLanguageSupport(ctx);
  running = { languageSupport };
  // Is Nix installed? A stat of nixBinDir and PATH now (no process); the status item says "Nix not found".
  const nix = ctx.own(new NixPresenceMonitor(ctx));
  nix.check();
  const examples = exampleHost(environments);
  registerCommands({ ctx, pickers, environments, languageSupport, nix, examples });
  registerStatusItem(ctx, environments, nix);
  registerTerminalProfile(ctx, environments, nix);
  registerExamples(ctx, examples);
  // Nix found after all (installed, nixBinDir fixed, "Check again"): enter what could not be entered.
  ctx.own(nix.onDidChange((presence) => presence.kind === 'found' && void environments.autoEnter()));
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

/** What the examples feature needs from entering environments. */
function exampleHost(environments: EnvironmentController): ExampleHost {
  /** The devShell the folder entered last, for a terminal in that flake (its default otherwise). */
  const shellOf = (file: string): string | undefined => {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
    const remembered = folder && environments.remembered(folder);
    return remembered?.file.fsPath === file ? remembered.shell : undefined;
  };
  return {
    async environmentFile(folder) {
      const remembered = environments.remembered(folder)?.file;
      return remembered !== undefined && (await exists(remembered.fsPath)) ? remembered : onlyShellFile(folder);
    },
    hasEnvironment: (folder) => environments.applied(folder) !== undefined,
    onDidChangeEnvironment: environments.onDidChange,
    openShellTerminal: (file, name, env) => openNixShellTerminal(file, name, env, shellOf(file)),
  };
}
