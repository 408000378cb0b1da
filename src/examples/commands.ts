// Example models: "Add example model" writes one small Bayesian linear regression that fits the
// chosen environment into examples/ (never over a file without asking, a backup kept), and
// "Run in PPL Nix shell" runs a Python file in the environment's terminal. This feature knows
// nothing of entering environments: extension.ts hands it what it needs (ExampleHost).
import { basename, join, relative } from 'node:path';
import * as vscode from 'vscode';
import {
  EXAMPLES,
  EXAMPLES_FOLDER,
  environmentPackages,
  examplePath,
  examplesFor,
  findExample,
  missingFor,
  runCommandLine,
  type ExampleChoice,
  type ExampleModel,
} from '../core/examples';
import { PplNixError } from '../core/errors';
import { environmentNameOf } from '../core/spec/readback';
import { backupFile, exists, readIfExists, staysInside, writeFileAtomic } from '../host/files';
import { COMMANDS } from '../shared/commands';
import type { Ctx } from '../shared/context';
import { readText, shellFileArgument } from '../shared/pick';
import { nixProcessEnv } from '../shared/settings';

/** What the examples feature gets from the rest of the extension (wired in extension.ts). */
export interface ExampleHost {
  /** The environment file a folder uses now (the active one, the one chosen last, or the only one). */
  environmentFile(folder: vscode.WorkspaceFolder): Promise<vscode.Uri | undefined>;
  /** Whether an environment is applied to the folder (active, or stale: kept after a failed reload). */
  hasEnvironment(folder: vscode.WorkspaceFolder): boolean;
  /** Fired when a folder's environment changes. */
  readonly onDidChangeEnvironment: vscode.Event<unknown>;
  /** A terminal in the environment's shell (nix-shell FILE); undefined when Nix is missing (said already). */
  openShellTerminal(file: string, name: string, env: NodeJS.ProcessEnv): vscode.Terminal | undefined;
}

export interface AddedExample {
  readonly example: string;
  /** Workspace-relative paths written (new files, or replaced after the user agreed). */
  readonly written: readonly string[];
  /** Files that existed and were kept as they were (the user said so, or they were identical already). */
  readonly kept: readonly string[];
  /** Backups of replaced files. */
  readonly backups: readonly string[];
  /** The script opened in the editor. */
  readonly opened: string;
  /** Packages the environment must add for the example to run. */
  readonly missing: readonly string[];
}

type ExampleItem = vscode.QuickPickItem & { readonly choice: ExampleChoice };

/**
 * "Add example model": the environment file (given, the active .nix editor, the only one, or the
 * user's choice), then an example that fits its packages (all of them, each with what to add,
 * when none fits). `exampleId` (a programmatic call) chooses WHAT to add; it never skips the
 * question about replacing a file.
 */
export async function addExampleModel(ctx: Ctx, target?: unknown, exampleId?: unknown): Promise<AddedExample | undefined> {
  if (typeof target === 'string' && exampleId === undefined) [target, exampleId] = [undefined, target];
  const file = await shellFileArgument(target);
  if (file === undefined) return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(file);
  if (folder === undefined || folder.uri.scheme !== 'file') {
    throw new PplNixError({ kind: 'invalidInput', field: 'file', value: file.fsPath }, `${file.fsPath} is not in a workspace folder`);
  }
  const packages = environmentPackages(await readText(file));
  const chosen =
    exampleId === undefined ? await chooseExample(ctx, packages, vscode.workspace.asRelativePath(file)) : byId(exampleId, packages);
  if (chosen === undefined) return undefined;
  const outcome = await writeExample(ctx, folder, chosen.example);
  const script = vscode.Uri.file(join(folder.uri.fsPath, examplePath(chosen.example.files[0]!)));
  await vscode.window.showTextDocument(script, { preview: false });
  const added = { example: chosen.example.id, ...outcome, opened: examplePath(chosen.example.files[0]!), missing: chosen.missing };
  const run = 'Run it with "Run in PPL Nix shell" above its first line.';
  void (chosen.missing.length === 0
    ? vscode.window.showInformationMessage(`Added ${added.opened}. ${run}`)
    : vscode.window.showWarningMessage(
        `Added ${added.opened}. It needs ${chosen.missing.join(', ')}, which ${basename(file.fsPath)} does not have: add ${chosen.missing.length === 1 ? 'it' : 'them'} (Create PPL Nix shell on the file), then run it.`,
      ));
  return added;
}

function byId(id: unknown, packages: readonly string[]): ExampleChoice {
  const example = typeof id === 'string' ? findExample(id) : undefined;
  if (example === undefined) {
    throw new PplNixError(
      { kind: 'invalidInput', field: 'example', value: String(id) },
      `There is no example model "${String(id)}" (there are: ${EXAMPLES.map((e) => e.id).join(', ')})`,
    );
  }
  return { example, missing: missingFor(example, packages) };
}

async function chooseExample(ctx: Ctx, packages: readonly string[], where: string): Promise<ExampleChoice | undefined> {
  const { fitting, choices } = examplesFor(packages);
  const items: ExampleItem[] = choices.map((choice) => ({
    label: choice.example.title,
    description: examplePath(choice.example.files[0]!),
    detail:
      choice.missing.length === 0
        ? choice.example.summary
        : `Add ${choice.missing.join(', ')} to the environment first. ${choice.example.summary}`,
    choice,
  }));
  const picked = await ctx.dialogs.pick(items, {
    title: 'Add example model',
    placeHolder: fitting
      ? `Bayesian linear regression examples that run in ${where}`
      : `No example fits ${where} yet: each says what to add`,
    matchOnDescription: true,
  });
  return picked?.choice;
}

/** Copies the example's files into examples/; an existing, different file is replaced only when the user agrees (backup first). */
async function writeExample(
  ctx: Ctx,
  folder: vscode.WorkspaceFolder,
  example: ExampleModel,
): Promise<Pick<AddedExample, 'written' | 'kept' | 'backups'>> {
  const root = folder.uri.fsPath;
  const written: string[] = [];
  const kept: string[] = [];
  const backups: string[] = [];
  for (const name of example.files) {
    const source = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', EXAMPLES_FOLDER, name).fsPath;
    const content = await readIfExists(source);
    if (content === undefined) throw new Error(`the extension is missing its example ${source}`);
    const relativePath = examplePath(name);
    const target = join(root, relativePath);
    // examples/ (or the file) may be a symbolic link: PPL Nix writes only inside the folder.
    if (!(await staysInside(root, target))) {
      throw new PplNixError(
        { kind: 'unsafePath', path: target },
        `${relativePath} leads outside ${root} (a symbolic link): PPL Nix does not write there`,
      );
    }
    if (await exists(target)) {
      const current = await readIfExists(target).catch(() => undefined); // not text: different, ask
      if (current === content) {
        kept.push(relativePath);
        continue;
      }
      const answer = await ctx.dialogs.warning(
        `${relativePath} already exists. Replace it with the ${example.title} example?`,
        { modal: true, detail: `Your file is kept as a backup next to it (${basename(target)}.bak).` },
        'Replace',
        'Keep Mine',
      );
      if (answer !== 'Replace') {
        kept.push(relativePath);
        continue;
      }
      backups.push(relative(root, await backupFile(target)));
    }
    await writeFileAtomic(target, content, { within: root });
    written.push(relativePath);
  }
  return { written, kept, backups };
}

/** The terminals "Run in PPL Nix shell" opened, per environment file: the environment's terminal, reused while it lives. */
const runTerminals = new Map<string, vscode.Terminal>();

export interface RanExample {
  readonly terminal: string;
  /** The line typed into the terminal. */
  readonly commandLine: string;
  readonly environment: string;
}

/** "Run in PPL Nix shell": the file (given, else the active editor's) runs with the environment's python, in its terminal. */
export async function runInShell(ctx: Ctx, host: ExampleHost, target?: unknown): Promise<RanExample | undefined> {
  ctx.requireTrust(); // the terminal runs nix-shell, which evaluates the environment's file
  const uri = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
  if (uri === undefined || uri.scheme !== 'file' || !uri.fsPath.endsWith('.py')) {
    void vscode.window.showInformationMessage('Run in PPL Nix shell runs a Python file: open one first.');
    return undefined;
  }
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const environment = folder && (await host.environmentFile(folder));
  if (folder === undefined || environment === undefined) {
    const create = 'Create PPL Nix shell';
    void vscode.window
      .showInformationMessage('No PPL Nix environment in this folder to run it in: create one first.', create)
      .then((choice) => choice === create && vscode.commands.executeCommand(COMMANDS.createShell));
    return undefined;
  }
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (document?.isDirty === true) await document.save();
  const key = environment.fsPath;
  let terminal = runTerminals.get(key);
  if (terminal === undefined || terminal.exitStatus !== undefined || !vscode.window.terminals.includes(terminal)) {
    const name = environmentNameOf(await readIfExists(environment.fsPath), folder.name);
    terminal = host.openShellTerminal(environment.fsPath, name, nixProcessEnv(environment));
    if (terminal === undefined) return undefined;
    runTerminals.set(key, terminal);
  }
  const commandLine = runCommandLine(uri.fsPath);
  terminal.show();
  terminal.sendText(commandLine);
  ctx.log.info(`run: ${commandLine} in ${terminal.name} (${vscode.workspace.asRelativePath(environment)})`);
  return { terminal: terminal.name, commandLine, environment: vscode.workspace.asRelativePath(environment) };
}
