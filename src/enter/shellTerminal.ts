// Terminals "in the shell": a real nix-shell (or `nix develop` for a flake), so the shellHook
// runs too. Opened by command, after Create, or from the terminal dropdown (profile "PPL Nix shell").
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { nixNotFoundSentence, nixSearchDirs } from '../core/enter/nixPresence';
import { shellLabel } from '../core/enter/status';
import { interactiveShell } from '../core/nix/argv';
import { environmentNameOf } from '../core/spec/readback';
import { readIfExists } from '../host/files';
import { findExecutable } from '../host/nixProbe';
import type { Ctx } from '../shared/context';
import { currentFolder, readText, shellFileArgument } from '../shared/pick';
import { nixProcessEnv } from '../shared/settings';
import type { EnvironmentController } from './controller';
import { onlyShellFile } from './discovery';
import type { NixPresenceMonitor } from './nixPresence';

const TERMINAL_PROFILE = 'pplNix.shell';

/** Told when a terminal could not open because Nix is missing (set by registerTerminalProfile). */
let presence: NixPresenceMonitor | undefined;

/**
 * What a terminal running the shell itself starts with: the extension host's environment (Nix's
 * folder first on PATH), cleaned like VS Code cleans its own (no ELECTRON_*, no VSCODE_* of the
 * extension host). The terminal opts out of environment collections (strictEnv): nix-shell sets
 * the environment up itself, so VS Code has nothing to relaunch it for and never flags it with
 * "The following extensions want to relaunch the terminal…".
 */
function shellProcessEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (/^ELECTRON_.+$/.test(key) || /^VSCODE_(?!(PORTABLE|SHELL_LOGIN|ENV_REPLACE|ENV_APPEND|ENV_PREPEND)).+$/.test(key)) continue;
    if (/^SNAP(|_.*)$/.test(key) || /^GDK_PIXBUF_.+$/.test(key)) continue;
    clean[key] = value;
  }
  // What VS Code adds to its terminals' environment (it adds nothing to a strict one).
  clean['TERM_PROGRAM'] = 'vscode';
  clean['COLORTERM'] ??= 'truecolor';
  return clean;
}

/**
 * A terminal running the environment's interactive shell (nix-shell FILE, or nix develop for a
 * flake), started by its absolute path; undefined when the command is not found (stat only).
 */
function nixShellTerminalOptions(
  file: string,
  name: string,
  env: NodeJS.ProcessEnv,
  shell?: string,
): vscode.TerminalOptions | { missing: 'nix-shell' | 'nix' } {
  const argv = interactiveShell(file, shell);
  const command = argv.command === 'nix' ? 'nix' : 'nix-shell';
  const shellPath = findExecutable(nixSearchDirs('', env['PATH'] ?? ''), command);
  if (shellPath === undefined) return { missing: command };
  return {
    name: `PPL Nix: ${shellLabel(name, shell)}`,
    shellPath,
    shellArgs: [...argv.args],
    cwd: dirname(file),
    env: shellProcessEnvironment(env),
    strictEnv: true,
    iconPath: new vscode.ThemeIcon('beaker'),
  };
}

/**
 * Opens a terminal in the environment's shell. When Nix is missing no terminal opens (never VS
 * Code's "Path to shell executable … does not exist"): the "Nix not found" message says what to do.
 */
export function openNixShellTerminal(file: string, name: string, env: NodeJS.ProcessEnv, shell?: string): vscode.Terminal | undefined {
  const options = nixShellTerminalOptions(file, name, env, shell);
  if ('missing' in options) {
    presence?.check();
    presence?.reportMissing(options.missing, `Could not open a terminal in ${name}`);
    return undefined;
  }
  const terminal = vscode.window.createTerminal(options);
  terminal.show();
  return terminal;
}

/** "Open Terminal in PPL Nix Shell": the file given (explorer) or chosen. */
export async function openTerminalCommand(ctx: Ctx, target?: unknown): Promise<vscode.Terminal | undefined> {
  ctx.requireTrust();
  const file = await shellFileArgument(target);
  if (file === undefined) return undefined;
  const folderName = vscode.workspace.getWorkspaceFolder(file)?.name ?? dirname(file.fsPath);
  return openNixShellTerminal(file.fsPath, environmentNameOf(await readText(file), folderName), nixProcessEnv(file));
}

export function registerTerminalProfile(ctx: Ctx, controller: EnvironmentController, nix: NixPresenceMonitor): void {
  presence = nix;
  ctx.own(
    vscode.window.registerTerminalProfileProvider(TERMINAL_PROFILE, {
      async provideTerminalProfile() {
        const folder = currentFolder();
        if (folder === undefined) throw new Error('Open a folder with a shell.nix first.');
        if (!ctx.trusted) throw new Error('Restricted Mode: PPL Nix starts no Nix shell in untrusted folders.');
        const remembered = controller.remembered(folder);
        const file = remembered?.file ?? (await onlyShellFile(folder));
        if (file === undefined) throw new Error('No PPL Nix environment in this folder: create one with "Create PPL Nix shell".');
        const state = controller.state(folder);
        const name =
          state.kind === 'active' || state.kind === 'stale'
            ? state.env.name
            : environmentNameOf(await readIfExists(file.fsPath), folder.name);
        const options = nixShellTerminalOptions(file.fsPath, name, nixProcessEnv(file), remembered?.shell);
        if ('missing' in options) {
          nix.check();
          throw new Error(nixNotFoundSentence(options.missing)); // VS Code shows it as the profile's error
        }
        return new vscode.TerminalProfile(options);
      },
    }),
  );
}
