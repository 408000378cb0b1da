// Language support for .nix files: PPL Nix's own shell.nix server (completion, hover,
// diagnostics and quick fixes for package lists and pins) and, in trusted workspaces only,
// nil or nixd for everything else (they evaluate Nix). Both start with the first Nix document,
// through the same client machinery, with an explicit environment. This module (and the
// language client library, most of the extension's code by size) is its own bundle,
// dist/languageClient.js, loaded by support.ts only when a Nix document opens.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { COMMANDS, WORKBENCH } from '../shared/commands';
import type { Ctx } from '../shared/context';
import { nixProcessEnv, settings } from '../shared/settings';

export type LanguageServerChoice = 'auto' | 'nil' | 'nixd' | 'off';

export interface LanguageSupportState {
  /** Our shell.nix server is running. */
  readonly ownServer: boolean;
  /** The nil/nixd binary started, if any. */
  readonly external?: string;
  /** Messages shown to the user about language servers (tests assert that one is never repeated). */
  readonly messages: readonly string[];
  /** How many times the nil/nixd choice was (re)applied: a setting change is handled once this grows. */
  readonly externalChecks: number;
}

const SELECTOR = [
  { language: 'nix', scheme: 'file' },
  { language: 'nix', scheme: 'untitled' },
];

/** An executable file named name in one of the PATH folders. */
function findExecutable(name: string, pathValue: string | undefined): string | undefined {
  for (const dir of (pathValue ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** LSP command arguments are JSON: give pplNix.migrate the vscode.Uri it expects, not a string. */
function withUriArguments(
  actions: (vscode.Command | vscode.CodeAction)[] | null | undefined,
): (vscode.Command | vscode.CodeAction)[] | null | undefined {
  for (const action of actions ?? []) {
    const command = action instanceof vscode.CodeAction ? action.command : action;
    if (command?.command === COMMANDS.migrate && typeof command.arguments?.[0] === 'string')
      command.arguments[0] = vscode.Uri.parse(command.arguments[0]);
  }
  return actions;
}

export class LanguageSupport implements vscode.Disposable {
  private own: LanguageClient | undefined;
  private external: { client: LanguageClient; binary: string } | undefined;
  private readonly messages: string[] = [];
  /** Servers already reported missing: the message is shown once per session, never repeated. */
  private readonly reported = new Set<string>();
  private started = false;
  private externalChecks = 0;
  /** Starts and stops run one after another: a burst of setting changes never leaves two nil processes. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: Ctx) {}

  state(): LanguageSupportState {
    return {
      ownServer: this.own?.isRunning() === true,
      ...(this.external ? { external: this.external.binary } : {}),
      messages: [...this.messages],
      externalChecks: this.externalChecks,
    };
  }

  /** Called for every opened document: the first Nix one starts the servers. */
  async onDocument(document: vscode.TextDocument): Promise<void> {
    if (this.started || document.languageId !== 'nix') return;
    this.started = true;
    await this.serially(() => Promise.all([this.startOwn(), this.startExternal()]).then(() => undefined));
  }

  private serially(step: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(step, step);
    return this.queue;
  }

  private async startOwn(): Promise<void> {
    const module = this.ctx.extension.asAbsolutePath('dist/server.js');
    const env = nixProcessEnv();
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc, options: { env } },
      debug: { module, transport: TransportKind.ipc, options: { env } },
    };
    const commands = await vscode.commands.getCommands(true);
    const clientOptions: LanguageClientOptions = {
      documentSelector: SELECTOR,
      outputChannel: this.ctx.log,
      // Problems go to the log; the user is not interrupted by the output channel popping up.
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: { migrateCommand: commands.includes(COMMANDS.migrate) ? COMMANDS.migrate : undefined },
      middleware: {
        provideCodeActions: async (document, range, context, token, next) => withUriArguments(await next(document, range, context, token)),
      },
    };
    this.own = new LanguageClient('pplNixShell', 'PPL Nix shell.nix support', serverOptions, clientOptions);
    try {
      await this.own.start();
      this.ctx.log.info('shell.nix language server started');
    } catch (error) {
      this.ctx.log.error(`shell.nix language server failed to start: ${String(error)}`);
    }
  }

  private async startExternal(): Promise<void> {
    try {
      await this.applyExternalChoice();
    } finally {
      this.externalChecks++;
    }
  }

  private async applyExternalChoice(): Promise<void> {
    const choice = settings.languageServer.get();
    if (choice === 'off') return;
    if (!vscode.workspace.isTrusted) {
      this.ctx.log.info('Restricted Mode: nil/nixd are not started (they evaluate Nix from the workspace)');
      return;
    }
    const env = nixProcessEnv();
    const configured = settings.languageServerPath.get().trim();
    const names = choice === 'auto' ? ['nil', 'nixd'] : [choice];
    let binary: string | undefined;
    if (configured !== '')
      binary = isAbsolute(configured) && isExecutable(configured) ? configured : findExecutable(configured, env['PATH']);
    else for (const name of names) binary ??= findExecutable(name, env['PATH']);
    if (binary === undefined) return this.reportMissing(choice, configured);
    const client = new LanguageClient(
      `pplNix.${choice}`,
      `Nix language server (${binary})`,
      { command: binary, args: [], options: { env } },
      { documentSelector: SELECTOR, outputChannel: this.ctx.log, revealOutputChannelOn: RevealOutputChannelOn.Never },
    );
    this.external = { client, binary };
    try {
      await client.start();
      this.ctx.log.info(`Nix language server started: ${binary}`);
    } catch (error) {
      this.ctx.log.error(`Nix language server ${binary} failed to start: ${String(error)}`);
    }
  }

  private reportMissing(choice: LanguageServerChoice, configured: string): void {
    const what = configured !== '' ? `"${configured}" (pplNix.languageServerPath)` : choice === 'auto' ? 'nil or nixd' : choice;
    const name = choice === 'auto' ? 'nil' : choice;
    const message = `PPL Nix: the Nix language server ${what} was not found, so only PPL Nix's shell.nix support runs. To get it, add \`${name}\` to your shell's packages (for example \`packages = [ pkgs.${name} ];\`) and start VS Code from that shell, install it with \`nix profile install nixpkgs#${name}\`, or set pplNix.languageServerPath.`;
    this.ctx.log.warn(message);
    // auto with nothing installed is the normal case: log only. An explicit choice gets one message.
    if (choice === 'auto' && configured === '') return;
    const key = `${choice}:${configured}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.messages.push(message);
    void vscode.window.showWarningMessage(message, 'Open Settings').then((answer) => {
      if (answer === 'Open Settings') void vscode.commands.executeCommand(WORKBENCH.openSettings, settings.languageServer.key);
    });
  }

  private async stopExternal(): Promise<void> {
    const external = this.external;
    this.external = undefined;
    if (external?.client.isRunning()) await external.client.stop().catch(() => undefined);
  }

  restartExternal(): Promise<void> {
    return this.serially(async () => {
      await this.stopExternal();
      if (this.started) await this.startExternal();
    });
  }

  async restart(): Promise<void> {
    await this.serially(async () => {
      const own = this.own;
      this.own = undefined;
      if (own?.isRunning()) await own.stop().catch(() => undefined);
      await this.stopExternal();
      this.started = false;
    });
    const open = vscode.workspace.textDocuments.find((document) => document.languageId === 'nix');
    if (open !== undefined) await this.onDocument(open);
  }

  /** Stops both servers and waits for them (deactivate awaits this, so no server outlives the extension). */
  async stop(): Promise<void> {
    await this.serially(async () => {
      const own = this.own;
      this.own = undefined;
      await own?.dispose().catch(() => undefined);
      await this.stopExternal();
    });
  }

  dispose(): void {
    void this.stop();
  }
}

/** The entry point of dist/languageClient.js: support.ts loads this bundle on the first Nix document. */
export function createLanguageSupport(ctx: Ctx): LanguageSupport {
  return ctx.own(new LanguageSupport(ctx));
}
