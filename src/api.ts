// What PPL Nix offers other extensions (`vscode.extensions.getExtension('ppl-nix.ppl-nix').exports`):
// the environment a folder uses, and an event when it changes. Documented in the README.
import * as vscode from 'vscode';
import type { EnvironmentController } from './enter/controller';
import type { Ctx } from './shared/context';

export interface PplNixEnvironment {
  /** The workspace folder that uses it. */
  readonly folder: vscode.Uri;
  readonly name: string;
  /** The shell.nix (or other .nix / flake.nix) it was entered from. */
  readonly file: vscode.Uri;
  /** For a flake: the devShell entered, when it is not the flake's default ("gpu" for flake.nix#gpu). */
  readonly shell?: string;
  /** "active" (also while another environment loads), or "stale": a reload failed and this, the last working one, is kept. */
  readonly status: 'active' | 'stale';
  /** "3.12", for files PPL Nix wrote. */
  readonly pythonVersion?: string;
  /** The nixpkgs pin's label, for files PPL Nix wrote. */
  readonly pin?: string;
  /** The interpreter at its stable, garbage-collector-rooted path (`.ppl-nix/<name>/env/bin/python3`). */
  readonly interpreterPath?: string;
  /** Variables the environment sets or changes (PATH excluded). */
  readonly variables: Readonly<Record<string, string>>;
  /** Directories the environment puts in front of PATH, in order. */
  readonly pathPrefix: readonly string[];
}

export interface PplNixApi {
  readonly apiVersion: 1;
  /** The environment a workspace folder uses now, or undefined (none, loading, failed, untrusted, disabled). */
  getEnvironment(folder: vscode.Uri): PplNixEnvironment | undefined;
  /** Fires when a folder's environment changes (entered, switched, stale, removed). */
  readonly onDidChangeEnvironment: vscode.Event<{ readonly folder: vscode.Uri; readonly environment: PplNixEnvironment | undefined }>;
}

export function createApi(ctx: Ctx, environments: EnvironmentController): PplNixApi {
  const environmentOf = (folder: vscode.WorkspaceFolder): PplNixEnvironment | undefined => {
    const state = environments.state(folder);
    const applied = environments.applied(folder);
    // While another environment loads, the previous one is still what terminals get.
    const env = state.kind === 'active' || state.kind === 'stale' ? state.env : state.kind === 'loading' ? state.previous : undefined;
    if (env === undefined || applied === undefined) return undefined;
    return {
      folder: folder.uri,
      name: env.name,
      file: applied.file,
      ...(applied.shell === undefined ? {} : { shell: applied.shell }),
      status: state.kind === 'stale' ? 'stale' : 'active',
      ...(env.pythonVersion === undefined ? {} : { pythonVersion: env.pythonVersion }),
      ...(env.pin === undefined ? {} : { pin: env.pin }),
      ...(env.python === undefined ? {} : { interpreterPath: env.python }),
      variables: Object.fromEntries(Object.entries(applied.entry.variables).filter(([name]) => name !== 'PATH')),
      pathPrefix: applied.entry.pathPrefix,
    };
  };
  const changed = ctx.own(new vscode.EventEmitter<{ readonly folder: vscode.Uri; readonly environment: PplNixEnvironment | undefined }>());
  // The controller fires on every state change (loading lines too): pass on real changes only.
  const last = new Map<string, string>();
  ctx.own(
    environments.onDidChange((folder) => {
      const environment = environmentOf(folder);
      const fingerprint = JSON.stringify(environment ?? null);
      if (last.get(folder.uri.toString()) === fingerprint) return;
      last.set(folder.uri.toString(), fingerprint);
      changed.fire({ folder: folder.uri, environment });
    }),
  );
  return {
    apiVersion: 1,
    getEnvironment(uri) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      return folder === undefined ? undefined : environmentOf(folder);
    },
    onDidChangeEnvironment: changed.event,
  };
}
