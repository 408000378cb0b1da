// Availability at a pin on real Nix: one evaluation answers for every name (present,
// broken, removed with its throw message, missing), lists the pin's Pythons, and a
// cached answer runs no Nix at all. `ppl-nix check` turns it into an exit code.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { silentLog } from '../../src/host/log';
import { PinProbeService } from '../../src/host/pinProbe';
import { ProcessRunner } from '../../src/host/process';
import { nixAvailable, nixTestEnv, packFixture, repoRoot, run, shellNix, tempDir, type PackedFixture } from './fixture';

describe('availability at a pin (fixture nixpkgs)', function () {
  this.timeout(120_000);
  let fixture: PackedFixture;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    assert.ok(nixAvailable().ok, nixAvailable().reason);
    fixture = await packFixture();
    env = nixTestEnv();
  });

  const pin = (): { label: string; url: string; sha256: string } => ({ label: 'fixture', url: fixture.url, sha256: fixture.sha256 });

  it('reports versions, broken packages, removed aliases with their message, missing names and the Pythons, in one evaluation', async () => {
    const runner = new ProcessRunner(silentLog);
    const service = new PinProbeService(runner, tempDir('ppl-nix-avail-cache-'));
    const result = await service.check(
      {
        pin: pin(),
        python: '3.12',
        pythonPackages: ['pymc', 'aesara', 'pymc3', 'theano', 'no-such-package'],
        systemPackages: ['cmdstan', 'nosuchtool'],
      },
      { env },
    );
    assert.deepEqual(result.pythons, ['3.11', '3.12', '3.13']);
    assert.equal(result.pythonVersion, '3.12.7');
    assert.deepEqual(result.python['pymc'], { status: 'available', version: '5.19.1' });
    assert.deepEqual(result.python['aesara'], { status: 'broken', version: '2.9.3' });
    assert.deepEqual(result.python['pymc3'], { status: 'throws', message: "'pymc3' has been renamed to/replaced by 'pymc'" });
    assert.deepEqual(result.python['theano'], { status: 'throws', message: 'theano was removed because it is unmaintained; use pytensor' });
    assert.deepEqual(result.python['no-such-package'], { status: 'missing' });
    assert.deepEqual(result.system['cmdstan'], { status: 'available', version: '2.36.0' });
    assert.deepEqual(result.system['nosuchtool'], { status: 'missing' });
    // One evaluation for the whole list, plus one per throwing name for its message.
    const evals = runner.started.filter((a) => a.command === 'nix-instantiate');
    assert.equal(evals.length, 3);
  });

  it('answers from the cache without running Nix the second time', async () => {
    const cache = tempDir('ppl-nix-avail-cache-');
    const query = { pin: pin(), python: '3.13', pythonPackages: ['numpyro', 'jax'], systemPackages: [] };
    const first = await new PinProbeService(new ProcessRunner(silentLog), cache).check(query, { env });
    const runner = new ProcessRunner(silentLog);
    const second = await new PinProbeService(runner, cache).check(query, { env });
    assert.deepEqual(second, first);
    assert.equal(runner.started.length, 0);
    assert.equal(second.python['numpyro']?.version, '0.15.3');
  });

  it('asks for a Python the pin lacks: the packages are missing and the Pythons say what exists', async () => {
    const service = new PinProbeService(new ProcessRunner(silentLog), tempDir('ppl-nix-avail-cache-'));
    const result = await service.check({ pin: pin(), python: '3.9', pythonPackages: ['pymc'], systemPackages: [] }, { env });
    assert.equal(result.pythonVersion, undefined);
    assert.equal(result.python['pymc']?.status, 'missing');
    assert.ok(!result.pythons.includes('3.9'));
  });

  it('a cancelled check stops Nix and reports cancelled, leaving no cache behind', async () => {
    const cache = tempDir('ppl-nix-avail-cache-');
    const runner = new ProcessRunner(silentLog);
    const controller = new AbortController();
    const pending = new PinProbeService(runner, cache).check(
      { pin: pin(), python: '3.11', pythonPackages: ['pymc'], systemPackages: [] },
      { env, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 5);
    await assert.rejects(pending, (error: Error & { kind?: string }) => error.kind === 'cancelled');
    assert.equal(existsSync(join(cache, 'availability', `${fixture.sha256}-3.11.json`)), false);
  });

  it('a package that aborts (which tryEval cannot catch) does not hide the answer for the others', async () => {
    const dir = tempDir('ppl-nix-abort-');
    const tree = join(dir, 'stage', 'tiny-nixpkgs');
    mkdirSync(tree, { recursive: true });
    writeFileSync(
      join(tree, 'default.nix'),
      '{ ... }: { python312 = { version = "3.12.0"; pkgs = { good = { pname = "good"; version = "1.0"; }; bad = abort "bad is broken beyond repair"; }; }; }\n',
    );
    const tarball = join(dir, 'tiny.tar.gz');
    assert.equal((await run('tar', ['-czf', tarball, '-C', join(dir, 'stage'), 'tiny-nixpkgs'])).code, 0);
    const sha256 = (await run('nix-hash', ['--type', 'sha256', '--base32', tree])).stdout.trim();
    const runner = new ProcessRunner(silentLog);
    const result = await new PinProbeService(runner, tempDir('ppl-nix-avail-cache-')).check(
      {
        pin: { label: 'tiny', url: pathToFileURL(tarball).href, sha256 },
        python: '3.12',
        pythonPackages: ['good', 'bad'],
        systemPackages: [],
      },
      { env },
    );
    assert.deepEqual(result.python['good'], { status: 'available', version: '1.0' });
    assert.equal(result.python['bad']?.status, 'throws');
    assert.match(result.python['bad']?.message ?? '', /bad is broken beyond repair/);
    assert.deepEqual(result.pythons, ['3.12']);
  });

  it('ppl-nix check exits 0 for an environment the pin offers and 1, saying why, when it uses a removed package', async () => {
    const dir = tempDir('ppl-nix-check-');
    const cacheEnv = { ...env, XDG_CACHE_HOME: join(dir, 'cache') };
    const cli = (file: string) =>
      run(process.execPath, [join(repoRoot(), 'dist/cli.js'), 'check', file], { env: cacheEnv, timeoutMs: 60_000 });
    const newFile = join(dir, 'ok.nix');
    const created = await run(
      process.execPath,
      [
        join(repoRoot(), 'dist/cli.js'),
        'new',
        '--pin-url',
        fixture.url,
        '--pin-sha256',
        fixture.sha256,
        '--python',
        '3.12',
        '--packages',
        'pymc,arviz,cmdstanpy',
        '--out',
        newFile,
      ],
      { env: cacheEnv },
    );
    assert.equal(created.code, 0, created.stderr);
    const ok = await cli(newFile);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /pymc 5\.19\.1/);
    assert.match(ok.stdout, /cmdstan 2\.36\.0/);
    const old = join(dir, 'old.nix');
    writeFileSync(old, shellNix(fixture, { pythonPackages: ['pymc3', 'arviz'] }));
    const bad = await cli(old);
    assert.equal(bad.code, 1, bad.stdout + bad.stderr);
    assert.match(bad.stdout, /pymc3 is not available at this pin: 'pymc3' has been renamed to\/replaced by 'pymc'/);
  });
});
