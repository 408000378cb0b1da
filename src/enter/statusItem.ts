// The status-bar switcher: one item per window showing the active editor's folder's
// environment; clicking lists the environments found, plus Create, Reload, Disable, Show Log.
import * as vscode from 'vscode';
import type { EnvState } from '../core/enter/status';
import { COMMANDS, WORKBENCH } from '../shared/commands';
import type { Ctx } from '../shared/context';
import { openAt } from '../shared/errors';
import { currentFolder } from '../shared/pick';
import type { EnvironmentController } from './controller';
import type { EnvironmentChoice } from './remembered';
import { environmentItems } from './environmentItems';
import { statusOf, type NixPresenceMonitor } from './nixPresence';

export function registerStatusItem(ctx: Ctx, controller: EnvironmentController, presence: NixPresenceMonitor): vscode.StatusBarItem {
  const item = ctx.own(vscode.window.createStatusBarItem('pplNix.environment', vscode.StatusBarAlignment.Left, 50));
  item.name = 'PPL Nix environment';
  const render = (): void => {
    const folder = currentFolder();
    if (folder === undefined) return item.hide();
    const { state, view, nixMissing } = statusOf(controller, presence, folder);
    const note = state.kind === 'active' && !nixMissing ? controller.interpreterNote(folder) : undefined;
    item.text = view.text;
    item.tooltip = note ? `${view.tooltip}\n${note}` : view.tooltip;
    item.backgroundColor = view.severity === undefined ? undefined : new vscode.ThemeColor(`statusBarItem.${view.severity}Background`);
    item.command =
      state.kind === 'untrusted'
        ? WORKBENCH.manageTrust
        : nixMissing
          ? { title: 'Nix not found', command: COMMANDS.checkNix, arguments: ['menu'] }
          : COMMANDS.selectEnvironment;
    item.accessibilityInformation = { label: `PPL Nix: ${view.text.replace(/\$\([^)]*\)\s*/g, '')}`, role: 'button' };
    item.show();
  };
  ctx.own(
    controller.onDidChange((folder) => {
      // An enter that failed because Nix is missing: the status says so at once (check again, a stat).
      if (nixMissingIn(controller.state(folder)) && presence.current.kind !== 'missing') presence.check();
      render();
    }),
  );
  ctx.own(presence.onDidChange(render));
  ctx.own(vscode.window.onDidChangeActiveTextEditor(render));
  ctx.own(vscode.workspace.onDidGrantWorkspaceTrust(render));
  render();
  return item;
}

const nixMissingIn = (state: EnvState): boolean =>
  (state.kind === 'failed' || state.kind === 'stale') && state.errorData.kind === 'nixNotFound';

type Choice = vscode.QuickPickItem & { run: () => unknown };

export async function selectEnvironment(ctx: Ctx, controller: EnvironmentController): Promise<void> {
  const folder = currentFolder();
  if (folder === undefined) {
    void vscode.window.showInformationMessage('Open a folder to use a PPL Nix environment.');
    return;
  }
  const state = controller.state(folder);
  const found = await environmentItems(ctx, controller, folder);
  const choices: (Choice | vscode.QuickPickItem)[] = [
    ...(state.kind === 'stale' ? staleChoices(controller, folder, state) : []),
    { label: 'Environments', kind: vscode.QuickPickItemKind.Separator },
    ...found,
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(add) Create PPL Nix shell…', run: () => vscode.commands.executeCommand(COMMANDS.createShell) },
    { label: '$(refresh) Reload', description: 'capture the environment again', run: () => reloadEnvironment(controller) },
    controller.disabled
      ? { label: '$(check) Enable for this workspace', run: () => controller.setDisabled(false) }
      : { label: '$(circle-slash) Disable for this workspace', run: () => controller.setDisabled(true) },
    { label: '$(output) Show Log', run: () => ctx.log.show(true) },
  ];
  const placeHolder = found.length === 0 ? 'No Nix environment in this folder yet' : 'Enter an environment';
  const picked = await vscode.window.showQuickPick(choices, { title: 'PPL Nix environment', placeHolder });
  if (picked !== undefined && 'run' in picked) await picked.run();
}

/** Re-enters the current folder's remembered environment, ignoring the cache. */
export async function reloadEnvironment(controller: EnvironmentController): Promise<void> {
  const folder = currentFolder();
  const remembered = folder && controller.remembered(folder);
  if (folder === undefined || remembered === undefined) {
    void vscode.window.showInformationMessage('No PPL Nix environment to reload: choose one first.');
    return;
  }
  await controller.enter(folder, remembered.file, { quiet: false, fresh: true, ...shellOf(remembered) });
}

/** A failed reload (the last working environment kept): what the status-bar report offers instead of an error toast. */
function staleChoices(
  controller: EnvironmentController,
  folder: vscode.WorkspaceFolder,
  state: Extract<EnvState, { kind: 'stale' }>,
): (Choice | vscode.QuickPickItem)[] {
  const location = 'location' in state.errorData ? state.errorData.location : undefined;
  const firstLine = state.error.split('\n', 1)[0] ?? '';
  return [
    { label: `Reload failed: ${state.env.name} stays applied`, kind: vscode.QuickPickItemKind.Separator },
    ...(location === undefined
      ? []
      : [
          {
            label: '$(go-to-file) Open File at Error',
            description: firstLine,
            run: () => openAt(location.file, location.line, location.column),
          },
        ]),
    {
      label: '$(debug-restart) Retry',
      ...(location === undefined ? { description: firstLine } : {}),
      run: async () => {
        const remembered = controller.remembered(folder);
        if (remembered !== undefined) await controller.enter(folder, remembered.file, { quiet: false, ...shellOf(remembered) });
      },
    },
  ];
}

/** The devShell of a remembered choice, as an enter request's field. */
const shellOf = (choice: EnvironmentChoice): { shell?: string } => (choice.shell === undefined ? {} : { shell: choice.shell });
