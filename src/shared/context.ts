// Everything the extension's parts share, built once in activate(): the log channel,
// the process runner and Nix service, and the extension's lifetime scope.
import * as vscode from 'vscode';
import type { Log } from '../host/log';
import { NixService } from '../host/nix';
import { ProcessRunner } from '../host/process';

export class Ctx implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  /** The log channel behind the host modules' Log interface. */
  readonly logger: Log;
  readonly runner: ProcessRunner;
  readonly nix: NixService;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = this.own(vscode.window.createOutputChannel('PPL Nix', { log: true }));
    this.logger = { info: (m) => this.log.info(m), warn: (m) => this.log.warn(m), error: (m) => this.log.error(m) };
    this.runner = new ProcessRunner(this.logger);
    this.nix = new NixService(this.runner);
  }

  /** Registers a disposable for the extension's lifetime and returns it. */
  own<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0).reverse()) disposable.dispose();
  }
}
