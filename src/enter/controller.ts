// One environment per workspace folder: entering it (from the cache at once, else a capture in
// the background with progress), applying it to terminals and the Python interpreter, keeping
// the last working one when a new capture fails, re-entering when what it depends on changes,
// and doing nothing at all in an untrusted workspace. The file is read once per enter; the
// newest enter of a folder wins.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { environmentDependencies } from '../core/enter/dependencies';
import { NewestWins } from '../core/enter/newestWins';
import type { CacheEntry } from '../core/enter/cache';
import { shellLabel, type ActiveEnv, type EnvState } from '../core/enter/status';
import { isPplNixError, PplNixError } from '../core/errors';
import { checkDevShellName, isFlake } from '../core/nix/argv';
import { environmentNameOf, readShellNix } from '../core/spec/readback';
import type { EnvironmentService } from '../host/environments';
import { exists, readIfExists } from '../host/files';
import type { Ctx } from '../shared/context';
import { reportKept, showError } from '../shared/errors';
import { abortOn } from '../shared/progress';
import { nixProcessEnv, settings } from '../shared/settings';
import { CaptureProgress } from './captureProgress';
import { onlyShellFile } from './discovery';
import { describeMethod, setInterpreter } from './interpreter';
import { NixProblems } from './problems';
import { rememberChoice, rememberedChoice, type EnvironmentChoice } from './remembered';
import { applyToTerminals, clearTerminals } from './terminalEnvironment';
import { watchEnvironment } from './watchers';

/** How an enter was asked for. */
export interface EnterRequest {
  /** No error notification when a previous environment is kept (auto-enter, background reloads). */
  readonly quiet?: boolean;
  /** Point the Python interpreter at it (default: pplNix.setPythonInterpreter). */
  readonly setInterpreter?: boolean;
  /** Ignore the cache (Reload). */
  readonly fresh?: boolean;
  /** A flake's devShell other than its default (a name checked by argv before it reaches Nix). */
  readonly shell?: string;
}

const DISABLED = 'pplNix.disabled';

interface Folder {
  state: EnvState;
  /** What terminals of the folder get now: the last environment entered successfully. */
  applied?: Applied | undefined;
  readonly enters: NewestWins<EnvState>;
  /** Cancels the newest enter's capture (its Cancel button, Disable). */
  cancel?: vscode.CancellationTokenSource | undefined;
  /** Detaches the newest enter from its capture when a newer one starts (the capture goes on for a while). */
  supersede?: AbortController | undefined;
  watcher?: vscode.Disposable | undefined;
  /** The file's text when it was last entered: a change event with the same text is ignored. */
  enteredText?: string;
  interpreterNote?: string;
}

/** What a folder's terminals get: the environment entered last, its file and devShell. */
export interface Applied extends EnvironmentChoice {
  readonly entry: CacheEntry;
}

export class EnvironmentController implements vscode.Disposable {
  private readonly folders = new Map<string, Folder>();
  private readonly changed = new vscode.EventEmitter<vscode.WorkspaceFolder>();
  private readonly warned = new Set<string>();
  /** Nix's errors in the Problems panel, per environment file. */
  private readonly problems = new NixProblems();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly ctx: Ctx,
    private readonly service: EnvironmentService,
  ) {}

  state(folder: vscode.WorkspaceFolder): EnvState {
    if (!this.ctx.trusted) return { kind: 'untrusted' };
    if (this.disabled) return { kind: 'disabled' };
    return this.folders.get(folder.uri.toString())?.state ?? { kind: 'none' };
  }

  /** The environment the folder's terminals get now (active; kept while stale or while another loads). */
  applied(folder: vscode.WorkspaceFolder): Applied | undefined {
    const state = this.state(folder);
    const applying = state.kind === 'active' || state.kind === 'stale' || (state.kind === 'loading' && state.previous !== undefined);
    return applying ? this.folders.get(folder.uri.toString())?.applied : undefined;
  }

  interpreterNote(folder: vscode.WorkspaceFolder): string | undefined {
    return this.folders.get(folder.uri.toString())?.interpreterNote;
  }

  get disabled(): boolean {
    return this.ctx.extension.workspaceState.get<boolean>(DISABLED, false);
  }

  async setDisabled(disabled: boolean): Promise<void> {
    await this.ctx.extension.workspaceState.update(DISABLED, disabled);
    if (disabled) this.problems.clearAll();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      // Disabled means no environment at all: stop builds, watchers and what new terminals get.
      if (disabled) this.reset(folder);
      this.changed.fire(folder);
    }
    if (!disabled) await this.autoEnter();
  }

  /** The environment chosen last in the folder (kept in workspace state). */
  remembered(folder: vscode.WorkspaceFolder): EnvironmentChoice | undefined {
    return rememberedChoice(this.ctx.extension.workspaceState, folder);
  }

  /** On open and when trust is granted: re-enter each folder's remembered (or only) environment. */
  async autoEnter(): Promise<void> {
    if (!this.ctx.trusted || this.disabled || !settings.autoEnter.get()) return;
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    await Promise.all(
      folders.map(async (folder) => {
        const remembered = this.remembered(folder);
        const file = remembered?.file ?? (await onlyShellFile(folder));
        if (file !== undefined && (await exists(file.fsPath)))
          await this.enter(folder, file, { quiet: true, ...(remembered?.shell === undefined ? {} : { shell: remembered.shell }) });
      }),
    );
  }

  /** Enters an environment for a folder. Never throws: failures become the folder's state and a message. */
  enter(folder: vscode.WorkspaceFolder, file: vscode.Uri, request: EnterRequest = {}): Promise<EnvState> {
    const slot = this.slot(folder);
    // A newer enter stops waiting for the older one's capture, but does not kill it: switching back
    // within a while joins it (host/sharedRuns.ts).
    slot.supersede?.abort();
    return slot.enters.run((isCurrent) => this.enterNow(folder, file, request, isCurrent));
  }

  private async enterNow(
    folder: vscode.WorkspaceFolder,
    file: vscode.Uri,
    request: EnterRequest,
    isCurrent: () => boolean,
  ): Promise<EnvState> {
    if (!this.ctx.trusted) return this.set(folder, { kind: 'untrusted' });
    const slot = this.slot(folder);
    const cancel = (slot.cancel = new vscode.CancellationTokenSource());
    const supersede = (slot.supersede = new AbortController());
    const abort = abortOn(cancel.token);
    const text = await readIfExists(file.fsPath);
    // A devShell names part of a flake; any other file has one environment.
    const shell = isFlake(file.fsPath) ? request.shell : undefined;
    const name = environmentNameOf(text, basename(folder.uri.fsPath));
    // What the status bar says: the environment's name, and the devShell when it is not the default.
    const label = shellLabel(name, shell);
    const previous = slot.state.kind === 'active' || slot.state.kind === 'stale' ? slot.state.env : undefined;
    const where = vscode.workspace.asRelativePath(file);
    const progress = new CaptureProgress(
      `Building ${label} environment`,
      (line) =>
        isCurrent() &&
        void this.set(folder, {
          kind: 'loading',
          file: where,
          name: label,
          ...(line ? { progress: line } : {}),
          ...(previous ? { previous } : {}),
        }),
      () => cancel.cancel(),
    );
    try {
      if (!isCurrent()) return slot.state;
      if (text === undefined) throw new PplNixError({ kind: 'invalidInput', field: 'file', value: file.fsPath }, `${where} does not exist`);
      const shellProblem = shell === undefined ? undefined : checkDevShellName(shell);
      if (shellProblem !== undefined) throw new PplNixError({ kind: 'invalidInput', field: 'shell', value: shell ?? '' }, shellProblem);
      await rememberChoice(this.ctx.extension.workspaceState, folder, file, shell);
      // Only the newest enter watches (an older one resuming late must not replace its watcher).
      if (!isCurrent()) return slot.state;
      slot.enteredText = text;
      this.watch(folder, file, text, shell);
      const entered = await this.service.enter(
        { file: file.fsPath, text, ...(shell === undefined ? {} : { shell }) },
        {
          env: nixProcessEnv(folder.uri),
          workspaceDir: folder.uri.fsPath,
          storageDir: this.ctx.storageDir,
          // .ppl-nix/<name>, .ppl-nix/<name>+<devShell>: each environment has its own interpreter link and GC roots.
          name: shell === undefined ? name : `${name}+${shell}`,
          signal: AbortSignal.any([abort.signal, this.ctx.signal]),
          detach: supersede.signal,
          onProgress: progress.line,
          onCapture: progress.start,
          ...(request.fresh === true ? { fresh: true } : {}),
        },
      );
      if (!isCurrent()) return slot.state;
      // Terminals, the interpreter and GC roots are separate steps: one failing is said once, the others still happen.
      const problems = [...entered.problems];
      try {
        applyToTerminals(this.ctx.extension, folder, label, entered.entry);
        slot.applied = { file, entry: entered.entry, ...(shell === undefined ? {} : { shell }) };
      } catch (error) {
        problems.push(`New terminals do not get the environment: ${(error as Error).message}`);
      }
      const read = readShellNix(text);
      const active: ActiveEnv = {
        name,
        ...(shell === undefined ? {} : { shell }),
        file: where,
        ...(entered.interpreterLink === undefined ? {} : { python: entered.interpreterLink }),
        ...(read.kind === 'managed' ? { pythonVersion: read.spec.python, pin: read.spec.pin.label } : {}),
        fromCache: entered.fromCache,
      };
      if (entered.interpreterLink !== undefined && (request.setInterpreter ?? settings.setPythonInterpreter.get(folder.uri))) {
        const outcome = await setInterpreter(folder, entered.interpreterLink);
        slot.interpreterNote = `Python interpreter ${describeMethod(outcome.method)}`;
        problems.push(...outcome.problems);
      }
      for (const problem of problems) this.warnOnce(problem);
      // GC roots come after the environment is in use; their problems are said when known.
      void entered.roots?.then((late) => late.forEach((problem) => this.warnOnce(problem)));
      this.problems.clear(file);
      return this.set(folder, { kind: 'active', env: active });
    } catch (error) {
      if (!isCurrent()) return slot.state;
      if (isPplNixError(error, 'cancelled')) return this.set(folder, previous ? { kind: 'active', env: previous } : { kind: 'none' });
      // The error goes to the Problems panel, at the line Nix names or at the package it is about.
      const placed = await this.problems.report(file, text, error);
      if (!isCurrent()) return slot.state;
      const data = placed ?? { kind: 'nixFailed' as const, exitCode: undefined, detail: String(error) };
      const message = (error as Error).message;
      const located = placed !== undefined ? new PplNixError(placed, message) : error;
      const state: EnvState = previous
        ? { kind: 'stale', env: previous, error: message, errorData: data }
        : { kind: 'failed', file: where, name: label, error: message, errorData: data };
      this.set(folder, state);
      if (previous !== undefined && !request.quiet) {
        // A status-bar report that ends with the folder's next state, not a toast that outlives the recovery.
        const next = new Promise<void>((done) => {
          const listener = this.onDidChange((changed) => changed.uri.toString() === folder.uri.toString() && (listener.dispose(), done()));
        });
        reportKept(this.ctx, located, `Kept ${shellLabel(previous.name, previous.shell)}: entering ${label} failed`, next);
      } else if (previous === undefined) {
        void showError(this.ctx, located, `Could not enter ${label}`, () => this.enter(folder, file, request));
      }
      return state;
    } finally {
      progress.dispose();
      abort.dispose();
      if (slot.cancel === cancel) slot.cancel = undefined;
      if (slot.supersede === supersede) slot.supersede = undefined;
      cancel.dispose();
    }
  }

  /** An optional step failed: logged every time, shown once per session (it is not an enter failing). */
  private warnOnce(problem: string): void {
    this.ctx.log.warn(problem);
    if (this.warned.has(problem)) return;
    this.warned.add(problem);
    void vscode.window.showWarningMessage(`PPL Nix: ${problem}`, 'Show Log').then((choice) => choice && this.ctx.log.show(true));
  }

  /** Watches the file and what it depends on (the same list as the cache key). */
  private watch(folder: vscode.WorkspaceFolder, file: vscode.Uri, text: string, shell: string | undefined): void {
    const slot = this.slot(folder);
    slot.watcher?.dispose();
    slot.watcher = watchEnvironment(
      {
        folder,
        file,
        dependencies: environmentDependencies(file.fsPath, text),
        unchangedText: async () => (await readIfExists(file.fsPath)) === slot.enteredText,
        reload: () => this.enter(folder, file, { quiet: false, ...(shell === undefined ? {} : { shell }) }),
      },
      this.ctx.dialogs,
    );
  }

  /** No environment for the folder: builds stopped, watchers gone, terminals get nothing. */
  private reset(folder: vscode.WorkspaceFolder): void {
    const slot = this.slot(folder);
    slot.enters.cancelAll();
    slot.cancel?.cancel();
    this.service.stopDetachedCaptures();
    slot.watcher?.dispose();
    slot.watcher = undefined;
    slot.state = { kind: 'none' };
    slot.applied = undefined;
    clearTerminals(this.ctx.extension, folder);
  }

  private slot(folder: vscode.WorkspaceFolder): Folder {
    const key = folder.uri.toString();
    let slot = this.folders.get(key);
    if (slot === undefined) this.folders.set(key, (slot = { state: { kind: 'none' }, enters: new NewestWins<EnvState>() }));
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
      slot.watcher?.dispose();
    }
    this.service.stopDetachedCaptures();
    this.changed.dispose();
    this.problems.dispose();
  }
}
