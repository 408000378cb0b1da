// The questions PPL Nix asks the user (confirmations, "file exists", "reload?"), behind one
// interface. Production always shows the real dialog. Only the extension's test mode installs
// a scripted version, whose answers the integration tests queue through the testing object:
// no caller, in any mode, can skip a question by passing an argument.
import * as vscode from 'vscode';

export interface Dialogs {
  /** A warning, modal or not; resolves to the chosen item or undefined (dismissed). */
  warning(message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined>;
  information(message: string, ...items: string[]): Thenable<string | undefined>;
  saveAs(options: vscode.SaveDialogOptions): Thenable<vscode.Uri | undefined>;
  /** A quick pick of one item; resolves to the item chosen or undefined (dismissed). */
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
}

export const realDialogs: Dialogs = {
  warning: (message, options, ...items) => vscode.window.showWarningMessage(message, options, ...items),
  information: (message, ...items) => vscode.window.showInformationMessage(message, ...items),
  saveAs: (options) => vscode.window.showSaveDialog(options),
  pick: (items, options) => vscode.window.showQuickPick(items, { ...options, canPickMany: false }),
};

/** An answer queued by a test: a button's title (or a quick pick item's label), a file for a save dialog, or undefined (dismiss). */
export type ScriptedAnswer = string | vscode.Uri | undefined;

/** Test mode only: answers come from a queue; every question asked is recorded. */
export class ScriptedDialogs implements Dialogs {
  readonly asked: string[] = [];
  /** The detail text of each question (modal dialogs), aligned with `asked`. */
  readonly details: string[] = [];
  private readonly answers: ScriptedAnswer[] = [];

  queue(...answers: ScriptedAnswer[]): void {
    this.answers.push(...answers);
  }

  private next(question: string, detail = ''): ScriptedAnswer {
    this.asked.push(question);
    this.details.push(detail);
    if (this.answers.length === 0) throw new Error(`a test did not script an answer to: ${question}`);
    return this.answers.shift();
  }

  warning(message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined> {
    const answer = this.next(message, options.detail);
    return Promise.resolve(typeof answer === 'string' && items.includes(answer) ? answer : undefined);
  }

  information(message: string, ...items: string[]): Thenable<string | undefined> {
    const answer = this.next(message);
    return Promise.resolve(typeof answer === 'string' && items.includes(answer) ? answer : undefined);
  }

  saveAs(options: vscode.SaveDialogOptions): Thenable<vscode.Uri | undefined> {
    const answer = this.next(options.title ?? 'Save As');
    return Promise.resolve(answer instanceof vscode.Uri ? answer : undefined);
  }

  /** The item whose label is the answer, icons ($(name)) ignored. */
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined> {
    const answer = this.next(options.title ?? options.placeHolder ?? 'Pick');
    const plain = (label: string): string => label.replace(/\$\([^)]*\)\s*/g, '');
    const chosen = items.find(
      (item) => item.kind !== vscode.QuickPickItemKind.Separator && typeof answer === 'string' && plain(item.label) === plain(answer),
    );
    return Promise.resolve(chosen);
  }
}
