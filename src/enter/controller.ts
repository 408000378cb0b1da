// One environment per workspace folder: entering it (from the cache at once, else a capture
// in the background with cancellable progress), applying it to terminals and the Python
// interpreter, keeping the last working one when a new capture fails, re-entering when the
// file changes, and doing nothing at all in an untrusted workspace.
import { basename, dirname, relative, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from '../shared/context';
import { isFlake } from '../core/nix/argv';
import { localImports } from '../core/enter/cache';
import { isPplNixError } from '../core/errors';
import { environmentNameOf, readShellNix } from '../core/spec/readback';
import type { ActiveEnv, EnvState } from '../core/enter/status';
import { showError } from '../shared/errors';
import type { EnvironmentService } from '../host/environments';
import { readIfExists } from '../host/files';
import { nixProcessEnv, settings } from '../shared/settings';
import { describeMethod, setInterpreter } from './interpreter';
import { applyToTerminals, clearTerminals } from './terminals';

interface EnterFlags {
  /** No error notification when a previous environment is kept (auto-enter, background reloads). */
  readonly quiet?: boolean;
  readonly setInterpreter?: boolean;
  /** Ignore the cache (Reload). */
  readonly fresh?: boolean;
}

const REMEMBERED = 'pplNix.environment:'; // + folder URI → file path relative to the folder
const DISABLED = 'pplNix.disabled';

interface FolderEnv {
  state: EnvState;
  cancel?: vscode.CancellationTokenSource | undefined;
  watchers?: vscode.Disposable[];
  /** The newest enter in flight: an enter superseded by a newer one answers with the newer one's result. */
  latest?: Promise<EnvState> | undefined;
  /** The file's text when it was last entered: a change event with the same text is ignored. */
  enteredText?: string;
  interpreterNote?: string;
}

export class EnvironmentController implements vscode.Disposable {
  private readonly folders = new Map<string, FolderEnv>();
  private readonly changed = new vscode.EventEmitter<vscode.WorkspaceFolder>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly ctx: Ctx, private readonly service: EnvironmentService) {}

  state(folder: vscode.WorkspaceFolder): EnvState {
    if (!vscode.workspace.isTrusted) return { kind: 'untrusted' };
    if (this.disabled) return { kind: 'disabled' };
    return this.folders.get(folder.uri.toString())?.state ?? { kind: 'none' };
  }

  interpreterNote(folder: vscode.WorkspaceFolder): string | undefined {
    return this.folders.get(folder.uri.toString())?.interpreterNote;
  }

  get disabled(): boolean {
    return this.ctx.extension.workspaceState.get<boolean>(DISABLED, false);
  }

  async setDisabled(disabled: boolean): Promise<void> {
    await this.ctx.extension.workspaceState.update(DISABLED, disabled);
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (disabled) {
        // Disabled means no environment at all: stop builds, watchers and what new terminals get.
        const slot = this.slot(folder);
        slot.cancel?.cancel();
        for (const watcher of slot.watchers ?? []) watcher.dispose();
        slot.watchers = [];
        slot.state = { kind: 'none' };
        clearTerminals(this.ctx.extension, folder);
      }
      this.changed.fire(folder);
    }
    if (!disabled) await this.autoEnter();
  }

  remembered(folder: vscode.WorkspaceFolder): vscode.Uri | undefined {
    const file = this.ctx.extension.workspaceState.get<string>(REMEMBERED + folder.uri.toString());
    return file === undefined ? undefined : vscode.Uri.joinPath(folder.uri, file);
  }

  /** On open and when trust is granted: re-enter each folder's remembered (or only) environment. */
  async autoEnter(): Promise<void> {
    if (!vscode.workspace.isTrusted || this.disabled || !settings.autoEnter.get()) return;
    await Promise.all((vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map(async (folder) => {
      const file = this.remembered(folder) ?? (await onlyShellFile(folder));
      if (file !== undefined && (await readIfExists(file.fsPath)) !== undefined) await this.enter(folder, file, { quiet: true });
    }));
  }

  /** Enters an environment for a folder. Never throws: failures become the folder's state and a message. */
  enter(folder: vscode.WorkspaceFolder, file: vscode.Uri, options: EnterFlags = {}): Promise<EnvState> {
    const slot = this.slot(folder);
    const run: Promise<EnvState> = this.enterNow(folder, file, options).then((state): EnvState | Promise<EnvState> => (slot.latest !== run && slot.latest !== undefined ? slot.latest : state));
    slot.latest = run;
    void run.finally(() => {
      if (slot.latest === run) slot.latest = undefined;
    });
    return run;
  }

  private async enterNow(folder: vscode.WorkspaceFolder, file: vscode.Uri, options: EnterFlags): Promise<EnvState> {
    const slot = this.slot(folder);
    if (!vscode.workspace.isTrusted) return this.set(folder, { kind: 'untrusted' });
    slot.cancel?.cancel();
    const cancel = (slot.cancel = new vscode.CancellationTokenSource());
    const text = (await readIfExists(file.fsPath)) ?? '';
    slot.enteredText = text;
    const read = readShellNix(text);
    const name = environmentNameOf(text, basename(folder.uri.fsPath));
    const previous = slot.state.kind === 'active' || slot.state.kind === 'stale' ? slot.state.env : undefined;
    const env = nixProcessEnv(folder.uri);
    const enterOptions = { env, workspaceDir: folder.uri.fsPath, storageDir: this.storageDir(), name };
    await this.ctx.extension.workspaceState.update(REMEMBERED + folder.uri.toString(), relative(folder.uri.fsPath, file.fsPath));
    this.watch(folder, file, text);
    try {
      const cached = options.fresh ? undefined : await this.service.enterFromCache(file.fsPath, enterOptions);
      const entered = cached ?? (await this.capture(folder, file, name, previous, cancel, enterOptions));
      applyToTerminals(this.ctx.extension, folder, name, entered.entry);
      const active: ActiveEnv = {
        name,
        file: vscode.workspace.asRelativePath(file),
        ...(entered.interpreterLink === undefined ? {} : { python: entered.interpreterLink }),
        ...(read.kind === 'managed' ? { pythonVersion: read.spec.python, pin: read.spec.pin.label } : {}),
        fromCache: entered.fromCache,
      };
      if (entered.interpreterLink !== undefined && (options.setInterpreter ?? settings.setPythonInterpreter.get(folder.uri))) {
        slot.interpreterNote = `Python interpreter ${describeMethod(await setInterpreter(folder, entered.interpreterLink))}`;
      }
      return this.set(folder, { kind: 'active', env: active });
    } catch (error) {
      if (isPplNixError(error, 'cancelled')) return this.set(folder, previous ? { kind: 'active', env: previous } : { kind: 'none' });
      const data = isPplNixError(error) ? error.data : { kind: 'nixFailed' as const, exitCode: undefined, detail: String(error) };
      const message = (error as Error).message;
      const state: EnvState = previous ? { kind: 'stale', env: previous, error: message, errorData: data } : { kind: 'failed', file: vscode.workspace.asRelativePath(file), name, error: message, errorData: data };
      this.set(folder, state);
      if (!options.quiet || previous === undefined) void showError(this.ctx, error, previous ? `Kept ${previous.name}: entering ${name} failed` : `Could not enter ${name}`, () => this.enter(folder, file, options));
      return state;
    } finally {
      if (slot.cancel === cancel) slot.cancel = undefined;
      cancel.dispose();
    }
  }

  /** A capture with the status spinner, and a cancellable notification when it takes a while. */
  private async capture(folder: vscode.WorkspaceFolder, file: vscode.Uri, name: string, previous: ActiveEnv | undefined, cancel: vscode.CancellationTokenSource, options: Parameters<EnvironmentService['capture']>[1]) {
    const abort = new AbortController();
    const subscription = cancel.token.onCancellationRequested(() => abort.abort());
    const loading = (progress?: string): void => void this.set(folder, { kind: 'loading', file: vscode.workspace.asRelativePath(file), name, ...(progress ? { progress } : {}), ...(previous ? { previous } : {}) });
    loading();
    let report: ((line: string) => void) | undefined;
    let finish = (): void => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const slow = setTimeout(() => {
      void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Building ${name} environment`, cancellable: true }, (progress, token) => {
        token.onCancellationRequested(() => cancel.cancel());
        report = (line) => progress.report({ message: line });
        return done;
      });
    }, 1500);
    try {
      return await this.service.capture(file.fsPath, {
        ...options,
        signal: abort.signal,
        onProgress: (line) => {
          const short = line.replace(/\/nix\/store\/[0-9a-z]{32}-/g, '').slice(0, 120);
          loading(short);
          report?.(short);
        },
      });
    } finally {
      clearTimeout(slow);
      finish();
      subscription.dispose();
    }
  }

  /** Watches the file and the local files it imports (a flake: its lock file too). */
  private watch(folder: vscode.WorkspaceFolder, file: vscode.Uri, text: string): void {
    const slot = this.slot(folder);
    for (const watcher of slot.watchers ?? []) watcher.dispose();
    const dependencies = [...localImports(text), ...(isFlake(file.fsPath) ? ['./flake.lock'] : [])].map((path) => vscode.Uri.file(resolve(dirname(file.fsPath), path)));
    const onChange = async (changed: vscode.Uri): Promise<void> => {
      // A touch, or our own write: nothing the environment depends on changed.
      if (changed.fsPath === file.fsPath && (await readIfExists(file.fsPath)) === slot.enteredText) return;
      const mode = settings.reloadOnChange.get(folder.uri);
      if (mode === 'off') return;
      if (mode === 'prompt') {
        const choice = await vscode.window.showInformationMessage(`${vscode.workspace.asRelativePath(changed)} changed.`, 'Reload Environment');
        if (choice === undefined) return;
      }
      await this.enter(folder, file, { quiet: false });
    };
    slot.watchers = [file, ...dependencies].flatMap((uri) => {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(uri.fsPath)), basename(uri.fsPath)));
      return [watcher, watcher.onDidChange(onChange), watcher.onDidCreate(onChange)];
    });
  }

  private storageDir(): string {
    const uri = this.ctx.extension.storageUri ?? this.ctx.extension.globalStorageUri;
    return uri.fsPath;
  }

  private slot(folder: vscode.WorkspaceFolder): FolderEnv {
    const key = folder.uri.toString();
    let slot = this.folders.get(key);
    if (slot === undefined) this.folders.set(key, (slot = { state: { kind: 'none' } }));
    return slot;
  }

  private set(folder: vscode.WorkspaceFolder, state: EnvState): EnvState {
    this.slot(folder).state = state;
    this.changed.fire(folder);
    return state;
  }

  dispose(): void {
    for (const slot of this.folders.values()) {
      slot.cancel?.cancel();
      for (const watcher of slot.watchers ?? []) watcher.dispose();
    }
    this.changed.dispose();
  }
}

/** The folder's shell.nix, or the only PPL Nix file in it. */
export async function onlyShellFile(folder: vscode.WorkspaceFolder): Promise<vscode.Uri | undefined> {
  const shell = vscode.Uri.joinPath(folder.uri, 'shell.nix');
  if ((await readIfExists(shell.fsPath)) !== undefined) return shell;
  const found = await findEnvironments(folder);
  return found.length === 1 ? found[0] : undefined;
}

/** shell.nix, default.nix and flake.nix (its default devShell) files, and any .nix file PPL Nix wrote. */
export async function findEnvironments(folder: vscode.WorkspaceFolder): Promise<vscode.Uri[]> {
  const files = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.nix'), '**/{node_modules,.git,.ppl-nix}/**', 200);
  const found: vscode.Uri[] = [];
  for (const file of files) {
    const name = basename(file.fsPath);
    if (name === 'shell.nix' || name === 'default.nix' || name === 'flake.nix' || ((await readIfExists(file.fsPath)) ?? '').includes('# ppl-nix-spec: ')) found.push(file);
  }
  return found.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}
