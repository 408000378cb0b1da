// Entering environments in the real extension host, on real Nix with the fixture nixpkgs:
// the interpreter setting, new terminals' PATH, the status item, switching, a warm re-enter
// with no Nix process, and a broken edit keeping the last good environment.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { packFixture, type PackedFixture } from '../nix/fixture';
import { api, folder, inNewTerminal, publicApi, until } from './support';

/** The next change event VS Code's file watcher delivers for a file (the same events the extension gets). */
function changeEventOf(file: vscode.Uri): Promise<void> {
  const watcher = vscode.workspace.createFileSystemWatcher(
    new vscode.RelativePattern(vscode.Uri.joinPath(file, '..'), basename(file.fsPath)),
  );
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no change event for ${file.fsPath} in 20 s`)), 20_000);
    watcher.onDidChange(() => (clearTimeout(timer), resolve()));
  }).finally(() => watcher.dispose());
}

/** The Problems panel's entries from Nix (not the language server's predictions) for a file. */
const nixProblems = (file: vscode.Uri): vscode.Diagnostic[] =>
  vscode.languages.getDiagnostics(file).filter((d) => d.source === 'nix-shell');

describe('Entering an environment', function () {
  this.timeout(120_000);
  let fixture: PackedFixture;
  const bayes = (): vscode.Uri => vscode.Uri.joinPath(folder().uri, 'shell.nix');
  const numpyro = (): vscode.Uri => vscode.Uri.joinPath(folder().uri, 'envs', 'numpyro.nix');

  before(async () => {
    fixture = await packFixture();
    const pplNix = await api();
    const pin = { pinUrl: fixture.url, pinSha256: fixture.sha256, python: '3.12' };
    await pplNix.writeShell(bayes().fsPath, { name: 'bayes', packages: ['pymc', 'arviz', 'cmdstanpy'], ...pin }, { replaceForeign: true });
    await pplNix.writeShell(numpyro().fsPath, { name: 'numpyro', packages: ['numpyro', 'jax'], ...pin });
  });

  it('sets the Python interpreter to a stable link into the store that imports the chosen packages', async () => {
    const pplNix = await api();
    const state = await pplNix.enter(folder(), bayes());
    assert.equal(state.kind, 'active', JSON.stringify(state));
    const link = join(folder().uri.fsPath, '.ppl-nix', 'bayes', 'env', 'bin', 'python3');
    assert.ok(state.kind === 'active' && state.env.python === link);
    assert.match(realpathSync(join(link, '..', '..')), /^\/nix\/store\/[0-9a-z]{32}-/, '.ppl-nix/bayes/env is a link into the store');
    assert.equal(spawnSync(link, ['-c', 'import pymc, arviz, cmdstanpy'], { encoding: 'utf8' }).status, 0);
    // No Python extension here: the setting is not registered, so .vscode/settings.json was edited.
    const settings = readFileSync(join(folder().uri.fsPath, '.vscode', 'settings.json'), 'utf8');
    assert.equal((JSON.parse(settings) as Record<string, unknown>)['python.defaultInterpreterPath'], link);
    assert.match(pplNix.environmentState(folder()).statusText, /bayes \(Python 3\.12\)/);
  });

  it('a malformed .vscode/settings.json is left alone: the enter still succeeds, the interpreter step says why', async () => {
    const pplNix = await api();
    const settings = join(folder().uri.fsPath, '.vscode', 'settings.json');
    const good = readFileSync(settings, 'utf8');
    const malformed = '{ "editor.tabSize": 2,, }}\n';
    writeFileSync(settings, malformed);
    try {
      const state = await pplNix.enter(folder(), bayes(), { setInterpreter: true });
      assert.equal(state.kind, 'active', JSON.stringify(state));
      assert.equal(readFileSync(settings, 'utf8'), malformed, 'nothing appended after the closing brace');
    } finally {
      writeFileSync(settings, good);
    }
  });

  it('new terminals get the environment: its store paths first on PATH, CMDSTAN set', async () => {
    const output = await until(
      'a new terminal in bayes',
      async () => {
        const text = await inNewTerminal('echo "$PATH"; echo "$CMDSTAN"');
        return text.includes('cmdstan') ? text : undefined;
      },
      30_000,
    );
    const [path, cmdstan] = output.split('\n');
    assert.match(path ?? '', /^\/nix\/store\/[0-9a-z]{32}-[^:]*python3[^:]*\/bin:/);
    assert.match(cmdstan ?? '', /^\/nix\/store\/.*-cmdstan-.*\/opt\/cmdstan$/);
  });

  it('re-entering after a reload comes from the cache without any Nix process', async () => {
    const pplNix = await api();
    const before = pplNix.processes().length;
    await pplNix.autoEnter();
    const state = pplNix.environmentState(folder()).state;
    assert.ok(state.kind === 'active' && state.env.fromCache, JSON.stringify(state));
    assert.equal(pplNix.processes().length, before, 'no process on the warm path');
  });

  it('switches between two environments of the folder', async () => {
    const pplNix = await api();
    const state = await pplNix.enter(folder(), numpyro());
    assert.ok(state.kind === 'active' && state.env.name === 'numpyro');
    assert.match(pplNix.environmentState(folder()).statusText, /numpyro/);
    // The new collection reaches the terminal side asynchronously: a terminal opened a moment later has it.
    const output = await until(
      'a new terminal in numpyro',
      async () => {
        const text = await inNewTerminal('python3 -c "import numpyro, jax; print(\'ok\')" 2>/dev/null; echo "${CMDSTAN:-none}"');
        return text.startsWith('ok\n') ? text : undefined;
      },
      30_000,
    );
    assert.deepEqual(output.split('\n').slice(0, 2), ['ok', 'none']);
    assert.ok((await pplNix.enter(folder(), bayes())).kind === 'active');
    assert.match(pplNix.environmentState(folder()).statusText, /bayes/);
  });

  it('other extensions see the environment through the public API, and hear when it changes', async () => {
    const exported = await publicApi();
    assert.equal(exported.apiVersion, 1);
    const bayesNow = exported.getEnvironment(folder().uri);
    assert.ok(bayesNow, 'bayes is active');
    assert.equal(bayesNow.name, 'bayes');
    assert.equal(bayesNow.file.fsPath, bayes().fsPath);
    assert.equal(bayesNow.interpreterPath, join(folder().uri.fsPath, '.ppl-nix', 'bayes', 'env', 'bin', 'python3'));
    assert.match(bayesNow.variables['CMDSTAN'] ?? '', /\/opt\/cmdstan$/);
    assert.equal(bayesNow.variables['PATH'], undefined, 'PATH is given as pathPrefix');
    assert.ok(bayesNow.pathPrefix.length > 0 && bayesNow.pathPrefix.every((dir) => dir.startsWith('/nix/store/')));
    const heard: string[] = [];
    const listener = exported.onDidChangeEnvironment((change) => heard.push(change.environment?.name ?? 'none'));
    try {
      await (await api()).enter(folder(), numpyro());
      await until('the change event', () => (heard.includes('numpyro') ? true : undefined));
      assert.equal(exported.getEnvironment(folder().uri)?.variables['CMDSTAN'], undefined);
      await (await api()).enter(folder(), bayes());
      await until('the change back', () => (heard.at(-1) === 'bayes' ? true : undefined));
    } finally {
      listener.dispose();
    }
    assert.ok(!heard.includes('none'), `switching never reports "no environment" in between: ${heard.join(', ')}`);
  });

  it('a broken edit keeps the last working environment and shows the error', async () => {
    const pplNix = await api();
    const good = readFileSync(bayes().fsPath, 'utf8');
    writeFileSync(bayes().fsPath, good.replace('  name = "bayes";', '  name = "bayes"'));
    try {
      const state = await until(
        'the stale state',
        () => {
          const current = pplNix.environmentState(folder()).state;
          return current.kind === 'stale' ? current : undefined;
        },
        30_000,
      );
      assert.equal(state.errorData.kind, 'syntaxError');
      assert.equal(state.env.name, 'bayes');
      // The Problems panel has Nix's error at the line Nix names (the token after the missing ';').
      const [problem, ...more] = nixProblems(bayes());
      assert.equal(more.length, 0);
      assert.equal(problem?.severity, vscode.DiagnosticSeverity.Error);
      assert.match(problem?.message ?? '', /unexpected '=', expecting ';'/);
      const broken = readFileSync(bayes().fsPath, 'utf8').split('\n');
      const nameLine = broken.findIndex((line) => line.startsWith('  name = "bayes"'));
      assert.equal(problem?.range.start.line, nameLine + 1, 'the binding after name = "bayes", where Nix stops');
      assert.match(pplNix.environmentState(folder()).statusText, /warning/);
      const output = await until(
        'a terminal with the kept environment',
        async () => {
          const text = await inNewTerminal('echo "$CMDSTAN"');
          return /\/opt\/cmdstan/.test(text) ? text : undefined;
        },
        30_000,
      );
      assert.match(output, /\/opt\/cmdstan/, 'terminals still get the last working environment');
    } finally {
      writeFileSync(bayes().fsPath, good);
    }
    await until('the environment to recover', () => pplNix.environmentState(folder()).state.kind === 'active' || undefined, 30_000);
    assert.deepEqual(nixProblems(bayes()), [], 'the problem goes when the file enters again');
  });

  it("a package nixpkgs refuses with a throw (no position from Nix): a Problem at the package, in Nix's words", async () => {
    const pplNix = await api();
    const renamed = vscode.Uri.joinPath(folder().uri, 'envs', 'renamed.nix');
    const pin = { pinUrl: fixture.url, pinSha256: fixture.sha256, python: '3.12' };
    await pplNix.writeShell(renamed.fsPath, { name: 'renamed', packages: ['arviz', 'numpy'], ...pin });
    // pymc3 is a throwing alias at this pin, as in nixpkgs since 2023; the picker would not write it.
    writeFileSync(renamed.fsPath, readFileSync(renamed.fsPath, 'utf8').replace(/^(\s*)numpy$/m, '$1numpy\n$1pymc3'));
    try {
      const state = await pplNix.enter(folder(), renamed);
      assert.ok(state.kind === 'stale' || state.kind === 'failed', JSON.stringify(state));
      const [problem] = nixProblems(renamed);
      assert.equal(problem?.message, "'pymc3' has been renamed to/replaced by 'pymc'");
      const line = readFileSync(renamed.fsPath, 'utf8').split('\n')[problem!.range.start.line] ?? '';
      assert.equal(line.slice(problem!.range.start.character, problem!.range.end.character), 'pymc3');
      // "Open File at Error" (notification and status menu) goes to that line too.
      const location = 'location' in state.errorData ? state.errorData.location : undefined;
      assert.deepEqual(location && [location.file, location.line - 1], [renamed.fsPath, problem!.range.start.line]);
      writeFileSync(renamed.fsPath, readFileSync(renamed.fsPath, 'utf8').replace('pymc3', 'pymc'));
      assert.equal((await pplNix.enter(folder(), renamed)).kind, 'active');
      assert.deepEqual(nixProblems(renamed), [], 'fixed and entered: the problem is gone');
    } finally {
      await pplNix.enter(folder(), bayes());
    }
  });

  it('"Disable for this workspace" removes the environment from new terminals; enabling re-enters it', async () => {
    const pplNix = await api();
    await pplNix.setEnabled(false);
    try {
      assert.equal(pplNix.environmentState(folder()).state.kind, 'disabled');
      const output = await until(
        'a terminal without the environment',
        async () => {
          const text = await inNewTerminal('echo "${CMDSTAN:-none}"');
          return text === 'none\n' ? text : undefined;
        },
        30_000,
      );
      assert.equal(output, 'none\n');
    } finally {
      await pplNix.setEnabled(true);
    }
    // Re-entered (a change event left over from an earlier test may make it pass through "loading").
    await until(
      'bayes active again',
      () => {
        const state = pplNix.environmentState(folder()).state;
        return state.kind === 'active' && state.env.name === 'bayes' ? state : undefined;
      },
      30_000,
    );
  });

  it('the newest enter wins: switching while a capture runs ends in the last choice, for every caller', async () => {
    const pplNix = await api();
    const slow = pplNix.enter(folder(), bayes(), { fresh: true }); // a real capture
    const quick = pplNix.enter(folder(), numpyro()); // from the cache, chosen after
    const [first, second] = await Promise.all([slow, quick]);
    for (const state of [first, second]) assert.ok(state.kind === 'active' && state.env.name === 'numpyro', JSON.stringify(state));
    const now = pplNix.environmentState(folder()).state;
    assert.ok(now.kind === 'active' && now.env.name === 'numpyro', 'the superseded capture did not overwrite the state');
    const output = await until(
      'a new terminal in numpyro',
      async () => {
        const text = await inNewTerminal('echo "${CMDSTAN:-none}"');
        return text === 'none\n' ? text : undefined;
      },
      30_000,
    );
    assert.equal(output, 'none\n', 'terminals got the newest environment, not the superseded bayes');
    assert.equal((await pplNix.enter(folder(), bayes())).kind, 'active');
  });

  it('pplNix.reloadOnChange: "off" ignores a change, "prompt" asks and re-enters on "Reload Environment"', async () => {
    const pplNix = await api();
    const config = vscode.workspace.getConfiguration('pplNix');
    const good = readFileSync(bayes().fsPath, 'utf8');
    try {
      await config.update('reloadOnChange', 'off', vscode.ConfigurationTarget.Workspace);
      const asked = pplNix.dialogsAsked().length;
      const processes = pplNix.processes().length;
      // The extension reads the setting when a change event arrives: wait for the event (a watcher
      // of our own gets it in the same dispatch) before changing the setting.
      const seen = changeEventOf(bayes());
      writeFileSync(bayes().fsPath, `${good}# first change\n`);
      await seen;
      await config.update('reloadOnChange', 'prompt', vscode.ConfigurationTarget.Workspace);
      pplNix.answerDialogs(undefined); // dismissed: nothing happens
      writeFileSync(bayes().fsPath, `${good}# second change\n`);
      await until('the reload question', () => (pplNix.dialogsAsked().length > asked ? true : undefined), 20_000);
      assert.deepEqual(pplNix.dialogsAsked().slice(asked), ['shell.nix changed.'], '"off" asked nothing');
      assert.equal(pplNix.processes().length, processes, 'neither "off" nor a dismissed question started anything');
      pplNix.answerDialogs('Reload Environment');
      writeFileSync(bayes().fsPath, `${good}# third change\n`);
      await until('the re-enter after "Reload Environment"', () => (pplNix.processes().length > processes ? true : undefined), 30_000);
      assert.equal(pplNix.dialogsAsked().length, asked + 2);
      await until(
        'the environment to be active again',
        () => pplNix.environmentState(folder()).state.kind === 'active' || undefined,
        60_000,
      );
    } finally {
      await config.update('reloadOnChange', undefined, vscode.ConfigurationTarget.Workspace);
      writeFileSync(bayes().fsPath, good);
    }
  });
});
