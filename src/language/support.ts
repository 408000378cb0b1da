// Nix language support, loaded lazily: activation does not load the language client (its bundle,
// dist/languageClient.js, is most of the extension's code); the first Nix document does. Until
// then this stands in for it: its state says no server runs, and restarts have nothing to restart.
import * as vscode from 'vscode';
import type { Ctx } from '../shared/context';
import { loadBundle } from '../shared/lazyBundle';
import { settings } from '../shared/settings';
import type { LanguageSupport, LanguageSupportState } from './client';

export type { LanguageSupportState } from './client';

/** What the rest of the extension uses of language support. */
export interface LanguageSupportHandle {
  state(): LanguageSupportState;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

class LazyLanguageSupport implements LanguageSupportHandle {
  private loaded: LanguageSupport | undefined;

  constructor(private readonly ctx: Ctx) {}

  /** The real support, loading its bundle on first use. */
  private load(): LanguageSupport {
    this.loaded ??= loadBundle<{ createLanguageSupport(ctx: Ctx): LanguageSupport }>(this.ctx, 'languageClient').createLanguageSupport(
      this.ctx,
    );
    return this.loaded;
  }

  onDocument(document: vscode.TextDocument): void {
    if (document.languageId === 'nix') void this.load().onDocument(document);
  }

  restartExternal(): void {
    void this.loaded?.restartExternal();
  }

  state(): LanguageSupportState {
    return this.loaded?.state() ?? { ownServer: false, messages: [], externalChecks: 0 };
  }

  async restart(): Promise<void> {
    await this.load().restart();
  }

  async stop(): Promise<void> {
    await this.loaded?.stop();
  }
}

/** Wires Nix language support into the extension (called once from activate). */
export function registerLanguageSupport(ctx: Ctx): LanguageSupportHandle {
  const support = new LazyLanguageSupport(ctx);
  ctx.own(vscode.workspace.onDidOpenTextDocument((document) => support.onDocument(document)));
  ctx.own(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if ([settings.languageServer, settings.languageServerPath, settings.nixBinDir].some((s) => s.isAffectedBy(event)))
        support.restartExternal();
    }),
  );
  ctx.own(vscode.workspace.onDidGrantWorkspaceTrust(() => support.restartExternal()));
  const open = vscode.workspace.textDocuments.find((document) => document.languageId === 'nix');
  if (open !== undefined) support.onDocument(open);
  return support;
}
