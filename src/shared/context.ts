// Everything the extension's parts share, built once in activate(): the log channel, the
// process runner, the Nix and pin-probe services, the dialogs, and the extension's lifetime
// (disposables, and a signal that stops every process still running when it ends).
import { join } from 'node:path';
import * as vscode from 'vscode';
import { PplNixError } from '../core/errors';
import { NixService } from '../host/nix';
import { PinProbeService } from '../host/pinProbe';
import { ProcessRunner } from '../host/process';
import { realDialogs, ScriptedDialogs, type Dialogs } from './dialogs';

export class Ctx implements vscode.Disposable {
  /** The one log channel; it is also the Log the host modules write to. */
  readonly log: vscode.LogOutputChannel;
  readonly runner: ProcessRunner;
  readonly nix: NixService;
  /** What a pin offers (packages, Pythons), evaluated by Nix and cached under globalStorage. */
  readonly probes: PinProbeService;
  readonly dialogs: Dialogs;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly lifetime = new AbortController();

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = this.own(vscode.window.createOutputChannel('PPL Nix', { log: true }));
    this.runner = new ProcessRunner(this.log);
    // Nix's version per nix binary, remembered across windows: a new window starts no `nix --version`.
    this.nix = new NixService(this.runner, join(extension.globalStorageUri.fsPath, 'nix-versions.json'));
    this.probes = new PinProbeService(this.runner, extension.globalStorageUri.fsPath);
    this.dialogs = extension.extensionMode === vscode.ExtensionMode.Test ? new ScriptedDialogs() : realDialogs;
  }

  /** Aborted when the extension is deactivated: every Nix process started with it is killed. */
  get signal(): AbortSignal {
    return this.lifetime.signal;
  }

  /** Registers a disposable for the extension's lifetime and returns it. */
  own<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** Before anything that evaluates Nix (it runs code from the workspace): the typed "untrusted" error. */
  requireTrust(): void {
    if (!this.trusted) throw new PplNixError({ kind: 'untrusted' }, 'Restricted Mode: PPL Nix evaluates Nix only in trusted workspaces');
  }

  /** Where per-workspace state lives (environment cache): workspace storage, else global storage. */
  get storageDir(): string {
    return (this.extension.storageUri ?? this.extension.globalStorageUri).fsPath;
  }

  dispose(): void {
    this.lifetime.abort();
    for (const disposable of this.disposables.splice(0).reverse()) disposable.dispose();
  }
}
