// Fault injection on entering, on real Nix with the fixture nixpkgs (issue 13): each fault gives
// its own typed error whose message says what to do (or, where the environment still works, a
// problem saying what was not done); the last working environment is kept (its cache entry and
// interpreter link); and a following good enter succeeds.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPplNixError, type PplNixErrorKind } from '../../src/core/errors';
import { EnvironmentService, type Entered, type EnvironmentSource } from '../../src/host/environments';
import { silentLog } from '../../src/host/log';
import { NixService } from '../../src/host/nix';
import { ProcessRunner } from '../../src/host/process';
import { readableMessage } from '../unit/fuzzInputs';
import { nixAvailable, nixTestEnv, packFixture, repoRoot, run, tempDir, type PackedFixture } from './fixture';

const sourceOf = (file: string): EnvironmentSource => ({ file, text: readFileSync(file, 'utf8') });
/** A marker unique to this run, in store path names and fake processes. */
const UNIQUE = `${process.pid}${Date.now() % 100_000}`;

/** Processes whose command line contains the marker (zombies have none, and are dead anyway). */
function processesWith(marker: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(marker)) found.push(`${pid}: ${cmdline.trim()}`);
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** Makes a folder unwritable for root: a read-only bind mount, else chattr +i. Returns how, and the undo. */
function makeUnwritable(dir: string): { how: string; undo: () => void } | undefined {
  if (spawnSync('mount', ['--bind', dir, dir]).status === 0) {
    if (spawnSync('mount', ['-o', 'remount,ro,bind', dir]).status === 0)
      return { how: 'a read-only bind mount', undo: () => void spawnSync('umount', ['-l', dir]) };
    spawnSync('umount', ['-l', dir]);
  }
  if (spawnSync('chattr', ['+i', dir]).status === 0) return { how: 'chattr +i', undo: () => void spawnSync('chattr', ['-i', dir]) };
  return undefined;
}

describe('fault injection on entering (real Nix)', function () {
  this.timeout(180_000);
  let fixture: PackedFixture;
  let env: NodeJS.ProcessEnv;
  let workspace: string;
  let storage: string;
  let file: string;
  let good: string;
  const runner = new ProcessRunner(silentLog);
  const service = new EnvironmentService(new NixService(runner), runner, silentLog);
  const options = (overrides: Partial<{ env: NodeJS.ProcessEnv; storageDir: string; timeoutMs: number; fresh: boolean }> = {}) => ({
    env,
    workspaceDir: workspace,
    storageDir: storage,
    name: 'faults',
    ...overrides,
  });
  const link = (): string => join(workspace, '.ppl-nix', 'faults', 'env');
  const tally = { faults: 0, survived: 0 };
  after(() => console.log(`      faults injected: ${tally.faults}, survived (a good enter after each): ${tally.survived}`));

  /** Enters and waits for the background GC-root step (when there is one); its problems join the others. */
  async function enter(overrides: Parameters<typeof options>[0] = {}, using = service): Promise<Entered> {
    const entered = await using.enter(sourceOf(file), options(overrides));
    const roots = (entered as { roots?: Promise<readonly string[]> }).roots;
    return { ...entered, problems: [...entered.problems, ...(roots === undefined ? [] : await roots)] };
  }

  /** The enter fails with this kind of error, and its message is one a user can act on. */
  async function fails(entering: Promise<Entered>, kind: PplNixErrorKind, says: RegExp): Promise<Error> {
    tally.faults++;
    const error = await entering.then(
      (entered) => assert.fail(`the enter should fail with ${kind}, it succeeded: ${JSON.stringify(entered.problems)}`),
      (e: unknown) => e as Error,
    );
    assert.ok(isPplNixError(error, kind), `a ${kind} error, not ${isPplNixError(error) ? error.kind : String(error)}: ${error.message}`);
    assert.match(error.message, says);
    assert.ok(readableMessage(error.message.replace(/\n/g, ' ')), error.message);
    return error;
  }

  /** The last working environment is still there, and entering the good file again works (from the cache when it was kept). */
  async function recovers(expectCache = true): Promise<void> {
    const before = runner.started.length;
    writeFileSync(file, good);
    const entered = await enter();
    assert.equal(entered.fromCache, expectCache, 'the last working environment was kept in the cache');
    if (expectCache) assert.deepEqual(runner.started.slice(before), [], 'no Nix process: the kept environment');
    assert.ok(existsSync(entered.interpreterLink!), 'the interpreter link works');
    assert.equal(spawnSync(entered.interpreterLink!, ['-c', 'import pymc'], { encoding: 'utf8' }).status, 0);
    tally.survived++;
  }

  beforeEach(() => {
    if (good !== undefined) writeFileSync(file, good);
  });

  before(async () => {
    assert.ok(nixAvailable().ok, nixAvailable().reason);
    fixture = await packFixture();
    env = nixTestEnv();
    workspace = tempDir('ppl-nix-faults-');
    storage = tempDir('ppl-nix-faults-storage-');
    file = join(workspace, 'shell.nix');
    const made = await run(
      process.execPath,
      [
        join(repoRoot(), 'dist/cli.js'),
        'new',
        `--pin-url=${fixture.url}`,
        `--pin-sha256=${fixture.sha256}`,
        '--python=3.12',
        '--packages=pymc',
        '--name=faults',
        `--out=${file}`,
      ],
      { env },
    );
    assert.equal(made.code, 0, made.stderr);
    // A store path only this run has: the one "a store path deleted under a cached environment" deletes.
    good = readFileSync(file, 'utf8').replace(
      '    # Add your own packages here',
      `    (pkgs.runCommand "ppl-nix-fault-probe-${UNIQUE}" { } "mkdir -p $out/bin; echo ok > $out/bin/probe-${UNIQUE}")\n    # Add your own packages here`,
    );
    writeFileSync(file, good);
    const entered = await enter();
    assert.equal(entered.fromCache, false);
    assert.deepEqual(entered.problems, []);
  });

  it('nix missing (a PATH without Nix): nixNotFound, saying to install Nix or put it on PATH', async () => {
    const noNix = new EnvironmentService(new NixService(runner), runner, silentLog);
    await fails(
      enter({ env: { ...env, PATH: '/nonexistent' }, fresh: true }, noNix),
      'nixNotFound',
      /not found: is Nix installed and on PATH\?/,
    );
    await recovers();
  });

  it('nix hanging: a timeout, the whole process tree killed within 2 s of it, no orphans', async () => {
    const bin = tempDir('ppl-nix-fake-nix-');
    const marker = `ppl-nix-hang-${UNIQUE}`;
    // Answers --version like Nix 2.8, then hangs in a process tree that ignores SIGTERM.
    // A sleep whose path carries the marker, so every process of the tree can be found in /proc.
    const sleeper = join(bin, marker);
    copyFileSync('/bin/sleep', sleeper);
    writeFileSync(
      join(bin, 'nix'),
      `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "nix (Nix) 2.8.0"; exit 0; fi\ntrap '' TERM\n` +
        `${sleeper} 300 &\nsh -c '${sleeper} 301 & ${sleeper} 302' &\n${sleeper} 303\nwait\n`,
    );
    chmodSync(join(bin, 'nix'), 0o755);
    const hanging = new EnvironmentService(new NixService(runner), runner, silentLog);
    const timeoutMs = 1500;
    const started = Date.now();
    const entering = enter({ env: { ...env, PATH: `${bin}:${env['PATH']}` }, fresh: true, timeoutMs }, hanging);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(processesWith(marker).length >= 4, `the fake nix started its process tree: ${processesWith(marker).join('; ')}`);
    await fails(entering, 'timeout', /took longer than 2 s and was stopped/);
    const timedOut = started + timeoutMs;
    for (;;) {
      const left = processesWith(marker);
      if (left.length === 0) break;
      assert.ok(Date.now() - timedOut <= 2000, `the tree is still running 2 s after the timeout: ${left.join('; ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    console.log(`      the hanging tree was gone ${Date.now() - timedOut} ms after the timeout`);
    await recovers();
  });

  it('a syntax error: syntaxError, with the file, line and column', async () => {
    writeFileSync(file, good.replace('  name = "faults";', '  name = "faults"'));
    await fails(enter(), 'syntaxError', /^Syntax error at .*shell\.nix:\d+:\d+: /);
    await recovers();
  });

  it('a missing attribute: attributeMissing, naming it and where it is used', async () => {
    writeFileSync(
      file,
      good.replace('    # Add your own packages here', '    pkgs.doesNotExistAnywhere\n    # Add your own packages here'),
    );
    await fails(
      enter(),
      'attributeMissing',
      /"doesNotExistAnywhere" does not exist at this nixpkgs pin \(attribute missing at .*shell\.nix:\d+/,
    );
    await recovers();
  });

  it('a hash mismatch: hashMismatch, with the hash the file says and the one downloaded', async () => {
    const wrong = '0'.repeat(52);
    writeFileSync(file, good.replace(`sha256 = "${fixture.sha256}";`, `sha256 = "${wrong}";`));
    const error = await fails(enter(), 'hashMismatch', /sha256 does not match what was downloaded/);
    assert.ok(isPplNixError(error, 'hashMismatch') && error.data.kind === 'hashMismatch');
    assert.equal(error.data.specified, wrong);
    assert.equal(error.data.got, fixture.sha256, 'the hash to put in the file');
    await recovers();
  });

  it('a download failure (a file:// URL that does not exist): downloadFailed, naming the URL', async () => {
    const missing = `file:///nonexistent/ppl-nix-${UNIQUE}/nixpkgs.tar.gz`;
    // Another hash too: with the fixture's, Nix finds the tarball in the store and downloads nothing.
    writeFileSync(
      file,
      good
        .replace(`url = "${fixture.url}";`, `url = "${missing}";`)
        .replace(`sha256 = "${fixture.sha256}";`, `sha256 = "${'1'.repeat(52)}";`),
    );
    await fails(enter(), 'downloadFailed', new RegExp(`^Could not download ${missing.replace(/[./]/g, '\\$&')}: .*Are you offline\\?`));
    await recovers();
  });

  it('a store path deleted under a cached environment: captured again, and the path is back', async () => {
    const cached = await enter();
    assert.equal(cached.fromCache, true);
    const probe = cached.entry.storePaths.find((path) => path.includes(`ppl-nix-fault-probe-${UNIQUE}`));
    assert.ok(probe, `the probe is part of the environment: ${cached.entry.storePaths.join(' ')}`);
    // Its GC roots go first (nix-store --delete refuses a rooted path), then the path with what
    // refers to it (the environment's own store path, unique to this run too).
    rmSync(join(workspace, '.ppl-nix', 'faults', 'gcroots'), { recursive: true, force: true });
    const referrers = (await run('nix-store', ['--query', '--referrers-closure', probe], { env })).stdout.split('\n').filter(Boolean);
    const deleted = await run('nix-store', ['--delete', ...referrers], { env });
    const roots = deleted.code === 0 ? '' : (await run('nix-store', ['--query', '--roots', probe], { env })).stdout;
    assert.equal(
      deleted.code,
      0,
      `${deleted.stderr
        .split('\n')
        .filter((line) => !line.startsWith('removing stale link'))
        .join('\n')}\nroots: ${roots}`,
    );
    assert.ok(!existsSync(probe));
    tally.faults++;
    const before = runner.started.length;
    const entered = await enter();
    assert.equal(entered.fromCache, false, 'the cache no longer vouches for it');
    assert.ok(runner.started.length > before);
    assert.ok(existsSync(probe), 'rebuilt');
    assert.equal(readdirSync(join(workspace, '.ppl-nix', 'faults', 'gcroots')).length, 1, 'rooted again');
    await recovers();
  });

  for (const [what, corrupt] of [
    ['truncated JSON', (path: string) => writeFileSync(path, '{"version":1,"key":')],
    ['empty', (path: string) => writeFileSync(path, '')],
    ['binary garbage', (path: string) => writeFileSync(path, Buffer.from([0xff, 0x00, 0xfe, 0x13]))],
    ['valid JSON of another shape', (path: string) => writeFileSync(path, '{"version":1,"key":"x","storePaths":"not a list"}')],
    ['a folder in its place', (path: string) => (rmSync(path), mkdirSync(path))],
  ] as const) {
    it(`a corrupt cache file (${what}): discarded, the environment captured again and cached`, async () => {
      const cacheDir = join(storage, 'environments');
      const [name] = readdirSync(cacheDir);
      corrupt(join(cacheDir, name!));
      tally.faults++;
      const entered = await enter();
      assert.equal(entered.fromCache, false);
      assert.ok(existsSync(entered.interpreterLink!));
      await recovers();
    });
  }

  it('workspace storage not writable: the environment is entered all the same, and the problem says it is not cached', async function () {
    const readOnly = tempDir('ppl-nix-faults-ro-storage-');
    mkdirSync(join(readOnly, 'environments'));
    const unwritable = makeUnwritable(readOnly);
    if (unwritable === undefined) return this.skip();
    try {
      console.log(`      storage made unwritable by ${unwritable.how}`);
      tally.faults++;
      const entered = await enter({ storageDir: readOnly });
      assert.ok(existsSync(entered.interpreterLink!));
      assert.ok(
        entered.problems.some((problem) => /cach/i.test(problem)),
        `a problem says the cache was not written: ${JSON.stringify(entered.problems)}`,
      );
    } finally {
      unwritable.undo();
    }
    await recovers();
  });

  it('the GC-root folder not writable: entered all the same, the problem says it is not protected from garbage collection', async function () {
    const roots = join(workspace, '.ppl-nix', 'faults', 'gcroots');
    mkdirSync(roots, { recursive: true });
    const unwritable = makeUnwritable(roots);
    if (unwritable === undefined) return this.skip();
    try {
      console.log(`      GC roots made unwritable by ${unwritable.how}`);
      tally.faults++;
      const entered = await enter({ fresh: true });
      assert.equal(entered.fromCache, false);
      assert.ok(existsSync(entered.interpreterLink!), 'the interpreter link still works');
      assert.equal(entered.problems.length, 1, JSON.stringify(entered.problems));
      assert.match(entered.problems[0]!, /^Not protected from garbage collection: .*gcroots/);
      assert.ok(readableMessage(entered.problems[0]!));
    } finally {
      unwritable.undo();
    }
    await recovers();
    assert.ok(readlinkSync(link()).startsWith('/nix/store/'));
  });
});
