// Nix missing, said early (issue 15 item 7): a stat-only check finds it, the status item says
// "Nix not found" (also over an environment entered before from the cache), its menu offers
// Install Nix / Set Nix folder / Check again / Show Log, terminals in the shell never open
// into VS Code's raw "Path to shell executable … does not exist", a wrong pplNix.nixBinDir
// is a warning, and creating files still works. Nix is "removed" by emptying the extension
// host's PATH (the check reads it), and put back after each test.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { NixCheckResult } from '../../src/enter/nixPresence';
import { COMMANDS } from '../../src/shared/commands';
import type { AddedExample } from '../../src/examples/commands';
import { packFixture, type PackedFixture } from '../nix/fixture';
import { api, folder } from './support';

describe('Nix missing, said early', function () {
  this.timeout(120_000);
  let fixture: PackedFixture;
  const savedPath = process.env['PATH'];
  const noNix = mkdtempSync(join(tmpdir(), 'ppl-nix-no-nix-'));
  const shell = (): vscode.Uri => vscode.Uri.joinPath(folder().uri, 'nixless', 'shell.nix');
  const check = (how?: string): Thenable<NixCheckResult | undefined> =>
    vscode.commands.executeCommand<NixCheckResult>(COMMANDS.checkNix, how);
  const removeNix = (): void => {
    process.env['PATH'] = noNix;
  };

  before(async () => {
    fixture = await packFixture();
    const pplNix = await api();
    const pin = { pinUrl: fixture.url, pinSha256: fixture.sha256, python: '3.12' };
    await pplNix.writeShell(shell().fsPath, { name: 'nixless', packages: ['emcee'], ...pin });
  });

  afterEach(async () => {
    process.env['PATH'] = savedPath;
    await check();
  });

  it('is found with stats only: the status item says "Nix not found" with what to do, not "active" for an environment from the cache', async () => {
    const pplNix = await api();
    const entered = await pplNix.enter(folder(), shell());
    assert.equal(entered.kind, 'active', JSON.stringify(entered));
    const processes = pplNix.processes().length;
    removeNix();
    const result = await check();
    assert.equal(pplNix.processes().length, processes, 'no process was started to look for Nix');
    assert.equal(result?.presence.kind, 'missing');
    assert.equal(result?.status?.text, '$(warning) Nix not found');
    const tooltip = result?.status?.tooltip ?? '';
    assert.match(tooltip, /Install Nix: https:\/\/nixos\.org\/download/);
    assert.match(tooltip, /pplNix\.nixBinDir/);
    assert.match(tooltip, /New terminals still get nixless as it was entered before \(from the cache\)/);
    assert.doesNotMatch(tooltip, /2\.4/, 'nix-shell works on any Nix: no "needs Nix 2.4"');
    assert.equal(pplNix.environmentState(folder()).state.kind, 'active', 'the cached environment is still applied to terminals');
  });

  it("the status item's click offers Install Nix, Set Nix folder, Check again, Show Log", async () => {
    const pplNix = await api();
    removeNix();
    await check();
    pplNix.answerDialogs('Show Log');
    const result = await check('menu');
    assert.equal(pplNix.dialogsAsked().at(-1), 'Nix not found');
    assert.equal(result?.presence.kind, 'missing');
  });

  it('"Open Terminal in PPL Nix Shell" opens no terminal (never VS Code\'s raw "Path to shell executable … does not exist")', async () => {
    removeNix();
    const before = vscode.window.terminals.length;
    const terminal = await vscode.commands.executeCommand(COMMANDS.openTerminal, shell());
    assert.equal(terminal, undefined);
    assert.equal(vscode.window.terminals.length, before, 'no terminal was created');
  });

  it('creating files still works without Nix: a shell.nix, an example model', async () => {
    const pplNix = await api();
    removeNix();
    const file = join(folder().uri.fsPath, 'nixless', 'again.nix');
    await pplNix.writeShell(file, { name: 'again', packages: ['pymc'], pinUrl: fixture.url, pinSha256: fixture.sha256, python: '3.12' });
    assert.match(readFileSync(file, 'utf8'), /pymc/);
    pplNix.answerDialogs('PyMC');
    const added = await vscode.commands.executeCommand<AddedExample>(COMMANDS.addExampleModel, vscode.Uri.file(file));
    assert.deepEqual(added?.written, ['examples/pymc_linear_regression.py']);
    assert.ok(existsSync(join(folder().uri.fsPath, 'examples', 'pymc_linear_regression.py')));
  });

  it('a wrong pplNix.nixBinDir is a warning of its own, while Nix on PATH is still found', async () => {
    const configuration = vscode.workspace.getConfiguration('pplNix');
    await configuration.update('nixBinDir', '/nonexistent/nix/bin', vscode.ConfigurationTarget.Workspace);
    try {
      const result = await check();
      assert.equal(result?.presence.kind, 'found');
      assert.ok(result?.presence.kind === 'found');
      assert.match(result.presence.binDirProblem ?? '', /pplNix\.nixBinDir is "\/nonexistent\/nix\/bin", which does not exist/);
    } finally {
      await configuration.update('nixBinDir', undefined, vscode.ConfigurationTarget.Workspace);
    }
    const fixed = await check();
    assert.ok(fixed?.presence.kind === 'found' && fixed.presence.binDirProblem === undefined);
  });

  it('Nix back: "Check again" finds it (absolute paths, stat only) and the status shows the environment again', async () => {
    removeNix();
    assert.equal((await check())?.presence.kind, 'missing');
    process.env['PATH'] = savedPath;
    const result = await check();
    assert.ok(result?.presence.kind === 'found');
    assert.match(result.presence.commands['nix-shell'] ?? '', /^\/.*\/nix-shell$/);
    assert.doesNotMatch(result.status?.text ?? '', /Nix not found/);
  });
});
