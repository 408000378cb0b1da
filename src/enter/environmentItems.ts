// The environments the status-bar switcher offers for a folder: every environment file found and,
// for a flake.nix, each of its devShells for this machine's system, read from flake.nix without
// evaluating it (core/shellNix/devShells.ts). When the reader cannot tell them all, the default
// is offered with a note and, in a trusted workspace, "List … with Nix" asks Nix once, on demand
// (it evaluates the flake and may fetch its inputs, so never without being asked).
import * as vscode from 'vscode';
import { shellLabel } from '../core/enter/status';
import { checkDevShellName, isFlake } from '../core/nix/argv';
import { readDevShells } from '../core/shellNix/devShells';
import { environmentNameOf } from '../core/spec/readback';
import { readIfExists } from '../host/files';
import { currentSystem } from '../host/nix';
import type { Ctx } from '../shared/context';
import { showError } from '../shared/errors';
import { withNixProgress } from '../shared/progress';
import { nixProcessEnv } from '../shared/settings';
import type { EnvironmentController } from './controller';
import { findEnvironments } from './discovery';

export type EnvironmentItem = vscode.QuickPickItem & { readonly run: () => unknown };

/** What a folder runs on when Node does not say (Nix does not run elsewhere). */
const FALLBACK_SYSTEM = 'x86_64-linux';

export async function environmentItems(
  ctx: Ctx,
  controller: EnvironmentController,
  folder: vscode.WorkspaceFolder,
): Promise<EnvironmentItem[]> {
  const state = controller.state(folder);
  const active = state.kind === 'active' || state.kind === 'stale' ? state.env : undefined;
  const items: EnvironmentItem[] = [];
  for (const file of await findEnvironments(folder)) {
    const relative = vscode.workspace.asRelativePath(file);
    const item = (shell: string | undefined, notes: readonly string[], detail?: string): EnvironmentItem => {
      const isActive = active?.file === relative && active.shell === shell;
      const description = [...notes, ...(isActive ? ['active'] : [])].join(' · ');
      return {
        label: `$(beaker) ${shell === undefined ? relative : `${relative}#${shell}`}`,
        ...(description === '' ? {} : { description }),
        ...(detail === undefined ? {} : { detail }),
        run: () => controller.enter(folder, file, shell === undefined ? {} : { shell }),
      };
    };
    if (!isFlake(file.fsPath)) {
      items.push(item(undefined, []));
      continue;
    }
    const system = currentSystem() ?? FALLBACK_SYSTEM;
    const shells = readDevShells((await readIfExists(file.fsPath)) ?? '', system);
    // The default is offered unless flake.nix plainly has none (Nix also falls back to a legacy devShell).
    if (shells.names.includes('default') || !shells.complete || shells.names.length === 0)
      items.push(item(undefined, ['default devShell'], shells.note));
    for (const name of shells.names) if (name !== 'default') items.push(item(name, ['devShell']));
    if (!shells.complete && ctx.trusted) {
      items.push({
        label: `$(search) List the devShells of ${relative} with Nix…`,
        description: 'evaluates the flake (it may download its inputs)',
        run: () => listWithNix(ctx, controller, folder, file, system),
      });
    }
  }
  return items;
}

/** Asks Nix for the flake's devShell names (bounded, cancellable), then offers them. */
async function listWithNix(
  ctx: Ctx,
  controller: EnvironmentController,
  folder: vscode.WorkspaceFolder,
  file: vscode.Uri,
  system: string,
): Promise<unknown> {
  ctx.requireTrust();
  const relative = vscode.workspace.asRelativePath(file);
  let names: string[];
  try {
    names = await withNixProgress(ctx.signal, `Listing the devShells of ${relative}`, (signal, report) =>
      ctx.nix.devShellNames(file.fsPath, system, { env: nixProcessEnv(folder.uri), signal, onProgress: report }),
    );
  } catch (error) {
    return showError(ctx, error, `Could not list the devShells of ${relative}`);
  }
  const name = environmentNameOf(await readIfExists(file.fsPath), folder.name);
  const enterable = names.filter((shell) => shell === 'default' || checkDevShellName(shell) === undefined);
  const picked = await vscode.window.showQuickPick(
    enterable.map((shell) => ({ label: `$(beaker) ${relative}${shell === 'default' ? '' : `#${shell}`}`, shell })),
    { title: `devShells of ${relative} (${system})`, placeHolder: enterable.length === 0 ? 'Nix found no devShell' : `Enter ${name}…` },
  );
  if (picked === undefined) return undefined;
  ctx.log.info(`switcher: entering ${shellLabel(relative, picked.shell === 'default' ? undefined : picked.shell)}`);
  return controller.enter(folder, file, picked.shell === 'default' ? {} : { shell: picked.shell });
}
