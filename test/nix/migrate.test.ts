// Migrating the 2022 Tweag post file (verbatim) with the CLI: the modernized file is a normal
// PPL Nix file that enters with nix-shell (on the fixture, offered as a custom pin), and its
// interpreter imports PyMC and PyTensor; the old file is kept as a backup.
import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nixAvailable, nixTestEnv, packFixture, repoRoot, run, tempDir } from './fixture';

describe('ppl-nix migrate on real Nix (fixture nixpkgs)', function () {
  this.timeout(180_000);

  it('--modernize turns the Tweag 2022 file into a PPL Nix file that enters and imports pymc and pytensor', async () => {
    assert.ok(nixAvailable().ok, nixAvailable().reason);
    const fixture = await packFixture();
    const pins = JSON.stringify([{ label: 'fixture', url: fixture.url, sha256: fixture.sha256, pythons: ['3.11', '3.12', '3.13'] }]);
    const env = nixTestEnv({ PPL_NIX_CUSTOM_PINS: pins });
    const dir = tempDir('ppl-nix-migrate-');
    const file = join(dir, 'shell.nix');
    const original = join(repoRoot(), 'test/fixtures/tweag-2022/shell.nix');
    copyFileSync(original, file);
    const cli = (args: string[]) => run(process.execPath, [join(repoRoot(), 'dist/cli.js'), ...args], { env, timeoutMs: 120_000 });

    const migrated = await cli(['migrate', file, '--modernize', '--pin', 'fixture']);
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.match(migrated.stdout, /warning: PyMC3 → PyMC 5/);
    assert.equal(readFileSync(`${file}.bak`, 'utf8'), readFileSync(original, 'utf8'), 'the old file is kept verbatim');
    const text = readFileSync(file, 'utf8');
    assert.ok(text.includes(`url = "${fixture.url}";`) && text.includes('pkgs.python313.withPackages'));

    const check = await cli(['check', file]);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    const python = await cli(['python', file]);
    assert.equal(python.code, 0, python.stderr);
    const imported = await run(python.stdout.trim(), ['-c', 'import pymc, pytensor, arviz; print(pymc.__name__, pytensor.__name__)'], {
      env,
    });
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal(imported.stdout.trim(), 'pymc pytensor');
    const entered = await run('nix-shell', [file, '--run', 'python3 -c "import pymc"'], { env });
    assert.equal(entered.code, 0, entered.stderr);
  });

  it('--reproduce rewrites only the url, offline (the 2022 revision is not downloaded), and the result parses', async () => {
    const dir = tempDir('ppl-nix-migrate-');
    const file = join(dir, 'shell.nix');
    copyFileSync(join(repoRoot(), 'test/fixtures/tweag-2022/shell.nix'), file);
    const result = await run(process.execPath, [join(repoRoot(), 'dist/cli.js'), 'migrate', file, '--reproduce'], { env: nixTestEnv() });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(readFileSync(file, 'utf8').includes('archive/30d3d79b7d3607d56546dd2a6b49e156ba0ec634.tar.gz'));
    assert.ok(existsSync(`${file}.bak`));
    const parsed = await run('nix-instantiate', ['--parse', file]);
    assert.equal(parsed.code, 0, parsed.stderr);
  });
});
