// Updating a pin against a fake channel on 127.0.0.1: a node http server serves the channel's
// git-revision file and two versions of the fixture nixpkgs as tarballs. ppl-nix update-pin
// resolves the revision, hashes the tarball with nix-prefetch-url, reports what changes for the
// environment, writes only with --yes, and the rewritten file enters with nix-shell.
import { strict as assert } from 'node:assert';
import { cpSync, createReadStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { nixAvailable, nixTestEnv, packFixture, repoRoot, run, tempDir } from './fixture';

const REV_A = 'a'.repeat(40);
const REV_B = 'b'.repeat(40);

describe('ppl-nix update-pin against a local channel (fixture nixpkgs)', function () {
  this.timeout(240_000);
  let server: Server;
  let base: string;
  let current = REV_A;
  const hashes: Record<string, string> = {};
  let env: NodeJS.ProcessEnv;
  let work: string;

  /** Packs a copy of the fixture (with its host.nix), edited, as archive/<rev>.tar.gz; returns the tree's hash. */
  async function packVersion(rev: string, stage0: string, edit: (dir: string) => void): Promise<void> {
    const stage = join(work, `stage-${rev.slice(0, 1)}`, 'nixpkgs-fixture');
    cpSync(stage0, stage, { recursive: true });
    edit(stage);
    const tarball = join(work, 'archive', `${rev}.tar.gz`);
    const tar = await run('tar', [
      '--sort=name',
      '--mtime=@0',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '--use-compress-program=gzip -n',
      '-cf',
      tarball,
      '-C',
      join(stage, '..'),
      'nixpkgs-fixture',
    ]);
    assert.equal(tar.code, 0, tar.stderr);
    hashes[rev] = (await run('nix-hash', ['--type', 'sha256', '--base32', stage])).stdout.trim();
  }

  before(async () => {
    assert.ok(nixAvailable().ok, nixAvailable().reason);
    const fixture = await packFixture();
    work = tempDir('ppl-nix-channel-');
    mkdirSync(join(work, 'archive'));
    const stage0 = join(fixture.dir, 'stage', 'nixpkgs-fixture');
    await packVersion(REV_A, stage0, () => undefined);
    // The newer nixpkgs: PyMC updated, nutpie removed, emcee marked broken.
    await packVersion(REV_B, stage0, (dir) => {
      const file = join(dir, 'python-packages.nix');
      const text = readFileSync(file, 'utf8')
        .replace('pname = "pymc"; version = "5.19.1"', 'pname = "pymc"; version = "5.20.0"')
        .replace(/\n\s*nutpie = p \{[^\n]*\n/, '\n')
        .replace('pname = "emcee"; version = "3.1.6";', 'pname = "emcee"; version = "3.1.6"; broken = true;');
      writeFileSync(file, text);
    });
    server = createServer((request, response) => {
      const match = /^\/archive\/([0-9a-f]{40})\.tar\.gz$/.exec(request.url ?? '');
      const path = match ? join(work, 'archive', `${match[1]}.tar.gz`) : undefined;
      if (request.url === '/nixos-test/git-revision') {
        response.end(`${current}\n`);
      } else if (path === undefined || !existsSync(path)) {
        response.writeHead(404).end('not found');
      } else {
        response.writeHead(200, { 'content-type': 'application/gzip' });
        createReadStream(path).pipe(response);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    env = nixTestEnv({ XDG_CACHE_HOME: join(work, 'cache'), no_proxy: '127.0.0.1,localhost', NO_PROXY: '127.0.0.1,localhost' });
  });

  after(() => server?.close());

  const cli = (args: string[]) => run(process.execPath, [join(repoRoot(), 'dist/cli.js'), ...args], { env, timeoutMs: 120_000 });
  const channelArgs = (): string[] => [
    '--channel',
    'nixos-test',
    '--channel-base-url',
    base,
    '--tarball-url-template',
    `${base}/archive/{rev}.tar.gz`,
  ];

  async function newFile(name: string, packages: string): Promise<string> {
    const file = join(work, name, 'shell.nix');
    const created = await cli([
      'new',
      '--pin-url',
      `${base}/archive/${REV_A}.tar.gz`,
      '--pin-sha256',
      hashes[REV_A]!,
      '--python',
      '3.12',
      '--packages',
      packages,
      '--out',
      file,
    ]);
    assert.equal(created.code, 0, created.stderr);
    return file;
  }

  it('shows what changes (version, removed, broken) and writes nothing without --yes', async () => {
    current = REV_A;
    const file = await newFile('report', 'pymc,arviz,nutpie,emcee');
    current = REV_B;
    const before = readFileSync(file, 'utf8');
    const result = await cli(['update-pin', file, ...channelArgs()]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /→ nixos-test \(bbbbbbbbbbbb\)/);
    assert.match(result.stdout, /- pymc: 5\.19\.1 → 5\.20\.0/);
    assert.match(result.stdout, /! nutpie is not available at the new pin/);
    assert.match(result.stdout, /! emcee is marked broken at the new pin/);
    assert.match(result.stdout, /Nothing written/);
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('with --yes rewrites url and sha256 (the hash of the new tarball), keeps hand edits, and the file enters with nix-shell', async () => {
    current = REV_A;
    const file = await newFile('apply', 'pymc,arviz');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '# Add your own packages here, e.g. pkgs.git',
        '# Add your own packages here, e.g. pkgs.git\n    # my hand edit',
      ),
    );
    current = REV_B;
    const result = await cli(['update-pin', file, ...channelArgs(), '--yes']);
    assert.equal(result.code, 0, result.stderr);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.includes(`url = "${base}/archive/${REV_B}.tar.gz";`), text);
    assert.ok(text.includes(`sha256 = "${hashes[REV_B]}";`));
    assert.ok(!text.includes(REV_A) && !text.includes(hashes[REV_A]!));
    assert.ok(text.includes('# my hand edit'));
    const entered = await run('nix-shell', [file, '--run', 'python3 -c "import pymc; print(pymc.__version__)"'], { env });
    assert.equal(entered.code, 0, entered.stderr);
    assert.equal(entered.stdout.trim().split('\n').pop(), '5.20.0');
    const again = await cli(['update-pin', file, ...channelArgs()]);
    assert.match(again.stdout, /already pins nixos-test at its current revision/);
  });

  it('says clearly when the channel does not exist', async () => {
    const file = await newFile('missing', 'pymc');
    const result = await cli(['update-pin', file, '--channel', 'nixos-nope', '--channel-base-url', base]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /HTTP 404 \(is "nixos-nope" a channel\?\)/);
  });
});
