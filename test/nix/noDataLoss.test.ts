// No data loss (issue 13), on a real disk: a process killed between writing the temp file and
// renaming it (or anywhere else) leaves the old file whole; a foreign file is replaced only with
// consent, after a byte-identical backup; two writes of one file at once write it once; a full
// or read-only disk gives a clear message and leaves the old file as it was.
//
// This file is also the child process of the crash tests: run with PPL_NIX_CRASH_CHILD set, it
// writes one file with writeFileAtomic and nothing else.
import { strict as assert } from 'node:assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { isPplNixError } from '../../src/core/errors';
import { readShellNix } from '../../src/core/spec/readback';
import { renderShellNix } from '../../src/core/spec/render';
import type { EnvSpec } from '../../src/core/spec/spec';
import { writeFileAtomic } from '../../src/host/files';
import { writeSpec } from '../../src/host/shellFiles';
import { nixTestEnv, repoRoot, tempDir } from './fixture';

interface ChildOrder {
  readonly path: string;
  /** The text to write, or the number of a 4 MB bigFile() to write. */
  readonly content: string | number;
  /** Make fs.rename hang (and say so on stdout): the crash point between temp write and rename. */
  readonly hangAtRename: boolean;
}

/** About 4 MB of text that says which version it is on every line. */
const bigFile = (n: number): string => `# version ${n}\n${`${String(n).padStart(6, '0')} `.repeat((4 * 1024 * 1024) / 7)}\n`;

async function childMain(order: ChildOrder): Promise<void> {
  if (order.hangAtRename) {
    fsp.rename = () => {
      process.stdout.write('at-rename\n');
      return new Promise<void>(() => undefined);
    };
  }
  process.stdout.write('writing\n');
  await writeFileAtomic(order.path, typeof order.content === 'number' ? bigFile(order.content) : order.content);
  process.stdout.write('done\n');
}

const SPEC = (name: string, packages: string[] = ['pymc', 'arviz']): EnvSpec => ({
  name,
  pin: { label: 'fixture', url: 'file:///tmp/nixpkgs.tar.gz', sha256: '1jvflnbrxa8gjxkwjq6kdpdzgwp0hs59h9l3xjasksv0v7xlwykz' },
  python: '3.12',
  packages,
  extraPackages: [],
  systemPackages: [],
});

/** Temp files writeFileAtomic makes next to a target. */
const tempsIn = (dir: string): string[] => readdirSync(dir).filter((name) => /\.\d+\.[0-9a-f]{8}\.tmp$/.test(name));

/** Makes the temp files in dir a few minutes old, as a crash long ago would have left them. */
function ageTemps(dir: string): void {
  const then = new Date(Date.now() - 5 * 60_000);
  for (const name of tempsIn(dir)) utimesSync(join(dir, name), then, then);
}

/** Starts this file as a crash child; resolves when it printed `until` (or exited). */
function startChild(order: ChildOrder, until: string) {
  const child = spawn(process.execPath, [__filename], {
    env: { ...process.env, PPL_NIX_CRASH_CHILD: JSON.stringify(order) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const reached = new Promise<string>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(`${until}\n`)) resolve(out);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', () => resolve(out));
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  return { child, reached, exited, stderr: () => err };
}

if (process.env['PPL_NIX_CRASH_CHILD'] !== undefined) {
  void childMain(JSON.parse(process.env['PPL_NIX_CRASH_CHILD']) as ChildOrder);
} else {
  describe('no data loss', function () {
    this.timeout(120_000);

    it('a process killed between the temp write and the rename leaves the old file intact; the next write clears its temp file', async () => {
      const dir = tempDir('ppl-nix-crash-');
      const file = join(dir, 'shell.nix');
      const old = renderShellNix(SPEC('old'));
      writeFileSync(file, old);
      const run = startChild({ path: file, content: renderShellNix(SPEC('new')), hangAtRename: true }, 'at-rename');
      assert.match(await run.reached, /at-rename/, `the child reached the rename: ${run.stderr()}`);
      assert.equal(tempsIn(dir).length, 1, 'the new text is in a temp file, fsynced, not yet renamed');
      run.child.kill('SIGKILL');
      assert.equal(await run.exited, 'SIGKILL');
      assert.equal(readFileSync(file, 'utf8'), old, 'the old file is intact');
      assert.equal(readShellNix(readFileSync(file, 'utf8')).kind, 'managed');
      // The dead writer's temp file is litter: a successful write of the file removes it once it
      // is a minute old (a fresh one may be a live writer's in a process this one cannot see).
      await writeSpec(file, SPEC('next'), { replaceForeign: false });
      assert.equal(tempsIn(dir).length, 1, 'a fresh temp file is left alone');
      ageTemps(dir);
      await writeSpec(file, SPEC('next2'), { replaceForeign: false });
      assert.deepEqual(tempsIn(dir), [], 'no temp file left after the next write');
      assert.equal(readFileSync(file, 'utf8'), renderShellNix(SPEC('next2')));
    });

    it('killed at 24 random moments of a 4 MB write: the file is always the old one or the new one, whole', async () => {
      const dir = tempDir('ppl-nix-crash-random-');
      const file = join(dir, 'data.nix');
      const version = bigFile;
      writeFileSync(file, version(0));
      let current = 0;
      const outcomes = { old: 0, new: 0 };
      for (let attempt = 1; attempt <= 24; attempt++) {
        const run = startChild({ path: file, content: attempt, hangAtRename: false }, 'writing');
        await run.reached;
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 60)));
        run.child.kill('SIGKILL');
        await run.exited;
        const text = readFileSync(file, 'utf8');
        if (text === version(attempt)) {
          outcomes.new++;
          current = attempt;
        } else {
          assert.equal(text, version(current), `attempt ${attempt}: neither the old nor the new file, whole (${text.length} characters)`);
          outcomes.old++;
        }
      }
      console.log(`      24 kills: ${outcomes.old} left the old file, ${outcomes.new} the new one; files lost: 0`);
      ageTemps(dir);
      await writeFileAtomic(file, version(99));
      assert.deepEqual(tempsIn(dir), [], 'the temp files of the killed writers are gone after the next write');
    });

    it('the CLI killed in the middle of updating a shell.nix leaves it intact', async () => {
      const dir = tempDir('ppl-nix-crash-cli-');
      const file = join(dir, 'shell.nix');
      const cli = join(repoRoot(), 'dist/cli.js');
      const args = (packages: string) => [
        cli,
        'new',
        '--pin-url=file:///tmp/nixpkgs.tar.gz',
        `--pin-sha256=${SPEC('x').pin.sha256}`,
        '--python=3.12',
        `--packages=${packages}`,
        '--name=bayes',
        `--out=${file}`,
      ];
      execFileSync(process.execPath, args('pymc'), { env: nixTestEnv() });
      const old = readFileSync(file, 'utf8');
      const preload = join(dir, 'hang-at-rename.js');
      writeFileSync(
        preload,
        "const fs = require('fs'); fs.promises.rename = () => { process.stderr.write('at-rename\\n'); return new Promise(() => {}); };\n",
      );
      const child = spawn(process.execPath, ['--require', preload, ...args('numpyro,jax')], {
        env: nixTestEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      await new Promise<void>((resolve) => child.stderr.on('data', (chunk: Buffer) => chunk.toString().includes('at-rename') && resolve()));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.on('exit', resolve));
      assert.equal(readFileSync(file, 'utf8'), old, 'shell.nix is the old one, whole');
    });

    it('a foreign file is never replaced without consent; with it, its backup is byte-identical', async () => {
      const dir = tempDir('ppl-nix-foreign-');
      const file = join(dir, 'shell.nix');
      // Not even UTF-8: the bytes must survive exactly.
      const foreign = Buffer.concat([
        Buffer.from('{ pkgs ? import <nixpkgs> {} }:\n# caf'),
        Buffer.from([0xe9, 0xff, 0x00]),
        Buffer.from('\npkgs.mkShell {}\n'),
      ]);
      writeFileSync(file, foreign);
      chmodSync(file, 0o640);
      await assert.rejects(writeSpec(file, SPEC('bayes'), { replaceForeign: false }), (error: unknown) =>
        isPplNixError(error, 'foreignFile'),
      );
      assert.deepEqual(readFileSync(file), foreign, 'refused: untouched');
      assert.deepEqual(readdirSync(dir), ['shell.nix'], 'refused: no backup, no temp file');
      const replaced = await writeSpec(file, SPEC('bayes'), { replaceForeign: true });
      assert.equal(replaced.action, 'replace');
      assert.equal(replaced.backup, `${file}.bak`);
      assert.deepEqual(readFileSync(`${file}.bak`), foreign, 'the backup is byte-identical');
      assert.equal(readFileSync(file, 'utf8'), renderShellNix(SPEC('bayes')));
      assert.equal(statSync(file).mode & 0o777, 0o640, 'the file keeps its mode');
      // A second foreign file later: its backup never overwrites the first.
      const second = Buffer.from('# hand-written, second\n{ }\n');
      writeFileSync(file, second);
      const again = await writeSpec(file, SPEC('bayes'), { replaceForeign: true });
      assert.equal(again.backup, `${file}.bak.2`);
      assert.deepEqual(readFileSync(`${file}.bak`), foreign);
      assert.deepEqual(readFileSync(`${file}.bak.2`), second);
    });

    it('two writes of one file at once write it once: no interleaving, one backup at most, a valid file', async () => {
      const dir = tempDir('ppl-nix-twice-');
      // A new file, the same spec twice (two Create clicks).
      const fresh = join(dir, 'fresh.nix');
      const both = await Promise.all([
        writeSpec(fresh, SPEC('bayes'), { replaceForeign: false }),
        writeSpec(fresh, SPEC('bayes'), { replaceForeign: false }),
      ]);
      assert.deepEqual(
        both.map((o) => [o.action, o.unchanged]),
        [
          ['create', false],
          ['update', true],
        ],
        'the first creates it, the second finds it up to date',
      );
      assert.equal(readFileSync(fresh, 'utf8'), renderShellNix(SPEC('bayes')));
      // A foreign file, both with consent: one backup, of the foreign bytes.
      const foreignFile = join(dir, 'foreign.nix');
      writeFileSync(foreignFile, '# mine\n{ }\n');
      const replaced = await Promise.all([
        writeSpec(foreignFile, SPEC('bayes'), { replaceForeign: true }),
        writeSpec(foreignFile, SPEC('bayes'), { replaceForeign: true }),
      ]);
      assert.deepEqual(
        readdirSync(dir).filter((name) => name.startsWith('foreign.nix.bak')),
        ['foreign.nix.bak'],
        'one backup',
      );
      assert.equal(readFileSync(`${foreignFile}.bak`, 'utf8'), '# mine\n{ }\n');
      assert.deepEqual(
        replaced.map((o) => o.action),
        ['replace', 'update'],
      );
      // Two different specs at once: the file is one of them, whole, and reads back.
      const race = join(dir, 'race.nix');
      await Promise.all([
        writeSpec(race, SPEC('one', ['pymc']), { replaceForeign: false }),
        writeSpec(race, SPEC('two', ['numpyro', 'jax']), { replaceForeign: false }),
      ]);
      const text = readFileSync(race, 'utf8');
      assert.ok([renderShellNix(SPEC('one', ['pymc'])), renderShellNix(SPEC('two', ['numpyro', 'jax']))].includes(text), 'one whole file');
      assert.equal(readShellNix(text).kind, 'managed');
      assert.deepEqual(tempsIn(dir), []);
      // Ten at once, on a file with hand edits (a backup each time edits are replaced): still one backup.
      const edited = join(dir, 'edited.nix');
      writeFileSync(edited, renderShellNix(SPEC('bayes')).replace('    pymc\n', '    pymc\n    scipy\n'));
      await Promise.all(Array.from({ length: 10 }, () => writeSpec(edited, SPEC('bayes'), { replaceForeign: false })));
      assert.deepEqual(
        readdirSync(dir).filter((name) => name.startsWith('edited.nix.bak')),
        ['edited.nix.bak'],
      );
      assert.equal(readFileSync(edited, 'utf8'), renderShellNix(SPEC('bayes')));
    });

    describe('a full or read-only disk', () => {
      let disk: string | undefined;
      let how = '';
      const mounted: string[] = [];
      const immutable: string[] = [];

      before(function () {
        if (process.platform !== 'linux' || process.getuid?.() !== 0) this.skip();
        const dir = join(tempDir('ppl-nix-disk-'), 'disk');
        mkdirSync(dir);
        if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0755', 'tmpfs', dir]).status === 0) {
          mounted.push(dir);
          disk = dir;
          how = 'a 64 KB tmpfs (mount -t tmpfs), remounted read-only';
        }
        console.log(`      the disk: ${how || 'no tmpfs mount permitted here: the full-disk case is skipped'}`);
      });
      after(() => {
        for (const dir of immutable) spawnSync('chattr', ['-i', dir]);
        for (const dir of mounted) spawnSync('umount', ['-l', dir]);
      });

      it('a full disk: a clear message naming the file, the old file intact, no temp file left', async function () {
        if (disk === undefined) this.skip();
        const file = join(disk!, 'shell.nix');
        const old = renderShellNix(SPEC('old'));
        writeFileSync(file, old);
        // Fill the disk to the last byte.
        const filler = join(disk!, 'filler');
        try {
          writeFileSync(filler, Buffer.alloc(128 * 1024, 1));
        } catch (error) {
          assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
        }
        await assert.rejects(
          writeSpec(file, SPEC('new', ['pymc', 'arviz', 'numpyro', 'jax', 'blackjax']), { replaceForeign: false }),
          (error: Error) => {
            assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
            assert.equal(
              error.message,
              `${file} could not be written: the disk is full (no space left on the device); the file there is unchanged.`,
            );
            return true;
          },
        );
        assert.equal(readFileSync(file, 'utf8'), old, 'the old file is intact');
        assert.deepEqual(tempsIn(disk!), [], 'no temp file left');
        // A foreign file on a full disk: even its backup cannot be made, and nothing changes.
        writeFileSync(file, '# mine\n');
        await assert.rejects(
          writeSpec(file, SPEC('new'), { replaceForeign: true }),
          /shell\.nix\.bak could not be written: the disk is full/,
        );
        assert.equal(readFileSync(file, 'utf8'), '# mine\n');
        assert.deepEqual(readdirSync(disk!).sort(), ['filler', 'shell.nix'], 'no partial backup, no temp file');
        // The CLI says it in one line.
        const cli = spawnSync(
          process.execPath,
          [join(repoRoot(), 'dist/cli.js'), 'new', '--name=x', '--packages=pymc', '--force', `--out=${file}`],
          { encoding: 'utf8', env: nixTestEnv() },
        );
        assert.equal(cli.status, 2, cli.stderr);
        assert.match(cli.stderr, /^error: .*shell\.nix(\.bak)?: no space left on the device\n/);
        writeFileSync(file, old);
        await fsp.rm(filler);
      });

      it('a read-only folder: a clear message naming the file, the old file intact', async function () {
        // As root, chmod does not stop a write: a read-only mount does (the tmpfs remounted, else a
        // read-only bind mount), else an immutable folder (chattr +i).
        let folder: string;
        let way: string;
        if (disk !== undefined) {
          folder = disk;
          writeFileSync(join(folder, 'shell.nix'), renderShellNix(SPEC('old')));
          assert.equal(spawnSync('mount', ['-o', 'remount,ro', folder]).status, 0, 'remount read-only');
          way = 'the tmpfs remounted read-only';
        } else {
          folder = join(tempDir('ppl-nix-readonly-'), 'folder');
          mkdirSync(folder);
          writeFileSync(join(folder, 'shell.nix'), renderShellNix(SPEC('old')));
          if (spawnSync('mount', ['--bind', folder, folder]).status === 0) {
            mounted.push(folder);
            assert.equal(spawnSync('mount', ['-o', 'remount,ro,bind', folder]).status, 0, 'bind mount read-only');
            way = 'a read-only bind mount';
          } else if (spawnSync('chattr', ['+i', folder]).status === 0) {
            immutable.push(folder);
            way = 'an immutable folder (chattr +i)';
          } else {
            return this.skip();
          }
        }
        console.log(`      read-only by ${way}`);
        const file = join(folder, 'shell.nix');
        const old = readFileSync(file, 'utf8');
        await assert.rejects(writeSpec(file, SPEC('new'), { replaceForeign: false }), (error: Error) => {
          assert.match(
            error.message,
            new RegExp(
              `^${file.replace(/[.]/g, '\\.')} could not be written: (the folder is on a read-only file system|the folder does not allow it)`,
            ),
          );
          assert.match(error.message, /the file there is unchanged\.$/);
          return true;
        });
        assert.equal(readFileSync(file, 'utf8'), old, 'the old file is intact');
        assert.deepEqual(
          readdirSync(folder).filter((name) => name !== 'filler'),
          ['shell.nix'],
        );
        const cli = spawnSync(process.execPath, [join(repoRoot(), 'dist/cli.js'), 'new', '--name=x', '--packages=pymc', `--out=${file}`], {
          encoding: 'utf8',
          env: nixTestEnv(),
        });
        assert.equal(cli.status, 2, cli.stderr);
        assert.match(cli.stderr, /^error: .*shell\.nix: (read-only file system|not permitted)\n/);
        assert.equal(readFileSync(file, 'utf8'), old);
        assert.ok(existsSync(file));
      });
    });
  });
}
