// Fuzzing the picker's host side in the real extension host (issue 13): 500 random and malformed
// webview messages leave the panel working and the workspace untouched; crafted paths are refused;
// two Create clicks at once write the file once.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as fc from 'fast-check';
import * as vscode from 'vscode';
import type { PickerForm } from '../../src/core/picker/form';
import { parseWebviewMessage, type HostMessage } from '../../src/core/picker/protocol';
import { readShellNix } from '../../src/core/spec/readback';
import { packFixture } from '../nix/fixture';
import { FUZZ_SEED, webviewMessages } from '../unit/fuzzInputs';
import { api, folder, until } from './support';

/** Every file below dir (but .ppl-nix and .vscode, which entering maintains) with its size and mtime. */
function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    if (/^\.(ppl-nix|vscode)(\/|$)/.test(name)) continue;
    const stat = statSync(join(dir, name), { throwIfNoEntry: false });
    if (stat?.isFile()) out[name] = `${stat.size}:${stat.mtimeMs}`;
  }
  return out;
}

const resultOf = (replies: readonly HostMessage[]) =>
  replies.find((r): r is Extract<HostMessage, { type: 'result' }> => r.type === 'result');

describe('Fuzzing the picker (host side)', function () {
  this.timeout(180_000);

  it('500 random and malformed messages: each rejected and counted, or answered; nothing written; ready still answers init', async () => {
    const pplNix = await api();
    const root = folder().uri.fsPath;
    // What a webview posts reaches the host as JSON (VS Code serializes webview messages): BigInts,
    // Maps and the like cannot arrive, so the random values are sent as JSON would carry them.
    const asJson = (value: unknown): unknown => {
      const text = JSON.stringify(value, (_key, v: unknown) =>
        typeof v === 'bigint' ? Number(v) : v instanceof Map || v instanceof Set ? [...v] : v,
      );
      return text === undefined ? undefined : JSON.parse(text);
    };
    const messages = fc.sample(webviewMessages, { numRuns: 500, seed: FUZZ_SEED }).map(asJson);
    const malformed = messages.filter((message) => parseWebviewMessage(message) === undefined).length;
    const rejected = pplNix.rejectedPickerMessages();
    const asked = pplNix.dialogsAsked().length;
    const processes = pplNix.processes().length;
    const before = files(root);
    const started = Date.now();
    let answered = 0;
    for (const message of messages) {
      const replies = await pplNix.sendPickerMessage(folder(), message);
      if (parseWebviewMessage(message) === undefined) assert.deepEqual(replies, [], 'a malformed message gets no answer');
      else answered++;
      for (const reply of replies) if (reply.type === 'result') assert.equal(reply.ok, false, `no random message writes: ${reply.message}`);
    }
    console.log(`      500 messages in ${Date.now() - started} ms: ${malformed} malformed (rejected), ${answered} answered`);
    assert.equal(pplNix.rejectedPickerMessages() - rejected, malformed, 'every malformed message was counted');
    assert.ok(malformed > 250 && answered > 50, `both kinds were sent (${malformed} / ${answered})`);
    assert.deepEqual(files(root), before, 'nothing in the workspace was written');
    assert.equal(pplNix.dialogsAsked().length, asked, 'no question was asked');
    assert.equal(pplNix.processes().length, processes, 'no process was started');
    const init = (await pplNix.sendPickerMessage(folder(), { type: 'ready' }))[0];
    assert.ok(init?.type === 'init', 'the panel still answers ready with init');
    assert.equal(init.form.folder, folder().uri.toString());
  });

  it('crafted paths (../../, absolute, another folder) are refused: nothing read, nothing written outside', async () => {
    const pplNix = await api();
    const init = (await pplNix.sendPickerMessage(folder(), { type: 'ready' }))[0];
    assert.ok(init?.type === 'init');
    const uri = folder().uri.toString();
    for (const file of ['../../etc/passwd', '/etc/passwd', '../shell.nix', 'a/../../../etc/passwd', '..', '/']) {
      const [status] = await pplNix.sendPickerMessage(folder(), { type: 'checkFile', folder: uri, file });
      assert.ok(status?.type === 'fileStatus', JSON.stringify(status));
      assert.equal(status.status, 'none', `${file}: reported as nothing there`);
      assert.equal(status.existing, undefined, `${file}: no text read`);
    }
    const outside = join(folder().uri.fsPath, '..', `ppl-nix-escape-${process.pid}.nix`);
    for (const file of [`../ppl-nix-escape-${process.pid}.nix`, outside, `envs/../../ppl-nix-escape-${process.pid}.nix`]) {
      const replies = await pplNix.sendPickerMessage(folder(), { type: 'create', form: { ...init.form, file, packages: ['pymc'] } });
      const result = resultOf(replies);
      assert.ok(
        result !== undefined && !result.ok && /Nothing was written|inside the workspace folder/.test(result.message),
        JSON.stringify(replies),
      );
    }
    assert.ok(!existsSync(outside), 'nothing written outside the folder');
  });

  it('two Create clicks at once write the file once: one created, the other up to date; over a foreign file, one backup', async () => {
    const pplNix = await api();
    const fixture = await packFixture();
    const config = vscode.workspace.getConfiguration('pplNix');
    const previous = pplNix.environmentState(folder()).state;
    await config.update(
      'customPins',
      [{ label: 'fuzz-fixture', url: fixture.url, sha256: fixture.sha256, pythons: ['3.12'] }],
      vscode.ConfigurationTarget.Workspace,
    );
    const root = folder().uri.fsPath;
    const target = join(root, 'fuzz', 'twice.nix');
    rmSync(join(root, 'fuzz'), { recursive: true, force: true });
    try {
      const init = (await pplNix.sendPickerMessage(folder(), { type: 'ready' }))[0];
      assert.ok(init?.type === 'init');
      const form: PickerForm = {
        ...init.form,
        file: 'fuzz/twice.nix',
        name: 'twice',
        pin: 'fuzz-fixture',
        python: '3.12',
        packages: ['pymc'],
        openTerminal: false,
        useInterpreter: false,
      };
      const both = await Promise.all([
        pplNix.sendPickerMessage(folder(), { type: 'create', form }),
        pplNix.sendPickerMessage(folder(), { type: 'create', form }),
      ]);
      const messages = both.map((replies) => resultOf(replies)?.message ?? JSON.stringify(replies)).sort();
      assert.match(messages[0]!, /^fuzz\/twice\.nix created: /);
      assert.match(messages[1]!, /^fuzz\/twice\.nix is already up to date: /);
      const written = readFileSync(target, 'utf8');
      assert.equal(readShellNix(written).kind, 'managed');
      assert.deepEqual(readdirSync(join(root, 'fuzz')), ['twice.nix'], 'no backup, no temp file');

      // A foreign file: each click asks (or finds it already replaced); two answers queued, both used.
      const foreign = '# mine, hand-written\n{ pkgs ? import <nixpkgs> { } }: pkgs.mkShell { }\n';
      writeFileSync(target, foreign);
      const asked = pplNix.dialogsAsked().length;
      pplNix.answerDialogs('Replace and keep a backup', 'Replace and keep a backup');
      const replaced = await Promise.all([
        pplNix.sendPickerMessage(folder(), { type: 'create', form }),
        pplNix.sendPickerMessage(folder(), { type: 'create', form }),
      ]);
      assert.ok(pplNix.dialogsAsked().length - asked >= 2, 'both queued answers were used');
      const results = replaced.map((replies) => resultOf(replies)?.message ?? JSON.stringify(replies)).sort();
      assert.match(results[0]!, /^fuzz\/twice\.nix is already up to date: /);
      assert.match(results[1]!, /^fuzz\/twice\.nix replaced: .* The previous file is saved as fuzz\/twice\.nix\.bak\./);
      assert.deepEqual(readdirSync(join(root, 'fuzz')).sort(), ['twice.nix', 'twice.nix.bak'], 'one backup');
      assert.equal(readFileSync(`${target}.bak`, 'utf8'), foreign, 'byte-identical');
      assert.equal(readFileSync(target, 'utf8'), written);
      // Each create entered the environment (in the background): wait for it to settle.
      await until(
        'the created environment to be entered',
        () => {
          const state = pplNix.environmentState(folder()).state;
          return state.kind === 'active' && state.env.name === 'twice' ? state : undefined;
        },
        120_000,
      );
    } finally {
      await config.update('customPins', undefined, vscode.ConfigurationTarget.Workspace);
      // Leave the folder as the suites before left it.
      if (previous.kind === 'active') await pplNix.enter(folder(), vscode.Uri.joinPath(folder().uri, previous.env.file));
      rmSync(join(root, 'fuzz'), { recursive: true, force: true });
    }
    assert.ok(relative(root, target).startsWith('fuzz'));
  });
});
