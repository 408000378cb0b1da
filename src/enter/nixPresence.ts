// Whether Nix is installed, found early: a stat-only check at activation, again when
// pplNix.nixBinDir changes, before a terminal opens in a shell, when an enter fails because Nix
// is missing, and on "Check again". The status item says "Nix not found" (statusItem.ts); a
// wrong pplNix.nixBinDir is a warning of its own, even while Nix is found on PATH.
import * as vscode from 'vscode';
import { decidePresence, statusWithNix, type NixCommand, type NixPresence } from '../core/enter/nixPresence';
import { statusView, type EnvState, type StatusView } from '../core/enter/status';
import { PplNixError } from '../core/errors';
import { probeNix } from '../host/nixProbe';
import { WORKBENCH } from '../shared/commands';
import type { Ctx } from '../shared/context';
import { nixNotFoundActions, showError } from '../shared/errors';
import { currentFolder } from '../shared/pick';
import { settings } from '../shared/settings';
import type { EnvironmentController } from './controller';

/** The context key walkthroughs and menus read: Nix was found. */
const NIX_FOUND_CONTEXT = 'pplNix.nixFound';

export class NixPresenceMonitor implements vscode.Disposable {
  private presence: NixPresence = { kind: 'unknown' };
  private readonly changed = new vscode.EventEmitter<NixPresence>();
  /** Fired when Nix appears, disappears or is found elsewhere. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The nixBinDir problem last warned about: each wrong value is said once. */
  private warnedBinDir: string | undefined;

  constructor(private readonly ctx: Ctx) {
    this.subscriptions.push(
      this.changed,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (settings.nixBinDir.isAffectedBy(event)) this.check();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.check()), // nixBinDir is read in trusted workspaces only
    );
  }

  get current(): NixPresence {
    return this.presence;
  }

  /** Stats nixBinDir and PATH (no process), updates the state, warns once about a wrong nixBinDir. */
  check(): NixPresence {
    const binDir = settings.nixBinDir.get();
    const probe = probeNix(binDir, process.env['PATH'] ?? '');
    const next = decidePresence(probe);
    const before = JSON.stringify(this.presence);
    this.presence = next;
    if (JSON.stringify(next) !== before) {
      this.ctx.log.info(
        next.kind === 'found'
          ? `nix: found ${Object.values(next.commands).join(', ')}`
          : `nix: not found (looked in ${probe.searched.join(', ') || 'nothing: PATH is empty'})`,
      );
      void vscode.commands.executeCommand('setContext', NIX_FOUND_CONTEXT, next.kind === 'found');
      this.changed.fire(next);
    }
    this.warnBinDir(next.kind === 'unknown' ? undefined : next.binDirProblem);
    return next;
  }

  /**
   * Right before a Nix command starts in a terminal: its absolute path (so VS Code never says
   * "Path to shell executable … does not exist"), or undefined after the "Nix not found" message.
   */
  commandFor(command: NixCommand, context: string): string | undefined {
    const presence = this.check();
    const path = presence.kind === 'found' ? presence.commands[command] : undefined;
    if (path === undefined) this.reportMissing(command, context);
    return path;
  }

  /** The one "Nix not found" message (Install Nix / Set Nix folder / Check again / Show Log). */
  reportMissing(command: NixCommand, context: string): void {
    void showError(this.ctx, new PplNixError({ kind: 'nixNotFound', command }, `${command} was not found`), context);
  }

  private warnBinDir(problem: string | undefined): void {
    if (problem === this.warnedBinDir) return;
    this.warnedBinDir = problem;
    if (problem === undefined) return;
    this.ctx.log.warn(problem);
    void vscode.window.showWarningMessage(`PPL Nix: ${problem}`, 'Set Nix folder').then((choice) => {
      if (choice !== undefined) void vscode.commands.executeCommand(WORKBENCH.openSettings, settings.nixBinDir.key);
    });
  }

  dispose(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
  }
}

/** What the status item shows for a folder: its environment's state, or "Nix not found". */
export function statusOf(
  controller: EnvironmentController,
  presence: NixPresenceMonitor,
  folder: vscode.WorkspaceFolder,
): { readonly state: EnvState; readonly view: StatusView; readonly nixMissing: boolean } {
  const state = controller.state(folder);
  const view = statusWithNix(state, presence.current, statusView(state));
  return { state, view, nixMissing: presence.current.kind === 'missing' && state.kind !== 'untrusted' && state.kind !== 'disabled' };
}

/** The answer of "Check Nix installation" (returned, so it is scriptable and testable): what was found, what the status item says. */
export interface NixCheckResult {
  readonly presence: NixPresence;
  readonly status?: StatusView;
}

/**
 * "Check Nix installation" (command palette, walkthrough, "Check again"): checks again and says
 * what it found. `menu` (the status item while Nix is missing): the choices Install Nix, Set Nix
 * folder, Check again, Show Log as a quick pick.
 */
export async function checkNix(
  ctx: Ctx,
  monitor: NixPresenceMonitor,
  controller: EnvironmentController,
  how?: unknown,
): Promise<NixCheckResult> {
  const presence = monitor.check();
  if (how === 'menu' && presence.kind === 'missing') await nixMissingMenu(ctx);
  else if (presence.kind === 'found') {
    const where = Object.values(presence.commands).join(' and ');
    void vscode.window.showInformationMessage(
      `PPL Nix: Nix found (${where}).${presence.binDirProblem ? ` ${presence.binDirProblem}` : ''}`,
    );
  } else monitor.reportMissing('nix-shell', 'PPL Nix');
  const folder = currentFolder();
  return { presence: monitor.current, ...(folder === undefined ? {} : { status: statusOf(controller, monitor, folder).view }) };
}

type MenuItem = vscode.QuickPickItem & { readonly run?: () => unknown };

async function nixMissingMenu(ctx: Ctx): Promise<void> {
  const showLog = { title: 'Show Log', run: () => ctx.log.show(true) };
  const icons: Record<string, string> = {
    'Install Nix': '$(link-external)',
    'Set Nix folder': '$(folder)',
    'Check again': '$(refresh)',
    'Show Log': '$(output)',
  };
  const details: Record<string, string> = {
    'Install Nix': 'Opens https://nixos.org/download',
    'Set Nix folder': 'pplNix.nixBinDir: the folder holding nix-shell, when it is not on PATH',
    'Check again': 'After installing Nix or changing PATH',
    'Show Log': 'Where PPL Nix looked',
  };
  const items: MenuItem[] = nixNotFoundActions(showLog).map((action) => ({
    label: `${icons[action.title] ?? ''} ${action.title}`.trim(),
    detail: details[action.title] ?? '',
    run: action.run,
  }));
  const chosen = await ctx.dialogs.pick(items, {
    title: 'Nix not found',
    placeHolder: 'PPL Nix needs Nix to enter environments; creating shell.nix files works without it',
  });
  await chosen?.run?.();
}
