// The state of a folder's environment, and how the status bar shows it. Pure, so every
// state's text, icon and tooltip is specified (and tested) here, not in the UI code.
import type { PplNixErrorData } from '../errors';

export interface ActiveEnv {
  readonly name: string;
  /** The flake devShell entered, when not the flake's default. */
  readonly shell?: string;
  readonly file: string;
  readonly python?: string;
  readonly pythonVersion?: string;
  readonly pin?: string;
  readonly fromCache: boolean;
}

export type EnvState =
  | { readonly kind: 'none' }
  | { readonly kind: 'disabled' }
  | { readonly kind: 'untrusted' }
  | { readonly kind: 'loading'; readonly file: string; readonly name: string; readonly progress?: string; readonly previous?: ActiveEnv }
  | { readonly kind: 'active'; readonly env: ActiveEnv }
  /** A re-capture failed: the last working environment stays applied. */
  | { readonly kind: 'stale'; readonly env: ActiveEnv; readonly error: string; readonly errorData: PplNixErrorData }
  /** Failed with nothing to fall back on. */
  | { readonly kind: 'failed'; readonly file: string; readonly name: string; readonly error: string; readonly errorData: PplNixErrorData };

export interface StatusView {
  readonly text: string;
  readonly tooltip: string;
  /** 'error' | 'warning' | undefined: the item's background. */
  readonly severity?: 'error' | 'warning';
}

/** An environment as the status bar names it: "bayes", or "bayes#gpu" for a flake's devShell other than its default. */
export const shellLabel = (name: string, shell: string | undefined): string => (shell === undefined ? name : `${name}#${shell}`);

const envLabel = (env: ActiveEnv): string =>
  `${shellLabel(env.name, env.shell)}${env.pythonVersion ? ` (Python ${env.pythonVersion})` : ''}`;

/** The environment's facts; `howEntered` only for an enter that succeeded (a stale one's last enter failed). */
function details(env: ActiveEnv, howEntered = true): string {
  return [
    `File: ${env.file}${env.shell === undefined ? '' : ` (devShell ${env.shell})`}`,
    env.pin && `nixpkgs: ${env.pin}`,
    env.python && `Interpreter: ${env.python}`,
    howEntered && env.fromCache ? 'Entered from cache (no Nix run)' : undefined,
  ]
    .filter(Boolean)
    .join('\n');
}

export function statusView(state: EnvState): StatusView {
  switch (state.kind) {
    case 'none':
      return { text: '$(beaker) PPL Nix', tooltip: 'No PPL Nix environment: click to choose or create one' };
    case 'disabled':
      return { text: '$(circle-slash) PPL Nix', tooltip: 'PPL Nix is disabled for this workspace: click to enable' };
    case 'untrusted':
      return {
        text: '$(shield) PPL Nix: untrusted',
        tooltip: 'Restricted Mode: PPL Nix does not evaluate Nix in untrusted folders. Click to manage trust.',
        severity: 'warning',
      };
    case 'loading':
      return {
        text: `$(sync~spin) ${state.name}`,
        tooltip: `Entering ${state.file}…${state.progress ? `\n${state.progress}` : ''}${state.previous ? `\nStill using ${envLabel(state.previous)} meanwhile` : ''}`,
      };
    case 'active':
      return { text: `$(beaker) ${envLabel(state.env)}`, tooltip: `PPL Nix environment ${envLabel(state.env)}\n${details(state.env)}` };
    case 'stale':
      return {
        text: `$(warning) ${envLabel(state.env)}`,
        tooltip: `Reload failed: the last working environment (${envLabel(state.env)}) stays applied.\n${state.error}\n${details(state.env, false)}\nClick to retry, open the error or show the log.`,
        severity: 'warning',
      };
    case 'failed':
      return { text: `$(error) ${state.name}`, tooltip: `Could not enter ${state.file}:\n${state.error}`, severity: 'error' };
  }
}
