// Example models in the real extension host: "Add example model" offers what fits the chosen
// environment (a scripted quick pick), writes examples/, never replaces a file without asking
// (a backup kept), and "Run in PPL Nix shell" (CodeLens, command) runs a file with the
// environment's python in a nix-shell terminal, its path quoted.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../../src/shared/commands';
import type { AddedExample, RanExample } from '../../src/examples/commands';
import { hostModules, packFixture, repoRoot, type PackedFixture } from '../nix/fixture';
import { api, folder, until } from './support';

const media = (file: string): string => readFileSync(join(repoRoot(), 'media', 'examples', file), 'utf8');
const inFolder = (...parts: string[]): string => join(folder().uri.fsPath, ...parts);

describe('Example models', function () {
  this.timeout(120_000);
  let fixture: PackedFixture;
  const emceeEnv = (): vscode.Uri => vscode.Uri.file(inFolder('models', 'emcee.nix'));
  const numpyEnv = (): vscode.Uri => vscode.Uri.file(inFolder('models', 'numpy.nix'));

  before(async () => {
    fixture = await packFixture();
    const pplNix = await api();
    const pin = { pinUrl: fixture.url, pinSha256: fixture.sha256, python: '3.12' };
    await pplNix.writeShell(emceeEnv().fsPath, { name: 'emcee-models', packages: ['emcee'], ...pin });
    await pplNix.writeShell(numpyEnv().fsPath, { name: 'numpy-only', packages: ['numpy'], ...pin });
    rmSync(inFolder('examples'), { recursive: true, force: true });
  });

  after(() => rmSync(inFolder('examples'), { recursive: true, force: true }));

  it('offers the examples that fit the environment (a quick pick), writes examples/<ppl>_linear_regression.py and opens it', async () => {
    const pplNix = await api();
    const asked = pplNix.dialogsAsked().length;
    pplNix.answerDialogs('emcee');
    const added = await vscode.commands.executeCommand<AddedExample>(COMMANDS.addExampleModel, emceeEnv());
    assert.ok(added, 'the command returned what it added');
    assert.equal(added.example, 'emcee');
    assert.deepEqual(added.written, ['examples/emcee_linear_regression.py']);
    assert.deepEqual(added.missing, []);
    assert.deepEqual(pplNix.dialogsAsked().slice(asked), ['Add example model'], 'one question: which example');
    assert.equal(readFileSync(inFolder('examples', 'emcee_linear_regression.py'), 'utf8'), media('emcee_linear_regression.py'));
    await until('the example in the editor', () =>
      vscode.window.activeTextEditor?.document.uri.fsPath.endsWith('examples/emcee_linear_regression.py'),
    );
  });

  it('an example the environment cannot run yet says what to add; CmdStanPy brings its .stan file', async () => {
    const pplNix = await api();
    pplNix.answerDialogs('CmdStanPy (Stan)');
    const added = await vscode.commands.executeCommand<AddedExample>(COMMANDS.addExampleModel, numpyEnv());
    assert.ok(added);
    assert.equal(added.example, 'cmdstanpy');
    assert.deepEqual(added.missing, ['cmdstanpy']);
    assert.deepEqual(added.written, ['examples/cmdstanpy_linear_regression.py', 'examples/linear_regression.stan']);
    assert.equal(readFileSync(inFolder('examples', 'linear_regression.stan'), 'utf8'), media('linear_regression.stan'));
  });

  it('never replaces an existing file without asking, even when the example is named by an argument; a backup is kept', async () => {
    const pplNix = await api();
    const script = inFolder('examples', 'emcee_linear_regression.py');
    const mine = '# my own edits\nprint("mine")\n';
    writeFileSync(script, mine);
    for (const stale of ['.bak', '.bak.2']) rmSync(`${script}${stale}`, { force: true });

    pplNix.answerDialogs('Keep Mine');
    const kept = await vscode.commands.executeCommand<AddedExample>(COMMANDS.addExampleModel, emceeEnv(), 'emcee');
    assert.ok(kept);
    assert.deepEqual(kept.written, []);
    assert.deepEqual(kept.kept, ['examples/emcee_linear_regression.py']);
    assert.equal(readFileSync(script, 'utf8'), mine, 'kept as it was');
    assert.match(pplNix.dialogsAsked().at(-1) ?? '', /examples\/emcee_linear_regression\.py already exists\. Replace it/);

    pplNix.answerDialogs('Replace');
    const replaced = await vscode.commands.executeCommand<AddedExample>(COMMANDS.addExampleModel, emceeEnv(), 'emcee');
    assert.ok(replaced);
    assert.deepEqual(replaced.written, ['examples/emcee_linear_regression.py']);
    assert.deepEqual(replaced.backups, ['examples/emcee_linear_regression.py.bak']);
    assert.equal(readFileSync(`${script}.bak`, 'utf8'), mine, 'the backup holds the user file');
    assert.equal(readFileSync(script, 'utf8'), media('emcee_linear_regression.py'));

    // The same content again: nothing to ask, nothing written.
    const asked = pplNix.dialogsAsked().length;
    const same = await vscode.commands.executeCommand<AddedExample>(COMMANDS.addExampleModel, emceeEnv(), 'emcee');
    assert.ok(same);
    assert.deepEqual([same.written, same.kept], [[], ['examples/emcee_linear_regression.py']]);
    assert.equal(pplNix.dialogsAsked().length, asked);
  });

  it('an unknown example id is an error, not a guess', async () => {
    const result = await vscode.commands.executeCommand(COMMANDS.addExampleModel, emceeEnv(), 'pymc3');
    assert.equal(result, undefined, 'the command failed with a message (and wrote nothing)');
    assert.ok(!existsSync(inFolder('examples', 'pymc3_linear_regression.py')));
  });

  it('"Run in PPL Nix shell" is a CodeLens on Python files under examples/, and on other Python files once an environment is applied', async () => {
    // The provider is asked for an open document (VS Code keeps the model).
    const lenses = async (uri: vscode.Uri): Promise<string[]> =>
      (await vscode.workspace.openTextDocument(uri)) &&
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [])
        .map((lens) => lens.command?.command ?? '')
        .filter((command) => command === COMMANDS.runExample);
    const example = vscode.Uri.file(inFolder('examples', 'emcee_linear_regression.py'));
    assert.deepEqual(await lenses(example), [COMMANDS.runExample]);
    const elsewhere = vscode.Uri.file(inFolder('scripts', 'fit.py'));
    mkdirSync(inFolder('scripts'), { recursive: true });
    writeFileSync(elsewhere.fsPath, 'print("fit")\n');
    const pplNix = await api();
    await pplNix.setEnabled(false); // no environment applied
    try {
      assert.deepEqual(await lenses(elsewhere), []);
    } finally {
      await pplNix.setEnabled(true);
    }
    const state = await pplNix.enter(folder(), emceeEnv());
    assert.equal(state.kind, 'active', JSON.stringify(state));
    await until('the lens on any Python file', async () => ((await lenses(elsewhere)).length === 1 ? true : undefined));
  });

  it("runs the file with the environment's python in a nix-shell terminal, its path quoted (a quote and a space in it)", async () => {
    const pplNix = await api();
    assert.equal((await pplNix.enter(folder(), emceeEnv())).kind, 'active');
    const out = inFolder('examples', 'ran.json');
    rmSync(out, { force: true });
    // A script that runs the emcee example as `python FILE` would, and records what happened.
    const probe = inFolder('examples', "it's my probe.py");
    writeFileSync(
      probe,
      [
        'import contextlib, io, json, os, runpy, sys',
        'here = os.path.dirname(os.path.abspath(__file__))',
        'buffer = io.StringIO()',
        'code = 0',
        'with contextlib.redirect_stdout(buffer):',
        '    try:',
        '        runpy.run_path(os.path.join(here, "emcee_linear_regression.py"), run_name="__main__")',
        '    except SystemExit as exit:',
        '        code = exit.code',
        'json.dump({"exe": sys.executable, "argv0": sys.argv[0], "code": code, "out": buffer.getvalue()}, open(os.path.join(here, "ran.json"), "w"))',
        '',
      ].join('\n'),
    );
    const ran = await vscode.commands.executeCommand<RanExample>(COMMANDS.runExample, vscode.Uri.file(probe));
    assert.ok(ran, 'the command ran the file');
    assert.equal(ran.commandLine, `python '${probe.replace(/'/g, `'\\''`)}'`);
    assert.equal(ran.terminal, 'PPL Nix: emcee-models');
    const terminal = vscode.window.terminals.find((t) => t.name === ran.terminal);
    assert.ok(terminal, 'a terminal in the environment');
    assert.equal((terminal.creationOptions as vscode.TerminalOptions).strictEnv, true, 'a terminal VS Code never asks to relaunch');
    const result = await until('the example run in the terminal', () => (existsSync(out) ? readFileSync(out, 'utf8') : undefined), 90_000);
    const record = JSON.parse(result) as { exe: string; argv0: string; code: number; out: string };
    assert.equal(record.argv0, probe, 'the quoted path arrived intact');
    assert.match(record.exe, /^\/nix\/store\/[0-9a-z]{32}-python3-3\.12\.7-env\/bin\/python$/);
    if (hostModules().includes('emcee')) {
      // The fixture serves the host's real emcee and numpy (Debian's python3-emcee, python3-numpy): the sampler really ran.
      assert.equal(record.code, 0, record.out);
      assert.match(record.out, /OK: posterior means within tolerance/);
    }

    // Again: the same terminal (the environment's), not a new one each time.
    const count = vscode.window.terminals.length;
    rmSync(out, { force: true });
    const again = await vscode.commands.executeCommand<RanExample>(COMMANDS.runExample, vscode.Uri.file(probe));
    assert.equal(again?.terminal, ran.terminal);
    assert.equal(vscode.window.terminals.length, count);
    await until('the second run', () => (existsSync(out) ? true : undefined), 90_000);
  });
});
