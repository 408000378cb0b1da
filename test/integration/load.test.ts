// Load in the real extension host (issue 13): 200 rapid switches between three environments end
// with the last choice active, capture each file at most once, and leak nothing a user or the
// machine would notice: terminals, Nix processes, file watchers (a stale one would re-enter an
// environment that is no longer chosen when its file changes), file descriptors, handles.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { EnvState } from '../../src/core/enter/status';
import { packFixture } from '../nix/fixture';
import { api, folder, publicApi, until } from './support';

const SWITCHES = 200;
const NIX_COMMANDS = new Set(['nix', 'nix-shell', 'nix-store', 'nix-instantiate', 'nix-build']);

/** Nix processes below this extension host (any depth), from /proc. */
function nixDescendants(): string[] {
  const parent = new Map<number, number>();
  const command = new Map<number, string>();
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue; // exited, waiting to be reaped: not running
      parent.set(Number(name), Number(fields[1]));
      command.set(Number(name), readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' '));
    } catch {
      // Gone meanwhile.
    }
  }
  const below = (pid: number): boolean => {
    for (let p = parent.get(pid), depth = 0; p !== undefined && depth < 64; p = parent.get(p), depth++) if (p === process.pid) return true;
    return false;
  };
  return [...command]
    .filter(([pid, cmdline]) => below(pid) && NIX_COMMANDS.has(basename(cmdline.split(' ')[0] ?? '')))
    .map(([pid, cmdline]) => `${pid}: ${cmdline.slice(0, 200)}`);
}

/** What this process holds open: file descriptors, and handles by kind (timers, pipes, child processes, watchers). */
function resources(): { fds: number; handles: Record<string, number> } {
  const handles: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) handles[kind] = (handles[kind] ?? 0) + 1;
  const fds = readdirSync('/proc/self/fd').filter((fd) => {
    try {
      readlinkSync(`/proc/self/fd/${fd}`);
      return true;
    } catch {
      return false;
    }
  }).length;
  return { fds, handles };
}

describe('Load: rapid environment switches', function () {
  this.timeout(300_000);
  const files = ['a', 'b', 'c'].map((name) => (): vscode.Uri => vscode.Uri.joinPath(folder().uri, 'load', `${name}.nix`));
  let previous: EnvState;

  before(async () => {
    const fixture = await packFixture();
    const pplNix = await api();
    previous = pplNix.environmentState(folder()).state;
    const pin = { pinUrl: fixture.url, pinSha256: fixture.sha256, python: '3.12' };
    const packages = [['pymc', 'arviz'], ['emcee'], ['numpyro', 'jax']];
    for (const [index, file] of files.entries()) {
      await pplNix.writeShell(
        file().fsPath,
        { name: `load-${'abc'[index]}`, packages: packages[index]!, ...pin },
        { replaceForeign: true },
      );
    }
  });

  after(async () => {
    const pplNix = await api();
    if (previous.kind === 'active') await pplNix.enter(folder(), vscode.Uri.joinPath(folder().uri, previous.env.file));
    rmSync(join(folder().uri.fsPath, 'load'), { recursive: true, force: true });
  });

  it(`${SWITCHES} rapid switches: the last choice is active, each file captured at most once, nothing leaked`, async () => {
    const pplNix = await api();
    const exported = await publicApi();
    const terminals = vscode.window.terminals.length;
    const processes = pplNix.processes().length;
    const before = resources();
    const heard: string[] = [];
    const listener = exported.onDidChangeEnvironment((change) => heard.push(change.environment?.name ?? 'none'));
    const started = Date.now();
    const choices = Array.from({ length: SWITCHES }, (_, i) => files[(i * 7 + (i >> 3)) % 3]!());
    // Clicked faster than any capture finishes (all before the first answer), so every earlier
    // enter is superseded and must answer with the newest.
    const states = await Promise.all(choices.map((file) => pplNix.enter(folder(), file)));
    const last = choices.at(-1)!;
    const lastName = `load-${basename(last.fsPath, '.nix')}`;
    console.log(`      ${SWITCHES} switches settled in ${Date.now() - started} ms`);
    listener.dispose();

    // The last choice, for every caller and everywhere it shows.
    const superseded = states
      .map((state, index) => ({
        index,
        chose: basename(choices[index]!.fsPath),
        got: state.kind === 'active' ? state.env.name : state.kind,
      }))
      .filter(({ got }) => got !== lastName);
    assert.deepEqual(superseded.slice(0, 10), [], `every caller gets the newest (${lastName}); ${superseded.length} did not`);
    const now = pplNix.environmentState(folder());
    assert.ok(now.state.kind === 'active' && now.state.env.name === lastName, JSON.stringify(now.state));
    assert.match(now.statusText, new RegExp(lastName));
    assert.equal(exported.getEnvironment(folder().uri)?.name, lastName);
    assert.equal(heard.at(-1), lastName, 'the last change event names the last choice');
    // Once there is an environment, switching never reports "no environment" in between.
    const first = heard.findIndex((name) => name !== 'none');
    assert.ok(!heard.slice(first).includes('none'), `never "no environment" in between: ${heard.join(', ')}`);

    // At most one capture per distinct file.
    const started_ = pplNix.processes().slice(processes);
    for (const file of files.map((f) => f().fsPath)) {
      const captures = started_.filter(
        (argv) =>
          (argv.command === 'nix' && argv.args.includes('print-dev-env') && argv.args.includes(file)) ||
          (argv.command === 'nix-shell' && argv.args[0] === file && argv.args.includes('--run')),
      );
      assert.ok(captures.length <= 1, `${basename(file)} was captured ${captures.length} times`);
    }

    // No Nix process left running (the background GC-root steps finish on their own).
    await until('no Nix process left', () => (nixDescendants().length === 0 ? true : undefined), 60_000).catch(() =>
      assert.fail(`Nix processes still running: ${nixDescendants().join('; ')}`),
    );
    assert.equal(vscode.window.terminals.length, terminals, 'no terminal opened or leaked');

    // No leaked watcher: once the chosen file is entered again (settling which enter watches last;
    // the race is the last test below), editing the 199 superseded choices' files re-enters nothing.
    assert.equal((await pplNix.enter(folder(), last)).kind, 'active');
    const afterSwitches = pplNix.processes().length;
    const others = files.map((f) => f()).filter((file) => file.fsPath !== last.fsPath);
    for (const file of others) writeFileSync(file.fsPath, `${readFileSync(file.fsPath, 'utf8')}# touched by the load test\n`);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.deepEqual(pplNix.processes().slice(afterSwitches), [], 'no process for files that are not chosen');
    const still = pplNix.environmentState(folder()).state;
    assert.ok(still.kind === 'active' && still.env.name === lastName, `still the last choice: ${JSON.stringify(still)}`);
    // The chosen file is watched (so the check above can fail): its edit re-enters it.
    writeFileSync(last.fsPath, `${readFileSync(last.fsPath, 'utf8')}# touched by the load test\n`);
    await until('the re-enter of the chosen file', () => (pplNix.processes().length > afterSwitches ? true : undefined), 30_000);
    await until(
      'active again',
      () => {
        const state = pplNix.environmentState(folder()).state;
        return state.kind === 'active' && state.env.name === lastName ? true : undefined;
      },
      60_000,
    );
    await until('no Nix process left', () => (nixDescendants().length === 0 ? true : undefined), 60_000);

    // Handles and file descriptors: back where they were (a leak per switch would show by hundreds).
    const after_ = await until(
      'resources to settle',
      () => {
        const now_ = resources();
        return now_.fds <= before.fds + 10 ? now_ : undefined;
      },
      20_000,
    ).catch(() => resources());
    console.log(`      before: ${JSON.stringify(before)}\n      after:  ${JSON.stringify(after_)}`);
    assert.ok(after_.fds <= before.fds + 10, `file descriptors: ${before.fds} → ${after_.fds}`);
    for (const [kind, count] of Object.entries(after_.handles)) {
      assert.ok(count <= (before.handles[kind] ?? 0) + 10, `${kind} handles: ${before.handles[kind] ?? 0} → ${count}`);
    }
  });

  it('60 switches at a human pace (every 30 ms, captures running): each file captured at most once, the last choice active', async () => {
    const pplNix = await api();
    // New text, so nothing is cached yet.
    for (const file of files) writeFileSync(file().fsPath, `${readFileSync(file().fsPath, 'utf8')}# paced ${Date.now()}\n`);
    const processes = pplNix.processes().length;
    const answers: Promise<EnvState>[] = [];
    for (let i = 0; i < 60; i++) {
      answers.push(pplNix.enter(folder(), files[i % 3]!()));
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const states = await Promise.all(answers);
    const lastName = `load-${basename(files[59 % 3]!().fsPath, '.nix')}`;
    const answer = states.at(-1);
    assert.ok(answer?.kind === 'active' && answer.env.name === lastName, `the last click's answer: ${JSON.stringify(answer)}`);
    const now = pplNix.environmentState(folder()).state;
    assert.ok(now.kind === 'active' && now.env.name === lastName, JSON.stringify(now));
    const started = pplNix.processes().slice(processes);
    const counts = files.map(
      (file) => started.filter((argv) => argv.args.includes('print-dev-env') && argv.args.includes(file().fsPath)).length,
    );
    assert.ok(
      counts.every((count) => count <= 1),
      `captures per file: ${counts.join(', ')}`,
    );
  });

  it('after rapid switches only the chosen file is watched: editing the others re-enters nothing, editing it re-enters it', async () => {
    const pplNix = await api();
    const choices = Array.from({ length: SWITCHES }, (_, i) => files[(i * 5 + (i >> 2)) % 3]!());
    await Promise.all(choices.map((file) => pplNix.enter(folder(), file)));
    const last = choices.at(-1)!;
    const lastName = `load-${basename(last.fsPath, '.nix')}`;
    await until('no Nix process left', () => (nixDescendants().length === 0 ? true : undefined), 60_000);
    const afterSwitches = pplNix.processes().length;
    const others = files.map((f) => f()).filter((file) => file.fsPath !== last.fsPath);
    for (const file of others) writeFileSync(file.fsPath, `${readFileSync(file.fsPath, 'utf8')}# touched by the load test\n`);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.deepEqual(pplNix.processes().slice(afterSwitches), [], 'no process for files that are not chosen');
    const still = pplNix.environmentState(folder()).state;
    assert.ok(still.kind === 'active' && still.env.name === lastName, `still the last choice: ${JSON.stringify(still)}`);
    // The chosen one is still watched (so the check above can fail): its edit re-enters it.
    writeFileSync(last.fsPath, `${readFileSync(last.fsPath, 'utf8')}# touched by the load test\n`);
    await until('the re-enter of the chosen file', () => (pplNix.processes().length > afterSwitches ? true : undefined), 30_000);
    await until(
      'active again',
      () => {
        const state = pplNix.environmentState(folder()).state;
        return state.kind === 'active' && state.env.name === lastName ? true : undefined;
      },
      60_000,
    );
    await until('no Nix process left', () => (nixDescendants().length === 0 ? true : undefined), 60_000);
  });
});
