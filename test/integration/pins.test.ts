// Pins you can trust, in the real extension host on real Nix (fixture nixpkgs): migrating the
// 2022 Tweag file, the picker's "Check packages at this pin", checking a file, and updating a
// pin from a channel served on 127.0.0.1.
import { strict as assert } from 'node:assert';
import { copyFileSync, cpSync, createReadStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HostMessage } from '../../src/core/picker/protocol';
import { packFixture, repoRoot, tempDir, type PackedFixture } from '../nix/fixture';
import { api, folder } from './support';

describe('Pins and catalog you can trust', function () {
  this.timeout(120_000);
  let fixture: PackedFixture;
  let server: Server | undefined;
  const file = (): vscode.Uri => vscode.Uri.joinPath(folder().uri, 'old', 'shell.nix');

  before(async () => {
    fixture = await packFixture();
    const pins = [{ label: 'fixture', url: fixture.url, sha256: fixture.sha256, pythons: ['3.11', '3.12', '3.13'] }];
    await vscode.workspace.getConfiguration('pplNix').update('customPins', pins, vscode.ConfigurationTarget.Workspace);
    mkdirSync(join(folder().uri.fsPath, 'old'), { recursive: true });
    copyFileSync(join(repoRoot(), 'test/fixtures/tweag-2022/shell.nix'), file().fsPath);
  });
  after(async () => {
    server?.close();
    rmSync(join(folder().uri.fsPath, 'old'), { recursive: true, force: true }); // other suites count the workspace's shell files
    const config = vscode.workspace.getConfiguration('pplNix');
    for (const key of ['customPins', 'channelBaseUrl', 'tarballUrlTemplate'])
      await config.update(key, undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('PPL Nix: Migrate old shell.nix modernizes the Tweag 2022 file onto a pin, keeping the old file as a backup', async () => {
    const original = readFileSync(file().fsPath, 'utf8');
    const result = (await vscode.commands.executeCommand('pplNix.migrate', file(), 'modernize', 'fixture')) as {
      choice: string;
      backup: string;
      warnings: string[];
    };
    assert.equal(result.choice, 'modernize');
    assert.equal(readFileSync(result.backup, 'utf8'), original);
    assert.ok(result.warnings.some((w) => w.startsWith('PyMC3 → PyMC 5')));
    const text = readFileSync(file().fsPath, 'utf8');
    assert.ok(text.includes(`url = "${fixture.url}";`) && text.includes('pkgs.python313.withPackages'));
    assert.ok(
      text.includes('    pymc\n') && text.includes('    matplotlib\n') && text.includes('    ipython\n') && !text.includes('pymc3'),
    );
  });

  it('PPL Nix: Check packages at this pin says everything in the migrated file is available', async () => {
    const result = (await vscode.commands.executeCommand('pplNix.checkAvailability', file())) as { ok: boolean; lines: string[] };
    assert.equal(result.ok, true, result.lines.join('\n'));
    assert.ok(result.lines.some((l) => /pymc 5\.19\.1/.test(l)));
  });

  it('the picker checks the whole catalog at a pin in one evaluation: versions, broken aesara, the Pythons', async () => {
    const pplNix = await api();
    // Other parts of the extension (language servers, entering) may still be starting processes
    // after the settings change: wait until the count is quiet before measuring ours.
    for (
      let last = -1, quiet = 0;
      quiet < 15;
      quiet = pplNix.processes().length === last ? quiet + 1 : 0, last = pplNix.processes().length
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const before = pplNix.processes().length;
    const replies = await pplNix.sendPickerMessage(folder(), { type: 'checkAvailability', pin: 'fixture', python: '3.12' });
    const done = replies.find((r): r is Extract<HostMessage, { type: 'availability' }> => r.type === 'availability' && r.state === 'done');
    assert.ok(done?.result, JSON.stringify(replies));
    assert.deepEqual(done.result.pythons, ['3.11', '3.12', '3.13']);
    assert.equal(done.result.python['numpyro']?.version, '0.15.3');
    assert.equal(done.result.python['aesara']?.status, 'broken');
    assert.equal(done.result.system['cmdstan']?.status, 'available');
    assert.equal(pplNix.processes().length - before, 1, 'one Nix evaluation for the whole catalog');
    const again = await pplNix.sendPickerMessage(folder(), { type: 'checkAvailability', pin: 'fixture', python: '3.12' });
    assert.ok(again.some((r) => r.type === 'availability' && r.state === 'done'));
    assert.equal(pplNix.processes().length - before, 1, 'the second time comes from the cache');
    assert.equal(
      (await pplNix.sendPickerMessage(folder(), { type: 'checkAvailability', pin: 'fixture', python: '3.12"; x' })).length,
      0,
      'a malformed request is dropped',
    );
  });

  it('PPL Nix: Update nixpkgs pin moves the file to the channel revision served by a mirror, after confirmation', async () => {
    const rev = 'c'.repeat(40);
    const dir = tempDir('ppl-nix-int-channel-');
    // The same fixture tree under another name: a different revision with the same content.
    cpSync(fixture.tarball, join(dir, `${rev}.tar.gz`));
    server = createServer((request, response) => {
      if (request.url === '/nixos-mirror/git-revision') response.end(`${rev}\n`);
      else if (request.url === `/archive/${rev}.tar.gz`) createReadStream(join(dir, `${rev}.tar.gz`)).pipe(response);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = vscode.workspace.getConfiguration('pplNix');
    await config.update('channelBaseUrl', base, vscode.ConfigurationTarget.Workspace);
    await config.update('tarballUrlTemplate', `${base}/archive/{rev}.tar.gz`, vscode.ConfigurationTarget.Workspace);
    const pplNix = await api();
    pplNix.answerDialogs(undefined); // the modal: dismissed
    const declined = (await vscode.commands.executeCommand('pplNix.updatePin', file(), 'nixos-mirror', { confirm: true })) as {
      written: boolean;
    };
    assert.equal(declined.written, false, 'an argument cannot answer the confirmation: the user dismissed it');
    assert.match(pplNix.dialogsAsked().at(-1) ?? '', /^Update the nixpkgs pin\?/);
    const detail = pplNix.dialogDetails().at(-1) ?? '';
    assert.ok(detail.includes(`url ${base}/archive/${rev}.tar.gz`), `the confirmation shows the new URL, not only a label: ${detail}`);
    assert.ok(readFileSync(file().fsPath, 'utf8').includes(fixture.url), 'nothing written without confirmation');
    pplNix.answerDialogs('Update Pin');
    const result = (await vscode.commands.executeCommand('pplNix.updatePin', file(), 'nixos-mirror')) as {
      written: boolean;
      changes: string[];
    };
    assert.equal(result.written, true);
    assert.deepEqual(result.changes, [], 'same content: no package changes');
    const text = readFileSync(file().fsPath, 'utf8');
    assert.ok(text.includes(`url = "${base}/archive/${rev}.tar.gz";`) && text.includes(`sha256 = "${fixture.sha256}";`), text);
    assert.ok(text.includes('"label":"nixos-mirror (cccccccccccc)"'));
    assert.ok(existsSync(`${file().fsPath}.bak`));
  });
});
