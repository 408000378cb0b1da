// A typed view of contributes.configuration: every setting PPL Nix reads, in one place.
import * as vscode from 'vscode';
import { DEFAULT_CHANNEL_BASE_URL, DEFAULT_TARBALL_URL_TEMPLATE, type ChannelSources } from '../core/pins/channel';
import { parseCustomPins, type CustomPinProblem, type Pin } from '../core/pins/pins';

const SECTION = 'pplNix';

export interface Setting<T> {
  readonly key: string;
  get(scope?: vscode.ConfigurationScope): T;
  isAffectedBy(event: vscode.ConfigurationChangeEvent): boolean;
}

function setting<T>(name: string, fallback: T): Setting<T> {
  const key = `${SECTION}.${name}`;
  return {
    key,
    get: (scope) => vscode.workspace.getConfiguration(SECTION, scope).get<T>(name, fallback),
    isAffectedBy: (event) => event.affectsConfiguration(key),
  };
}

export const settings = {
  /** Pins the user adds: [{ label, url, sha256, pythons? }]. */
  customPins: setting<unknown>('customPins', []),
  /** A folder holding nix, nix-shell, … when they are not on the extension host's PATH. Restricted in untrusted workspaces. */
  nixBinDir: setting<string>('nixBinDir', ''),
  /** Where channels' git-revision files are read from ("Update nixpkgs pin"); a mirror works. */
  channelBaseUrl: setting<string>('channelBaseUrl', DEFAULT_CHANNEL_BASE_URL),
  /** The tarball URL of a revision; {rev} is replaced. */
  tarballUrlTemplate: setting<string>('tarballUrlTemplate', DEFAULT_TARBALL_URL_TEMPLATE),
  /** nil or nixd next to PPL Nix's own shell.nix server (trusted workspaces only). Restricted in untrusted workspaces. */
  languageServer: setting<'auto' | 'nil' | 'nixd' | 'off'>('languageServer', 'auto'),
  /** The nil/nixd binary when it is not on PATH. Restricted in untrusted workspaces. */
  languageServerPath: setting<string>('languageServerPath', ''),
  /** Re-enter the folder's environment when the workspace opens. */
  autoEnter: setting<boolean>('autoEnter', true),
  /** What happens when the environment's file changes. */
  reloadOnChange: setting<'auto' | 'prompt' | 'off'>('reloadOnChange', 'auto'),
  /** Point the Python interpreter at the environment when entering it. */
  setPythonInterpreter: setting<boolean>('setPythonInterpreter', true),
} as const;

export function readCustomPins(scope?: vscode.ConfigurationScope): { pins: Pin[]; problems: CustomPinProblem[] } {
  return parseCustomPins(settings.customPins.get(scope));
}

/** The environment Nix commands run with: the host's, with nixBinDir in front of PATH when set. */
export function nixProcessEnv(scope?: vscode.ConfigurationScope): NodeJS.ProcessEnv {
  const binDir = settings.nixBinDir.get(scope).trim();
  const env = { ...process.env };
  if (binDir !== '') env['PATH'] = `${binDir}:${env['PATH'] ?? ''}`;
  return env;
}

/** Where "Update nixpkgs pin" reads channel revisions and which tarball URL it writes. */
export function channelSources(scope?: vscode.ConfigurationScope): ChannelSources {
  return {
    channelBaseUrl: settings.channelBaseUrl.get(scope).trim() || DEFAULT_CHANNEL_BASE_URL,
    tarballUrlTemplate: settings.tarballUrlTemplate.get(scope).trim() || DEFAULT_TARBALL_URL_TEMPLATE,
  };
}
