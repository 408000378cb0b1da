// The picker's host side in the real extension host: the command opens one panel per
// folder; messages sent exactly as the webview sends them write the expected file; a
// foreign file is never replaced without the question; malformed messages are rejected.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PickerForm } from '../../src/core/picker/form';
import type { HostMessage } from '../../src/core/picker/protocol';
import { api, folder, until, webviewTabs } from './support';

const SHA = '1jvflnbrxa8gjxkwjq6kdpdzgwp0hs59h9l3xjasksv0v7xlwykz';
const FIXTURE_PIN = { label: 'fixture', url: 'file:///tmp/ppl-nix-fixture.tar.gz', sha256: SHA, pythons: ['3.11', '3.12', '3.13'] };

describe('Create PPL Nix shell (host side)', () => {
  let initForm: PickerForm;

  before(async () => {
    await vscode.workspace.getConfiguration('pplNix').update('customPins', [FIXTURE_PIN], vscode.ConfigurationTarget.Workspace);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('pplNix').update('customPins', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the palette command opens one "Create PPL Nix shell" panel per folder', async () => {
    await vscode.commands.executeCommand('pplNix.createShell');
    const tabs = await until('the picker tab', () =>
      webviewTabs('pplNix.createShell').length > 0 ? webviewTabs('pplNix.createShell') : undefined,
    );
    assert.equal(tabs[0]?.label, 'Create PPL Nix shell');
    await vscode.commands.executeCommand('pplNix.createShell');
    assert.equal(webviewTabs('pplNix.createShell').length, 1, 'running it again reveals the same panel');
  });

  it('answers ready with the form for this folder, the custom pin and the shipped pins', async () => {
    const replies = await (await api()).sendPickerMessage(folder(), { type: 'ready' });
    const init = replies[0];
    assert.ok(init?.type === 'init');
    initForm = init.form;
    assert.equal(init.form.folder, folder().uri.toString());
    assert.equal(init.form.file, 'shell.nix');
    assert.equal(init.pins[0]?.label, 'fixture');
    assert.ok(init.pins.some((pin) => pin.branch === 'nixos-25.05'));
    assert.deepEqual(init.pinProblems, []);
  });

  it('create writes the pinned shell.nix the preview shows', async () => {
    const target = join(folder().uri.fsPath, 'envs', 'bayes.nix');
    rmSync(target, { force: true });
    const form: PickerForm = {
      ...initForm,
      file: 'envs/bayes.nix',
      name: 'bayes',
      pin: 'fixture',
      python: '3.12',
      packages: ['pymc', 'arviz'],
      openTerminal: false,
      useInterpreter: false,
    };
    const replies = await (await api()).sendPickerMessage(folder(), { type: 'create', form });
    const result = replies.find((r): r is Extract<HostMessage, { type: 'result' }> => r.type === 'result');
    assert.equal(result?.ok, true, result?.message);
    assert.match(result?.message ?? '', /envs\/bayes\.nix created: Python 3\.12 with PyMC, ArviZ/);
    const text = readFileSync(target, 'utf8');
    for (const expected of [
      `url = "${FIXTURE_PIN.url}";`,
      `sha256 = "${SHA}";`,
      'pkgs.python312.withPackages',
      '    pymc\n',
      '    arviz\n',
      'pkgs.mkShell {',
    ]) {
      assert.ok(text.includes(expected), `file contains ${expected}`);
    }
    const status = await (await api()).sendPickerMessage(folder(), { type: 'checkFile', folder: form.folder, file: form.file });
    assert.deepEqual(status[0]?.type === 'fileStatus' && status[0].status, 'managed');
  });

  it('after a create, a notification offers the next steps: Open Terminal (when the form opened none) and Add Example Model', async function () {
    this.timeout(60_000);
    const pplNix = await api();
    const target = join(folder().uri.fsPath, 'envs', 'next.nix');
    const example = join(folder().uri.fsPath, 'examples', 'emcee_linear_regression.py');
    rmSync(target, { force: true });
    rmSync(example, { force: true });
    const form: PickerForm = {
      ...initForm,
      file: 'envs/next.nix',
      name: 'next',
      pin: 'fixture',
      python: '3.12',
      packages: ['emcee'],
      openTerminal: false,
      useInterpreter: false,
    };
    const create = async (...answers: string[]): Promise<string[]> => {
      const asked = pplNix.dialogsAsked().length;
      pplNix.answerDialogs(...answers);
      const replies = await pplNix.sendPickerMessage(folder(), { type: 'create', form });
      assert.ok(
        replies.some((r) => r.type === 'result' && r.ok),
        JSON.stringify(replies),
      );
      assert.match(pplNix.dialogsAsked()[asked] ?? '', /^envs\/next\.nix (created|is already up to date): Python 3\.12 with emcee\.$/);
      return pplNix.dialogsAsked().slice(asked);
    };
    // "Add Example Model" runs the command for the file written: the emcee example fits it.
    await create('Add Example Model', 'emcee');
    await until('the example written', () => existsSync(example) || undefined);
    await create('Open Terminal');
    const terminal = await until('the terminal', () => vscode.window.terminals.find((t) => t.name === 'PPL Nix: next'));
    terminal.dispose();
  });

  it('asks before replacing a file it did not write, and keeps a backup when told to replace', async () => {
    const target = join(folder().uri.fsPath, 'shell.nix');
    const foreign = '{ pkgs ? import <nixpkgs> {} }: pkgs.mkShell { }\n';
    writeFileSync(target, foreign);
    rmSync(`${target}.bak`, { force: true });
    const form: PickerForm = {
      ...initForm,
      pin: 'fixture',
      python: '3.12',
      packages: ['numpyro'],
      openTerminal: false,
      useInterpreter: false,
    };
    const pplNix = await api();
    const before = pplNix.dialogsAsked().length;
    pplNix.answerDialogs(undefined); // dismiss the "exists and was not written by PPL Nix" dialog
    const cancelled = await pplNix.sendPickerMessage(folder(), { type: 'create', form });
    assert.deepEqual(pplNix.dialogsAsked().slice(before), ['shell.nix exists and was not written by PPL Nix.']);
    assert.equal(
      cancelled.find((r) => r.type === 'result')?.type === 'result' && (cancelled.find((r) => r.type === 'result') as { ok: boolean }).ok,
      false,
    );
    assert.equal(readFileSync(target, 'utf8'), foreign, 'cancel leaves the file untouched');
    pplNix.answerDialogs('Replace and keep a backup');
    const replaced = await pplNix.sendPickerMessage(folder(), { type: 'create', form });
    assert.ok(replaced.some((r) => r.type === 'result' && r.ok && /replaced/.test(r.message)));
    assert.equal(readFileSync(`${target}.bak`, 'utf8'), foreign);
    assert.match(readFileSync(target, 'utf8'), /numpyro/);
  });

  it('rejects malformed messages and never writes outside the folder', async () => {
    const pplNix = await api();
    const before = pplNix.rejectedPickerMessages();
    for (const bad of [{ type: 'write', path: '/tmp/x' }, { type: 'create', form: { ...initForm, packages: 'pymc' } }, 'create', null]) {
      assert.deepEqual(await pplNix.sendPickerMessage(folder(), bad), [], JSON.stringify(bad));
    }
    assert.equal(pplNix.rejectedPickerMessages(), before + 4);
    const escape = await pplNix.sendPickerMessage(folder(), {
      type: 'create',
      form: { ...initForm, file: '../escaped.nix', pin: 'fixture', python: '3.12' },
    });
    assert.ok(escape.some((r) => r.type === 'result' && !r.ok && /Nothing was written/.test(r.message)));
    assert.ok(!existsSync(join(folder().uri.fsPath, '..', 'escaped.nix')));
    const otherFolder = await pplNix.sendPickerMessage(folder(), {
      type: 'create',
      form: { ...initForm, folder: 'file:///etc', pin: 'fixture', python: '3.12' },
    });
    assert.ok(otherFolder.some((r) => r.type === 'result' && !r.ok && /not open/.test(r.message)));
  });

  it('a symlinked folder inside the workspace that points outside is not followed', async () => {
    const pplNix = await api();
    const outside = mkdtempSync(join(tmpdir(), 'ppl-nix-outside-'));
    const link = join(folder().uri.fsPath, 'linked');
    rmSync(link, { force: true });
    symlinkSync(outside, link);
    try {
      const replies = await pplNix.sendPickerMessage(folder(), {
        type: 'create',
        form: { ...initForm, file: 'linked/shell.nix', pin: 'fixture', python: '3.12' },
      });
      const result = replies.find((r) => r.type === 'result');
      assert.ok(result?.type === 'result' && !result.ok && /inside the workspace folder/.test(result.message), JSON.stringify(replies));
      assert.deepEqual(readdirSync(outside), [], 'nothing written outside');
    } finally {
      rmSync(link, { force: true });
    }
  });
});
