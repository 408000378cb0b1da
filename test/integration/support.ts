// Helpers for suites in the extension host.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PplNixApi } from '../../src/api';
import type { PplNixTesting } from '../../src/testing';

/** The extension's public API, as another extension sees it. */
export async function publicApi(): Promise<PplNixApi> {
  const extension = vscode.extensions.getExtension<PplNixApi>('ppl-nix.ppl-nix');
  assert.ok(extension, 'PPL Nix is installed');
  return extension.activate();
}

/** The testing object, which activate() returns only in the extension's test mode. */
export async function api(): Promise<PplNixTesting> {
  const exports = (await publicApi()) as PplNixApi & { testing?: PplNixTesting };
  assert.ok(exports.testing, 'the extension runs in test mode (ExtensionMode.Test)');
  return exports.testing;
}

export function folder(): vscode.WorkspaceFolder {
  const first = vscode.workspace.workspaceFolders?.[0];
  assert.ok(first, 'the test workspace has a folder');
  return first;
}

/** Tabs showing a webview of this view type (VS Code prefixes it with the extension id). */
export function webviewTabs(viewType: string): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(viewType));
}

export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs a command in a new integrated terminal and returns what it wrote. */
export async function inNewTerminal(script: string): Promise<string> {
  const out = join(folder().uri.fsPath, `.terminal-${Date.now()}.txt`);
  // The end marker tells a finished script from one still writing.
  const terminal = vscode.window.createTerminal({
    name: 'probe',
    shellPath: '/bin/sh',
    shellArgs: ['-c', `(${script}; echo __END__) > '${out}'`],
  });
  try {
    const text = await until(
      'the terminal output',
      () => (existsSync(out) && readFileSync(out, 'utf8').endsWith('__END__\n') ? readFileSync(out, 'utf8') : undefined),
      20_000,
    );
    return text.slice(0, -'__END__\n'.length);
  } finally {
    terminal.dispose();
  }
}
