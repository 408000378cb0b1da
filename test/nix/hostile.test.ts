// A hostile workspace on real Nix and a real file system (issue 10): committed symlinks under
// .ppl-nix, a dependency that is a device, writes through links, and the CLI's edges. Each test
// reproduces a finding of the review and shows the primitive that now refuses it.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync, lstatSync, chmodSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { EnvironmentService, type EnvironmentSource } from '../../src/host/environments';
import { ownedFolder, writeFileAtomic } from '../../src/host/files';
import { PinProbeService } from '../../src/host/pinProbe';
import { writeSpec } from '../../src/host/shellFiles';
import { renderShellNix } from '../../src/core/spec/render';
import type { EnvSpec } from '../../src/core/spec/spec';
import { silentLog } from '../../src/host/log';
import { NixService } from '../../src/host/nix';
import { ProcessRunner } from '../../src/host/process';
import { nixAvailable, nixTestEnv, packFixture, repoRoot, run, tempDir, type PackedFixture } from './fixture';

const sourceOf = (file: string): EnvironmentSource => ({ file, text: readFileSync(file, 'utf8') });
const CLI = (): string => join(repoRoot(), 'dist/cli.js');
const PYMC_SPEC: EnvSpec = {
  name: 'bayes',
  pin: { label: 'fixture', url: 'file:///tmp/nixpkgs.tar.gz', sha256: '1jvflnbrxa8gjxkwjq6kdpdzgwp0hs59h9l3xjasksv0v7xlwykz' },
  python: '3.12',
  packages: ['pymc', 'arviz'],
  extraPackages: [],
  systemPackages: [],
};

describe('a hostile workspace on real Nix', function () {
  this.timeout(180_000);
  let fixture: PackedFixture;
  let env: NodeJS.ProcessEnv;
  const runner = new ProcessRunner(silentLog);
  const service = new EnvironmentService(new NixService(runner), runner, silentLog);

  /** A workspace with a PPL Nix shell.nix on the fixture pin. */
  async function workspace(name = 'bayes'): Promise<{ dir: string; file: string; storage: string }> {
    const dir = tempDir('ppl-nix-hostile-');
    const file = join(dir, 'shell.nix');
    const made = await run(
      process.execPath,
      [
        CLI(),
        'new',
        '--pin-url',
        fixture.url,
        '--pin-sha256',
        fixture.sha256,
        '--python',
        '3.12',
        '--packages',
        'emcee',
        '--name',
        name,
        '--out',
        file,
      ],
      { env },
    );
    assert.equal(made.code, 0, made.stderr);
    return { dir, file, storage: tempDir('ppl-nix-storage-') };
  }

  /** A folder of "documents" outside the workspace, to see that nothing there is touched. */
  function documents(): string {
    const dir = tempDir('ppl-nix-documents-');
    for (const name of ['thesis.tex', 'data.csv', 'notes']) writeFileSync(join(dir, name), `${name}\n`);
    return dir;
  }

  before(async () => {
    assert.ok(nixAvailable().ok, nixAvailable().reason);
    fixture = await packFixture();
    env = nixTestEnv();
  });

  for (const [where, link] of [
    [
      '.ppl-nix/bayes/gcroots',
      (ws: string, docs: string) => (
        mkdirSync(join(ws, '.ppl-nix', 'bayes'), { recursive: true }),
        symlinkSync(docs, join(ws, '.ppl-nix', 'bayes', 'gcroots'))
      ),
    ],
    ['.ppl-nix', (ws: string, docs: string) => symlinkSync(docs, join(ws, '.ppl-nix'))],
    ['.ppl-nix/bayes', (ws: string) => (mkdirSync(join(ws, '.ppl-nix')), symlinkSync('../../..', join(ws, '.ppl-nix', 'bayes')))],
  ] as const) {
    it(`a committed symlink at ${where} deletes nothing outside the workspace; the environment is still entered`, async () => {
      const ws = await workspace();
      const docs = documents();
      link(ws.dir, docs);
      const before = readdirSync(docs).sort();
      const entered = await service.enter(sourceOf(ws.file), { env, workspaceDir: ws.dir, storageDir: ws.storage, name: 'bayes' });
      // The interpreter link reports at once; rooting (after the environment is ready) when done.
      const problems = [...entered.problems, ...((await entered.roots) ?? [])];
      assert.deepEqual(readdirSync(docs).sort(), before, 'the documents are all there');
      for (const name of before) assert.equal(readFileSync(join(docs, name), 'utf8'), `${name}\n`);
      assert.ok(existsSync(ws.file), "the workspace's own shell.nix is still there");
      assert.ok(entered.entry.pathPrefix.length > 0, 'the environment was captured');
      assert.ok(
        problems.some((p) => /symbolic link/.test(p)),
        `the link is reported: ${problems.join(' | ')}`,
      );
      assert.ok(lstatSync(join(ws.dir, where)).isSymbolicLink(), 'the link itself is left for the user to remove');
    });
  }

  it('a dependency that is a link to /dev/zero is not read (the cache key stays cheap)', async () => {
    const ws = await workspace();
    symlinkSync('/dev/zero', join(ws.dir, 'data'));
    const text = `${readFileSync(ws.file, 'utf8')}\n# reads ./data at build time\n`;
    writeFileSync(ws.file, text.replace('pkgs.mkShell {', 'pkgs.mkShell {\n  passthru.data = ./data;'));
    const key = await service.cacheKey(sourceOf(ws.file), env);
    assert.match(key, /^[0-9a-f]{64}$/);
  });

  it('old GC roots are removed only when PPL Nix made them; other entries stay', async () => {
    const ws = await workspace();
    const options = { env, workspaceDir: ws.dir, storageDir: ws.storage, name: 'bayes' };
    await (
      await service.enter(sourceOf(ws.file), options)
    ).roots;
    const roots = join(ws.dir, '.ppl-nix', 'bayes', 'gcroots');
    const keep = join(roots, 'my-notes');
    writeFileSync(keep, 'mine\n');
    mkdirSync(join(roots, '0123456789abcdef'));
    writeFileSync(join(roots, '0123456789abcdef', 'a-file-of-mine'), 'mine\n');
    writeFileSync(ws.file, `${readFileSync(ws.file, 'utf8')}# changed\n`);
    await (
      await service.enter(sourceOf(ws.file), options)
    ).roots;
    assert.equal(readFileSync(keep, 'utf8'), 'mine\n', 'a file PPL Nix did not make stays');
    assert.equal(
      readFileSync(join(roots, '0123456789abcdef', 'a-file-of-mine'), 'utf8'),
      'mine\n',
      'a non-link in a root-like folder stays',
    );
    assert.equal(
      readdirSync(roots).filter((name) => /^[0-9a-f]{16}$/.test(name) && name !== '0123456789abcdef').length,
      1,
      'one current root folder',
    );
  });
});

describe('the file primitives', () => {
  it('ownedFolder refuses a symlink and ".." instead of following them', async () => {
    const root = tempDir('ppl-nix-owned-');
    symlinkSync('/tmp', join(root, 'link'));
    await assert.rejects(ownedFolder(root, ['link', 'x']), /symbolic link/);
    await assert.rejects(ownedFolder(root, ['..']), /not a folder name/);
    assert.equal(await ownedFolder(root, ['a', 'b']), join(root, 'a', 'b'));
  });

  it('writeFileAtomic writes through a link inside the allowed folder, refuses one leading outside, and leaves no temp file', async () => {
    const root = tempDir('ppl-nix-write-');
    const outside = tempDir('ppl-nix-outside-');
    writeFileSync(join(root, 'real.nix'), 'old\n');
    symlinkSync('real.nix', join(root, 'shell.nix'));
    await writeFileAtomic(join(root, 'shell.nix'), 'new\n', { within: root });
    assert.ok(lstatSync(join(root, 'shell.nix')).isSymbolicLink(), 'the link is kept');
    assert.equal(readFileSync(join(root, 'real.nix'), 'utf8'), 'new\n');
    writeFileSync(join(outside, 'secret'), 'keep\n');
    symlinkSync(join(outside, 'secret'), join(root, 'escape.nix'));
    await assert.rejects(writeFileAtomic(join(root, 'escape.nix'), 'x', { within: root }), /leads outside/);
    assert.equal(readFileSync(join(outside, 'secret'), 'utf8'), 'keep\n');
    const readOnly = join(root, 'ro');
    mkdirSync(readOnly);
    writeFileSync(join(readOnly, 'shell.nix'), 'old\n');
    mkdirSync(join(readOnly, 'shell.nix.d'));
    // A failing rename (the target is a folder) leaves no temp file behind.
    await assert.rejects(writeFileAtomic(join(readOnly, 'shell.nix.d'), 'x', { within: root }));
    assert.deepEqual(readdirSync(readOnly).sort(), ['shell.nix', 'shell.nix.d']);
    chmodSync(readOnly, 0o755);
  });
});

describe('writing over a file keeps every byte it does not own', () => {
  it('a PPL Nix file with a Latin-1 byte outside its blocks is not rewritten; replacing it keeps a byte-identical backup', async () => {
    const dir = tempDir('ppl-nix-latin1-');
    const path = join(dir, 'shell.nix');
    const spec = { ...PYMC_SPEC };
    const text = renderShellNix(spec);
    const bytes = Buffer.concat([Buffer.from(text), Buffer.from([0x23, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a])]); // "# café" in Latin-1
    writeFileSync(path, bytes);
    await assert.rejects(
      writeSpec(path, { ...spec, packages: ['pymc'] }, { replaceForeign: false }),
      /not UTF-8|not written by PPL Nix|not replacing/,
    );
    assert.deepEqual(readFileSync(path), bytes, 'untouched');
    const outcome = await writeSpec(path, { ...spec, packages: ['pymc'] }, { replaceForeign: true });
    assert.ok(outcome.backup !== undefined);
    assert.deepEqual(readFileSync(outcome.backup), bytes, 'the backup has every byte');
  });

  it('a probe whose pin hash or Python comes from a file never becomes a path', async () => {
    const cache = tempDir('ppl-nix-probe-cache-');
    const probes = new PinProbeService(new ProcessRunner(silentLog), cache);
    const query = {
      pin: { label: 'x', url: 'file:///x.tar.gz', sha256: '../../../../tmp/evil' },
      python: '../3.12',
      pythonPackages: [],
      systemPackages: [],
    };
    await assert.rejects(probes.check(query, { env: process.env }), /cannot check availability/);
    assert.deepEqual(readdirSync(cache), []);
  });
});

describe('the ppl-nix command line at its edges', function () {
  this.timeout(120_000);
  const cli = (args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) =>
    run(process.execPath, [CLI(), ...args], {
      env: options.env ?? nixTestEnv(),
      timeoutMs: 60_000,
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('migrate --modernize --name with a quote is refused (exit 2), nothing written', async () => {
    const dir = tempDir('ppl-nix-migrate-name-');
    const file = join(dir, 'shell.nix');
    writeFileSync(file, readFileSync(join(repoRoot(), 'test/fixtures/tweag-2022/shell.nix')));
    const before = readFileSync(file, 'utf8');
    const result = await cli(['migrate', file, '--modernize', '--name', 'x"; evil = "']);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(readFileSync(file, 'utf8'), before);
    assert.deepEqual(readdirSync(dir), ['shell.nix'], 'no backup, no temp file');
  });

  it('migrate --out onto an existing file needs --force, and keeps a backup', async () => {
    const dir = tempDir('ppl-nix-migrate-out-');
    const file = join(dir, 'old.nix');
    writeFileSync(file, readFileSync(join(repoRoot(), 'test/fixtures/tweag-2022/shell.nix')));
    const mine = join(dir, 'shell.nix');
    writeFileSync(mine, '# my own file\n{ }\n');
    const refused = await cli(['migrate', file, '--reproduce', '--out', mine]);
    assert.equal(refused.code, 3, refused.stderr);
    assert.equal(readFileSync(mine, 'utf8'), '# my own file\n{ }\n');
    const forced = await cli(['migrate', file, '--reproduce', '--out', mine, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(readFileSync(`${mine}.bak`, 'utf8'), '# my own file\n{ }\n');
  });

  it('a bad --channel-base-url, a bad template or --out <folder> is a message and exit 2, never a stack trace', async () => {
    const dir = tempDir('ppl-nix-cli-edges-');
    const made = await cli(['new', '--packages', 'pymc', '--out', join(dir, 'shell.nix')]);
    assert.equal(made.code, 0, made.stderr);
    for (const args of [
      ['update-pin', join(dir, 'shell.nix'), '--channel', 'nixos-25.05', '--channel-base-url', 'ftp://x'],
      ['new', '--packages', 'pymc', '--out', dir],
    ]) {
      const result = await cli(args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  it('a mirror answering with an endless body is read only up to a revision', async () => {
    server = createServer((_request, response) => {
      response.write('a'.repeat(40));
      const timer = setInterval(() => response.write('x'.repeat(65536)), 1);
      response.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const dir = tempDir('ppl-nix-cli-body-');
    await cli(['new', '--packages', 'pymc', '--out', join(dir, 'shell.nix')]);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const result = await cli(['update-pin', join(dir, 'shell.nix'), '--channel', 'nixos-25.05', '--channel-base-url', base]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /does not hold a nixpkgs revision/);
  });

  it('`ppl-nix pins | head -1` ends quietly (no EPIPE stack trace)', async () => {
    const child = spawn('/bin/sh', ['-c', `"${process.execPath}" "${CLI()}" pins | head -1`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise((resolve) => child.on('close', resolve));
    assert.equal(stderr, '');
  });

  it('SIGTERM to ppl-nix stops the Nix processes it started', async () => {
    const dir = tempDir('ppl-nix-sigterm-');
    const file = join(dir, 'shell.nix');
    // A shell whose build hangs: the CLI waits on Nix, Nix on the builder.
    writeFileSync(
      file,
      `let pkgs = import ${JSON.stringify(join(repoRoot(), 'test/fixtures/nixpkgs'))} { }; in
pkgs.mkShell { name = "slow"; buildInputs = [ (builtins.derivation { name = "slow-${Date.now()}"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" "exec /bin/sleep 600" ]; }) ]; }\n`,
    );
    const child = spawn(process.execPath, [CLI(), 'env', file], { env: nixTestEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const sleeping = (): boolean =>
      readdirSync('/proc').some((pid) => /^\d+$/.test(pid) && readCmdline(pid).endsWith('sleep\u0000600\u0000'));
    const deadline = Date.now() + 60_000;
    while (!sleeping() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(sleeping(), 'the builder runs');
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 130, 'cancelled');
    const gone = Date.now() + 5_000;
    while (sleeping() && Date.now() < gone) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(sleeping(), false, 'the builder was killed with the CLI');
  });
});

function readCmdline(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}
