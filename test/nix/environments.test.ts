// Entering on real Nix: the cache makes a warm enter spawn no process at all; anything that
// invalidates it (an edit, a corrupt cache file, a garbage-collected store path) falls back
// to a capture; GC roots keep the environment in use through nix-collect-garbage.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentService, type EnvironmentSource } from '../../src/host/environments';
import { silentLog } from '../../src/host/log';
import { NixService } from '../../src/host/nix';
import { ProcessRunner } from '../../src/host/process';
import { nixAvailable, nixTestEnv, packFixture, repoRoot, run, tempDir, type PackedFixture } from './fixture';

/** The environment file as the extension reads it: once per enter. */
const sourceOf = (file: string): EnvironmentSource => ({ file, text: readFileSync(file, 'utf8') });

describe('entering an environment (cache, GC roots, interpreter link)', function () {
  this.timeout(180_000);
  let fixture: PackedFixture;
  let env: NodeJS.ProcessEnv;
  let workspace: string;
  let storage: string;
  let file: string;
  const runner = new ProcessRunner(silentLog);
  const service = new EnvironmentService(new NixService(runner), runner, silentLog);
  const options = () => ({ env, workspaceDir: workspace, storageDir: storage, name: 'bayes' });

  before(async () => {
    assert.ok(nixAvailable().ok, nixAvailable().reason);
    fixture = await packFixture();
    env = nixTestEnv();
    workspace = tempDir('ppl-nix-ws-');
    storage = tempDir('ppl-nix-storage-');
    file = join(workspace, 'shell.nix');
    const made = await run(
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
        '--name',
        'bayes',
        '--out',
        file,
      ],
      { env },
    );
    assert.equal(made.code, 0, made.stderr);
  });

  it('a cold enter captures, links .ppl-nix/<env>/python into the store and roots the environment', async () => {
    const started = runner.started.length;
    const entered = await service.enter(sourceOf(file), options());
    assert.equal(entered.fromCache, false);
    assert.deepEqual(await entered.roots, [], 'rooted for the garbage collector (in the background)');
    assert.ok(runner.started.length > started);
    assert.equal(entered.interpreterLink, join(workspace, '.ppl-nix', 'bayes', 'env', 'bin', 'python3'));
    assert.match(readlinkSync(join(workspace, '.ppl-nix', 'bayes', 'env')), /^\/nix\/store\/[0-9a-z]{32}-[^/]+$/);
    const imported = spawnSync(entered.interpreterLink!, ['-c', 'import pymc, arviz, cmdstanpy'], { encoding: 'utf8' });
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(entered.entry.variables['CMDSTAN'] ?? '', /\/opt\/cmdstan$/);
    assert.ok(entered.entry.storePaths.length > 0);
    assert.equal(
      readFileSync(join(workspace, '.ppl-nix', '.gitignore'), 'utf8')
        .split('\n')
        .includes('*'),
      true,
    );
    const roots = readdirSync(join(workspace, '.ppl-nix', 'bayes', 'gcroots'));
    assert.equal(roots.length, 1);
  });

  it('a warm enter comes from the cache and starts no process', async () => {
    const started = runner.started.length;
    const entered = await service.enter(sourceOf(file), options());
    assert.equal(entered.fromCache, true);
    assert.equal(runner.started.length, started, 'no Nix process on the warm path');
    assert.match(entered.entry.python ?? '', /^\/nix\/store\//);
  });

  it('nix-collect-garbage keeps the environment in use', async () => {
    // An unrooted path, to prove the collector really ran.
    const expr = `derivation { name = "ppl-nix-gc-probe-${process.pid}"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" "echo > $out" ]; }`;
    const probe = await run('nix-build', ['--no-out-link', '-E', expr], { env });
    assert.equal(probe.code, 0, probe.stderr);
    const unrooted = probe.stdout.trim();
    assert.ok(existsSync(unrooted));
    const gc = await run('nix-collect-garbage', [], { env, timeoutMs: 120_000 });
    assert.equal(gc.code, 0, gc.stderr);
    assert.ok(!existsSync(unrooted), 'the collector deleted unrooted paths');
    const entered = await service.enter(sourceOf(file), options());
    assert.equal(entered.fromCache, true, 'every cached store path survived the GC');
    assert.equal(
      spawnSync(join(workspace, '.ppl-nix', 'bayes', 'env', 'bin', 'python3'), ['-c', 'import pymc'], { encoding: 'utf8' }).status,
      0,
    );
  });

  it('an edit of the file invalidates the cache; the old roots go once the new ones exist', async () => {
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('    # Add your own packages here', '    pkgs.graphviz\n    # Add your own packages here'),
    );
    const started = runner.started.length;
    const entered = await service.enter(sourceOf(file), options());
    assert.equal(entered.fromCache, false);
    assert.deepEqual(await entered.roots, []);
    assert.ok(runner.started.length > started);
    assert.ok(entered.entry.pathPrefix.some((dir) => dir.includes('graphviz')));
    assert.equal(readdirSync(join(workspace, '.ppl-nix', 'bayes', 'gcroots')).length, 1);
  });

  it('a corrupt cache file is discarded, never fatal', async () => {
    const cacheDir = join(storage, 'environments');
    for (const name of readdirSync(cacheDir)) writeFileSync(join(cacheDir, name), '{"version":1,"key":');
    const entered = await service.enter(sourceOf(file), options());
    assert.equal(entered.fromCache, false);
    assert.equal((await service.enter(sourceOf(file), options())).fromCache, true, 'the cache is rewritten');
  });

  it('a cache naming a store path that no longer exists falls back to a capture', async () => {
    const cacheDir = join(storage, 'environments');
    const name = readdirSync(cacheDir)[0]!;
    const entry = JSON.parse(readFileSync(join(cacheDir, name), 'utf8')) as { storePaths: string[] };
    entry.storePaths.push('/nix/store/00000000000000000000000000000000-gone');
    writeFileSync(join(cacheDir, name), JSON.stringify(entry));
    const started = runner.started.length;
    const entered = await service.enter(sourceOf(file), options());
    assert.equal(entered.fromCache, false);
    assert.ok(runner.started.length > started);
    assert.ok(!entered.entry.storePaths.some((p) => p.endsWith('-gone')));
    assert.ok(existsSync(entered.interpreterLink!));
  });
});

describe('entering a flake devShell', function () {
  this.timeout(120_000);

  it('captures the default devShell, caches it, and writes no flake.lock into the folder', async () => {
    assert.ok(nixAvailable().ok, nixAvailable().reason);
    const fixture = await packFixture();
    const env = nixTestEnv();
    const workspace = tempDir('ppl-nix-flake-');
    const file = join(workspace, 'flake.nix');
    // Pure evaluation: nixpkgs through fetchTarball with its hash, the system spelled out.
    writeFileSync(
      file,
      `{
  description = "a flake devShell";
  outputs = { self }: let
    pkgs = import (builtins.fetchTarball { url = "${fixture.url}"; sha256 = "${fixture.sha256}"; }) { system = "x86_64-linux"; };
  in {
    devShells.x86_64-linux.default = pkgs.mkShell { name = "flakey"; packages = [ (pkgs.python312.withPackages (ps: [ ps.numpyro ])) ]; FLAKE_VAR = "from-the-flake"; };
  };
}
`,
    );
    const runner = new ProcessRunner(silentLog);
    const service = new EnvironmentService(new NixService(runner), runner, silentLog);
    const options = { env, workspaceDir: workspace, storageDir: join(workspace, '.storage'), name: 'flakey' };
    const cold = await service.enter(sourceOf(file), options);
    assert.equal(cold.fromCache, false);
    assert.deepEqual(await cold.roots, [], 'rooted (in the background)');
    assert.equal(cold.entry.variables['FLAKE_VAR'], 'from-the-flake');
    assert.equal(spawnSync(cold.interpreterLink!, ['-c', 'import numpyro'], { encoding: 'utf8' }).status, 0);
    assert.ok(!existsSync(join(workspace, 'flake.lock')), 'no lock file written into the user folder');
    const before = runner.started.length;
    assert.equal((await service.enter(sourceOf(file), options)).fromCache, true);
    assert.equal(runner.started.length, before);
  });
});
