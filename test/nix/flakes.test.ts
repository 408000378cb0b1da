// Flakes on real Nix 2.8 (fixture nixpkgs, offline): the flake.nix + flake.lock PPL Nix writes
// enter with `nix print-dev-env`, and Nix takes the lock as it is (it would write the very same
// one); a flake with two devShells: both read from flake.nix, both entered, cached apart.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertHash } from '../../src/core/nix/hashes';
import { defaultPin, toPinRef } from '../../src/core/pins/pins';
import { readDevShells } from '../../src/core/shellNix/devShells';
import type { EnvSpec } from '../../src/core/spec/spec';
import { buildSpec } from '../../src/core/spec/specInput';
import { EnvironmentService } from '../../src/host/environments';
import { silentLog } from '../../src/host/log';
import { currentSystem, NixService } from '../../src/host/nix';
import { ProcessRunner } from '../../src/host/process';
import { writeSpec } from '../../src/host/shellFiles';
import { nixAvailable, nixTestEnv, packFixture, repoRoot, run, tempDir, type PackedFixture } from './fixture';

/** The flags argv.ts passes for flakes. */
const FLAKES = ['--extra-experimental-features', 'nix-command flakes'];

describe('flakes on real Nix', function () {
  this.timeout(180_000);
  let fixture: PackedFixture;
  let env: NodeJS.ProcessEnv;
  const runner = new ProcessRunner(silentLog);
  const nix = new NixService(runner);
  const service = new EnvironmentService(nix, runner, silentLog);

  before(async () => {
    assert.ok(nixAvailable().ok, nixAvailable().reason);
    fixture = await packFixture();
    env = nixTestEnv();
  });

  function flakeSpec(pin = { label: 'fixture', url: fixture.url, sha256: fixture.sha256 }): EnvSpec {
    const built = buildSpec({ name: 'bayes', python: '3.12', packages: ['pymc', 'arviz', 'cmdstanpy'] });
    assert.ok('spec' in built);
    return { ...built.spec, pin, format: 'flake' };
  }

  it('the written flake.nix and flake.lock enter as they are: Nix accepts the lock as locked and leaves its bytes alone', async () => {
    const dir = tempDir('ppl-nix-flake-written-');
    const outcome = await writeSpec(join(dir, 'flake.nix'), flakeSpec(), { replaceForeign: false });
    assert.equal(outcome.lock?.action, 'create');
    const lock = readFileSync(join(dir, 'flake.lock'));
    assert.ok(lock.toString().includes(`"narHash": "${convertHash(fixture.sha256, 'sri')}"`), 'the lock carries the pin’s hash');
    // Without --no-write-lock-file, and refusing any change to the lock: Nix finds nothing to change.
    const strict = await run('nix', [...FLAKES, 'print-dev-env', '--json', '--no-update-lock-file', `path:${dir}`], { env });
    assert.equal(strict.code, 0, strict.stderr);
    assert.doesNotMatch(strict.stderr, /lock file/);
    assert.deepEqual(readFileSync(join(dir, 'flake.lock')), lock, 'flake.lock unchanged, byte for byte');
    // Nix locking the same flake.nix itself writes the very same file.
    const own = tempDir('ppl-nix-flake-own-lock-');
    copyFileSync(join(dir, 'flake.nix'), join(own, 'flake.nix'));
    const locked = await run('nix', [...FLAKES, 'flake', 'lock', `path:${own}`], { env });
    assert.equal(locked.code, 0, locked.stderr);
    assert.equal(readFileSync(join(own, 'flake.lock'), 'utf8'), lock.toString());
    // What the extension does: capture, the interpreter imports the chosen packages.
    const entered = await service.enter(
      { file: join(dir, 'flake.nix'), text: readFileSync(join(dir, 'flake.nix'), 'utf8') },
      { env, workspaceDir: dir, storageDir: join(dir, '.storage'), name: 'bayes' },
    );
    assert.deepEqual(await entered.roots, []);
    assert.match(entered.entry.variables['CMDSTAN'] ?? '', /\/opt\/cmdstan$/);
    const imported = spawnSync(entered.interpreterLink!, ['-c', 'import pymc, arviz, cmdstanpy'], { encoding: 'utf8' });
    assert.equal(imported.status, 0, imported.stderr);
    assert.deepEqual(readFileSync(join(dir, 'flake.lock')), lock);
    assert.deepEqual(readDevShells(readFileSync(join(dir, 'flake.nix'), 'utf8'), 'x86_64-linux'), { names: ['default'], complete: true });
  });

  it('ppl-nix new --flake writes flake.nix and flake.lock that nix develop takes as they are; a shell.nix is never named flake.nix', async () => {
    const dir = tempDir('ppl-nix-flake-cli-');
    const cli = (args: string[]) =>
      run(process.execPath, [join(repoRoot(), 'dist/cli.js'), 'new', '--pin-url', fixture.url, '--pin-sha256', fixture.sha256, ...args], {
        env,
        cwd: dir,
      });
    const made = await cli(['--python', '3.12', '--packages', 'numpyro', '--flake']);
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /flake\.nix written: .*\n.*flake\.lock written\.\nEnter it with: nix develop path:/);
    const shell = await run(
      'nix',
      [...FLAKES, 'develop', '--no-update-lock-file', `path:${dir}`, '--command', 'python3', '-c', 'import numpyro'],
      {
        env,
      },
    );
    assert.equal(shell.code, 0, shell.stderr);
    const refused = await cli(['--packages', 'pymc', '--out', join(dir, 'other', 'flake.nix')]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /as a flake/);
    assert.ok(!existsSync(join(dir, 'other', 'flake.nix')), 'nothing written');
  });

  it('a shipped pin is a github input whose lock Nix 2.8 takes as complete: from the store by its hash, no download', async () => {
    // The shipped pin's flake and lock, with the fixture's hash in place of nixpkgs' (no network here):
    // Nix finds the tarball in the store by narHash and name, as it would after a shell.nix fetched the pin.
    const dir = tempDir('ppl-nix-flake-github-');
    await writeSpec(join(dir, 'flake.nix'), flakeSpec(toPinRef(defaultPin())), { replaceForeign: false });
    const text = readFileSync(join(dir, 'flake.nix'), 'utf8');
    assert.ok(text.includes(`url = "github:NixOS/nixpkgs/${defaultPin().rev}";`));
    const shipped = readFileSync(join(dir, 'flake.lock'), 'utf8');
    assert.match(shipped, /"lastModified": \d+,/);
    writeFileSync(join(dir, 'flake.lock'), shipped.replace(convertHash(defaultPin().sha256, 'sri')!, convertHash(fixture.sha256, 'sri')!));
    const fetched = await run(
      'nix-instantiate',
      ['--eval', '-E', `builtins.fetchTarball { url = "${fixture.url}"; sha256 = "${fixture.sha256}"; }`],
      { env },
    );
    assert.equal(fetched.code, 0, fetched.stderr);
    const lock = readFileSync(join(dir, 'flake.lock'));
    const strict = await run('nix', [...FLAKES, 'print-dev-env', '--json', '--no-update-lock-file', `path:${dir}`], { env });
    assert.equal(strict.code, 0, strict.stderr);
    assert.deepEqual(readFileSync(join(dir, 'flake.lock')), lock);
  });

  it('a flake with two devShells: both read from flake.nix and listed by Nix, each entered, cached apart', async () => {
    const dir = tempDir('ppl-nix-flake-two-');
    const file = join(dir, 'flake.nix');
    writeFileSync(
      file,
      `{
  outputs = { self }:
    let
      system = "x86_64-linux";
      pkgs = import (builtins.fetchTarball { url = "${fixture.url}"; sha256 = "${fixture.sha256}"; }) { inherit system; };
    in
    {
      devShells.\${system} = {
        default = pkgs.mkShell { name = "cpu"; packages = [ (pkgs.python312.withPackages (ps: [ ps.pymc ])) ]; WHICH_SHELL = "cpu"; };
        gpu = pkgs.mkShell { name = "gpu"; packages = [ (pkgs.python312.withPackages (ps: [ ps.numpyro ])) ]; WHICH_SHELL = "gpu"; };
      };
    };
}
`,
    );
    const text = readFileSync(file, 'utf8');
    assert.deepEqual(readDevShells(text, 'x86_64-linux'), { names: ['default', 'gpu'], complete: true });
    assert.equal(currentSystem(), 'x86_64-linux', 'this machine (the fixture builds for x86_64-linux)');
    assert.deepEqual(await nix.devShellNames(file, 'x86_64-linux', { env }), ['default', 'gpu'], 'Nix agrees');
    const storage = join(dir, '.storage');
    const options = (name: string) => ({ env, workspaceDir: dir, storageDir: storage, name });
    const cpu = await service.enter({ file, text }, options('cpu'));
    const gpu = await service.enter({ file, text, shell: 'gpu' }, options('cpu+gpu'));
    // Rooting runs in the background (a nix-store process each): done before counting processes below.
    assert.deepEqual([await cpu.roots, await gpu.roots], [[], []]);
    assert.equal(cpu.entry.variables['WHICH_SHELL'], 'cpu');
    assert.equal(gpu.entry.variables['WHICH_SHELL'], 'gpu');
    assert.equal(spawnSync(gpu.interpreterLink!, ['-c', 'import numpyro'], { encoding: 'utf8' }).status, 0);
    assert.notEqual(spawnSync(cpu.interpreterLink!, ['-c', 'import numpyro'], { encoding: 'utf8' }).status, 0);
    assert.equal(readdirSync(join(storage, 'environments')).length, 2, 'one cache file per devShell');
    assert.notEqual(await service.cacheKey({ file, text }, env), await service.cacheKey({ file, text, shell: 'gpu' }, env));
    const started = runner.started.length;
    const warmGpu = await service.enter({ file, text, shell: 'gpu' }, options('cpu+gpu'));
    const warmCpu = await service.enter({ file, text }, options('cpu'));
    assert.equal(runner.started.length, started, 'both warm, no Nix process');
    assert.deepEqual([warmCpu.entry.variables['WHICH_SHELL'], warmGpu.entry.variables['WHICH_SHELL']], ['cpu', 'gpu']);
    assert.ok(!existsSync(join(dir, 'flake.lock')), 'no lock file written into the user folder');
  });
});
