// The picker panel on the host side: one panel per workspace folder, restored after a
// reload by a serializer, every message validated before it is acted on.
import { relative } from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from '../shared/context';
import { initialForm, parseForm, type PickerForm } from '../core/picker/form';
import { allPins, defaultPin } from '../core/pins/pins';
import { readShellNix } from '../core/spec/readback';
import { showError } from '../shared/errors';
import { readIfExists } from '../host/files';
import { readCustomPins } from '../shared/settings';
import { COMMANDS } from '../shared/commands';
import { checkCatalog } from './catalogCheck';
import { createFromForm, fileStatus, folderOf } from './write';
import { localResourceRoots, pickerHtml } from './html';
import { PICKER_VIEW_TYPE, parseWebviewMessage, type HostMessage } from '../core/picker/protocol';

/** What the extension does once a file is written (enter it, open a terminal): a sentence for the status line. */
export type AfterCreate = (created: {
  readonly folder: vscode.WorkspaceFolder;
  readonly path: string;
  readonly name: string;
  readonly openTerminal: boolean;
  readonly useInterpreter: boolean;
}) => Promise<string | undefined>;

/** The next steps offered in the notification after a file is written (each command gets the file's Uri). */
export const NEXT_STEPS = { openTerminal: 'Open Terminal', addExample: 'Add Example Model' } as const;

export class PickerPanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();
  /** Messages the host rejected (tests assert on it). */
  rejected = 0;

  constructor(
    private readonly ctx: Ctx,
    private readonly afterCreate: AfterCreate,
  ) {
    ctx.own(
      vscode.window.registerWebviewPanelSerializer(PICKER_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const saved = parseForm((state as { form?: unknown } | undefined)?.form);
          const folder = (saved && folderOf(saved.folder)) ?? vscode.workspace.workspaceFolders?.[0];
          if (folder === undefined) return panel.dispose();
          this.attach(panel, folder);
        },
      }),
    );
  }

  /** Opens (or reveals) the picker for a folder; with a file, pre-fills from it. */
  async open(folder: vscode.WorkspaceFolder, file?: vscode.Uri): Promise<vscode.WebviewPanel> {
    const existing = this.panels.get(folder.uri.toString());
    if (existing !== undefined) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PICKER_VIEW_TYPE, 'Create PPL Nix shell', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: localResourceRoots(this.ctx.extension.extensionUri),
    });
    this.attach(panel, folder, file);
    return panel;
  }

  private attach(panel: vscode.WebviewPanel, folder: vscode.WorkspaceFolder, file?: vscode.Uri): void {
    const key = folder.uri.toString();
    this.panels.set(key, panel);
    panel.iconPath = new vscode.ThemeIcon('beaker');
    panel.webview.options = { enableScripts: true, localResourceRoots: localResourceRoots(this.ctx.extension.extensionUri) };
    panel.webview.html = pickerHtml(panel.webview, this.ctx.extension.extensionUri);
    // A reply may come after the user closed the panel (e.g. a long availability check): drop it.
    let disposed = false;
    const post = (message: HostMessage): Thenable<boolean> => (disposed ? Promise.resolve(false) : panel.webview.postMessage(message));
    const subscription = panel.webview.onDidReceiveMessage((raw: unknown) => this.handle(folder, raw, post, file));
    panel.onDidDispose(() => {
      disposed = true;
      subscription.dispose();
      if (this.panels.get(key) === panel) this.panels.delete(key);
    });
  }

  /** Handles one message from a picker webview: validated first, malformed ones are counted and dropped. */
  async handle(
    folder: vscode.WorkspaceFolder,
    raw: unknown,
    post: (message: HostMessage) => Thenable<boolean>,
    file?: vscode.Uri,
  ): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (message === undefined) {
      this.rejected++;
      this.ctx.log.warn(`picker: rejected a malformed message ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    try {
      if (message.type === 'ready') await post(await this.init(folder, file));
      else if (message.type === 'checkAvailability') await checkCatalog(this.ctx, folder, message.pin, message.python, post);
      else if (message.type === 'checkFile')
        await post({ type: 'fileStatus', folder: message.folder, file: message.file, ...(await fileStatus(message.folder, message.file)) });
      else await this.create(message.form, post);
    } catch (error) {
      await post({ type: 'busy', busy: false });
      await post({ type: 'result', ok: false, message: (error as Error).message });
      await showError(this.ctx, error, 'Create PPL Nix shell');
    }
  }

  private async init(folder: vscode.WorkspaceFolder, file?: vscode.Uri): Promise<HostMessage> {
    const custom = readCustomPins(folder.uri);
    const pins = allPins(custom.pins);
    const target = file ?? vscode.Uri.joinPath(folder.uri, 'shell.nix');
    const text = await readIfExists(target.fsPath);
    const read = text === undefined ? undefined : readShellNix(text);
    const existing = read?.kind === 'managed' ? { file: relative(folder.uri.fsPath, target.fsPath), spec: read.spec } : undefined;
    return {
      type: 'init',
      form: initialForm(folder.uri.toString(), folder.name, pins, defaultPin().label, existing),
      folders: (vscode.workspace.workspaceFolders ?? [])
        .filter((f) => f.uri.scheme === 'file')
        .map((f) => ({ uri: f.uri.toString(), name: f.name })),
      pins,
      pinProblems: custom.problems.map((p) => p.message),
      trusted: vscode.workspace.isTrusted,
    };
  }

  private async create(form: PickerForm, post: (message: HostMessage) => Thenable<boolean>): Promise<void> {
    await post({ type: 'busy', busy: true });
    const result = await createFromForm(form, this.ctx.dialogs);
    let message = result.message;
    if (result.ok) {
      this.ctx.log.info(`picker: ${result.message}`);
      const followUp = await this.afterCreate({
        folder: result.folder,
        path: result.outcome.path,
        name: result.spec.name,
        openTerminal: form.openTerminal,
        useInterpreter: form.useInterpreter,
      });
      if (followUp !== undefined) message = `${message} ${followUp}`;
      await this.offerNextSteps(result.message, vscode.Uri.file(result.outcome.path), form.openTerminal);
    }
    await post({ type: 'busy', busy: false });
    await post({ type: 'result', ok: result.ok, message });
  }

  /**
   * A notification with what to do next: open a terminal in the shell (trusted folders, when the
   * form did not open one already: it runs nix-shell) and add an example model. The question is
   * asked before the picker's answer is posted, but its answer is not waited for.
   */
  private async offerNextSteps(message: string, file: vscode.Uri, terminalOpened: boolean): Promise<void> {
    const actions: string[] = [];
    if (this.ctx.trusted && !terminalOpened) actions.push(NEXT_STEPS.openTerminal);
    actions.push(NEXT_STEPS.addExample);
    let answer: Thenable<string | undefined>;
    try {
      answer = this.ctx.dialogs.information(message, ...actions);
    } catch (error) {
      // Only the test mode's scripted dialogs throw (no answer queued): the notification is optional.
      this.ctx.log.debug(`picker: next steps not shown: ${(error as Error).message}`);
      return;
    }
    void Promise.resolve(answer).then(
      async (choice) => {
        if (choice === NEXT_STEPS.openTerminal) await vscode.commands.executeCommand(COMMANDS.openTerminal, file);
        else if (choice === NEXT_STEPS.addExample) await vscode.commands.executeCommand(COMMANDS.addExampleModel, file);
      },
      (error: unknown) => this.ctx.log.warn(`picker: next step failed: ${(error as Error).message}`),
    );
  }

  dispose(): void {
    for (const panel of this.panels.values()) panel.dispose();
  }
}
