// Nix language support in the real extension host: opening a generated shell.nix starts PPL
// Nix's own server; completion, hover, diagnostics and quick fixes work on it; asking for nil
// when it is not installed says so exactly once.
import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { api, folder, until } from './support';

async function insertBefore(document: vscode.TextDocument, marker: string, text: string): Promise<vscode.Position> {
  const at = document.positionAt(document.getText().indexOf(marker));
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, at, text);
  assert.ok(await vscode.workspace.applyEdit(edit));
  return at;
}

/** A stand-in for nil: PPL Nix's own server speaking LSP over stdio, as nil does. */
function fakeNil(): string {
  const extension = vscode.extensions.getExtension('ppl-nix.ppl-nix');
  assert.ok(extension);
  const path = join(mkdtempSync(join(tmpdir(), 'fake-nil-')), 'nil');
  writeFileSync(path, `#!/bin/sh\nexec "${process.execPath}" "${join(extension.extensionPath, 'dist/server.js')}" --stdio\n`);
  chmodSync(path, 0o755);
  return path;
}

const hoverText = (hovers: readonly vscode.Hover[]): string =>
  hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');

describe('Nix language support', () => {
  let document: vscode.TextDocument;

  before(async () => {
    const path = join(folder().uri.fsPath, 'lsp-test', 'shell.nix');
    await (await api()).writeShell(path, { name: 'lsp', pin: 'nixos-25.05', python: '3.12', packages: ['pymc', 'arviz'] });
    document = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
    await vscode.window.showTextDocument(document);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('pplNix').update('languageServer', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('pplNix').update('languageServerPath', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('a shell.nix opens as Nix and starts the shell.nix server', async () => {
    assert.equal(document.languageId, 'nix');
    await until('the shell.nix server', async () => (await api()).languageSupport().ownServer, 20_000);
  });

  it('completes numpyro in the package list, with its description; pymc, already listed, is not offered again', async () => {
    const at = await insertBefore(document, '    # Analysis & plotting', '    num\n');
    const position = at.translate(0, 7);
    const list = await until('completions with numpyro', async () => {
      const result = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        document.uri,
        position,
      );
      return result.items.some((item) => item.label === 'numpyro') ? result : undefined;
    });
    const numpyro = list.items.find((item) => item.label === 'numpyro');
    const docs = numpyro?.documentation;
    assert.match(typeof docs === 'string' ? docs : (docs?.value ?? ''), /Probabilistic programming with NumPy/);
    assert.ok(!list.items.some((item) => item.label === 'pymc'), 'pymc is in the list already');
    assert.ok(!list.items.some((item) => item.label === 'aesara'), 'aesara was removed at nixos-25.05');
  });

  it('hover on pymc shows its description and homepage', async () => {
    const position = document.positionAt(document.getText().indexOf('    pymc\n') + 6);
    const text = await until(
      'a hover',
      async () =>
        hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position)) || undefined,
    );
    assert.match(text, /\*\*PyMC\*\* `pymc`/);
    assert.match(text, /Bayesian modelling/);
    assert.match(text, /https:\/\/www\.pymc\.io/);
  });

  it('theano is flagged at nixos-25.05 and its quick fix replaces it with pytensor', async () => {
    await insertBefore(document, '    # Analysis & plotting', '    theano\n');
    const diagnostic = await until(
      'the theano diagnostic',
      () => vscode.languages.getDiagnostics(document.uri).find((d) => /theano has been removed/.test(d.message)),
      20_000,
    );
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error, 'nixpkgs refuses it: an error, in its words');
    assert.equal(document.getText(diagnostic.range), 'theano');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      diagnostic.range,
    );
    const replace = actions.find((action) => action.title === 'Replace theano with pytensor');
    assert.ok(replace?.edit, `a replace fix among: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(replace.edit));
    assert.ok(document.getText().includes('    pytensor\n') && !document.getText().includes('theano'));
    await until('the diagnostic to clear', () => !vscode.languages.getDiagnostics(document.uri).some((d) => /theano/.test(d.message)));
  });

  it('the seed file (http:// branch tarball): it is re-pinned to the revision of its hash; the migrate link gets the file', async () => {
    const extension = vscode.extensions.getExtension('ppl-nix.ppl-nix');
    assert.ok(extension);
    const path = join(folder().uri.fsPath, 'tweag', 'shell.nix');
    mkdirSync(join(folder().uri.fsPath, 'tweag'), { recursive: true });
    writeFileSync(path, readFileSync(join(extension.extensionPath, 'test/fixtures/tweag-2022/shell.nix')));
    const tweag = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
    await vscode.window.showTextDocument(tweag);
    const diagnostic = await until(
      'the branch tarball diagnostic',
      () => vscode.languages.getDiagnostics(tweag.uri).find((d) => /will break when the branch moves/.test(d.message)),
      20_000,
    );
    assert.equal(tweag.getText(diagnostic.range), 'http://github.com/NixOS/nixpkgs/archive/nixpkgs-unstable.tar.gz');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      tweag.uri,
      diagnostic.range,
    );
    const migrate = actions.find((action) => action.command?.command === 'pplNix.migrate');
    assert.ok(
      migrate?.command?.arguments?.[0] instanceof vscode.Uri,
      `a migrate link with the file's Uri among: ${actions.map((a) => a.title).join(', ')}`,
    );
    assert.equal(String(migrate.command.arguments[0]), String(tweag.uri));
    const exact = actions.find((action) => action.title.startsWith('Pin the exact revision this hash belongs to'));
    assert.ok(exact?.edit);
    assert.ok(await vscode.workspace.applyEdit(exact.edit));
    assert.ok(
      tweag.getText().includes('url = "https://github.com/NixOS/nixpkgs/archive/30d3d79b7d3607d56546dd2a6b49e156ba0ec634.tar.gz";'),
    );
    await until('the diagnostic to clear', () => !vscode.languages.getDiagnostics(tweag.uri).some((d) => /branch moves/.test(d.message)));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.window.showTextDocument(document);
  });

  it('pplNix.languageServer "nil" without nil installed: one message, not repeated on restart', async () => {
    await vscode.workspace.getConfiguration('pplNix').update('languageServer', 'nil', vscode.ConfigurationTarget.Workspace);
    const messages = await until('the missing-nil message', async () => {
      const shown = (await api()).languageSupport().messages;
      return shown.length > 0 ? shown : undefined;
    });
    assert.equal(messages.length, 1);
    assert.match(messages[0] ?? '', /the Nix language server nil was not found/);
    assert.match(messages[0] ?? '', /add `nil` to your shell's packages/);
    await vscode.commands.executeCommand('pplNix.restartLanguageServers');
    await until('the shell.nix server after the restart', async () => (await api()).languageSupport().ownServer, 20_000);
    // A setting change re-applies the nil/nixd choice; wait until that happened, then count the messages.
    const checks = (await api()).languageSupport().externalChecks;
    await vscode.workspace.getConfiguration('pplNix').update('languageServerPath', '', vscode.ConfigurationTarget.Workspace);
    await until('the setting change to be handled', async () => (await api()).languageSupport().externalChecks > checks || undefined);
    assert.equal((await api()).languageSupport().messages.length, 1, 'still exactly one message');
    assert.equal((await api()).languageSupport().external, undefined);
  });

  it('a nil binary given by pplNix.languageServerPath is started (trusted workspace)', async function () {
    if (!vscode.workspace.isTrusted) this.skip();
    const nil = fakeNil();
    await vscode.workspace.getConfiguration('pplNix').update('languageServerPath', nil, vscode.ConfigurationTarget.Workspace);
    await until('nil to start', async () => (await api()).languageSupport().external === nil, 20_000);
    await vscode.workspace.getConfiguration('pplNix').update('languageServer', 'off', vscode.ConfigurationTarget.Workspace);
    await until('nil to stop when turned off', async () => (await api()).languageSupport().external === undefined);
  });
});

describe('Nix language support in Restricted Mode', () => {
  before(function () {
    if (vscode.workspace.isTrusted) this.skip();
  });
  after(async () => {
    await vscode.workspace.getConfiguration('pplNix').update('languageServerPath', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('runs the shell.nix server but never nil, even when the user setting names one', async () => {
    const nil = fakeNil();
    await vscode.workspace.getConfiguration('pplNix').update('languageServerPath', nil, vscode.ConfigurationTarget.Global);
    const path = join(folder().uri.fsPath, 'restricted', 'shell.nix');
    await (await api()).writeShell(path, { name: 'restricted', pin: 'nixos-25.05', python: '3.12', packages: ['pymc'] });
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
    await vscode.window.showTextDocument(document);
    await until('the shell.nix server', async () => (await api()).languageSupport().ownServer, 20_000);
    await vscode.commands.executeCommand('pplNix.restartLanguageServers');
    await until('the shell.nix server after the restart', async () => (await api()).languageSupport().ownServer, 20_000);
    assert.equal((await api()).languageSupport().external, undefined);
    assert.deepEqual((await api()).languageSupport().messages, []);
  });
});
