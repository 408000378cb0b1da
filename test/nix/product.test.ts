// The product on real Nix: the CLI writes pinned shell.nix files for the fixture nixpkgs,
// nix-shell enters them, the interpreter is in the store and imports what was chosen, and
// every failure kind becomes its typed error.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG } from '../../src/core/catalog/catalog';
import { isPplNixError, type PplNixErrorKind } from '../../src/core/errors';
import { silentLog } from '../../src/host/log';
import { NixService } from '../../src/host/nix';
import { ProcessRunner } from '../../src/host/process';
import { nixAvailable, nixTestEnv, packFixture, repoRoot, run, tempDir, type PackedFixture } from './fixture';

const cli = (args: string[], env: NodeJS.ProcessEnv, cwd?: string) =>
  run(process.execPath, [join(repoRoot(), 'dist/cli.js'), ...args], { env, timeoutMs: 120_000, ...(cwd === undefined ? {} : { cwd }) });

describe('the product on real Nix (fixture nixpkgs)', function () {
  this.timeout(180_000);
  let fixture: PackedFixture;
  let env: NodeJS.ProcessEnv;
  let work: string;
  const pinArgs = (): string[] => ['--pin-url', fixture.url, '--pin-sha256', fixture.sha256];
  const nix = (): NixService => new NixService(new ProcessRunner(silentLog));

  before(async function () {
    const available = nixAvailable();
    assert.ok(available.ok, `Nix must be installed for this tier: ${available.reason ?? ''}`);
    fixture = await packFixture();
    env = nixTestEnv();
    work = tempDir('ppl-nix-product-');
  });

  /** Writes an environment with the CLI and returns its file. */
  async function newShell(dir: string, args: string[]): Promise<string> {
    const out = join(work, dir, 'shell.nix');
    const result = await cli(['new', ...pinArgs(), '--out', out, ...args], env);
    assert.equal(result.code, 0, result.stderr);
    return out;
  }

  it('ppl-nix new writes a pinned file that nix-instantiate --parse accepts', async () => {
    const file = await newShell('parse', ['--python', '3.12', '--packages', 'pymc,arviz']);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.includes(`url = "${fixture.url}";`) && text.includes(`sha256 = "${fixture.sha256}";`));
    const parsed = await run('nix-instantiate', ['--parse', file], { env });
    assert.equal(parsed.code, 0, parsed.stderr);
  });

  it('every catalog package the fixture has enters with nix-shell and imports from a store interpreter', async () => {
    const listing = await run(
      'nix-instantiate',
      [
        '--eval',
        '--strict',
        '--json',
        '--expr',
        `let p = import ${join(repoRoot(), 'test/fixtures/nixpkgs')} {}; in { py = builtins.attrNames p.python312.pkgs; top = builtins.attrNames p; }`,
      ],
      { env },
    );
    const offered = JSON.parse(listing.stdout) as { py: string[]; top: string[] };
    const entries = CATALOG.filter((e) =>
      e.kind === 'python' ? offered.py.includes(e.attr) && e.id !== 'aesara' : offered.top.includes(e.attr),
    );
    assert.ok(entries.length >= 24, `the fixture covers the catalog (${entries.length})`);
    for (const entry of entries) {
      const file = await newShell(`entry-${entry.id}`, ['--python', '3.12', '--packages', entry.id]);
      const python = await cli(['python', file], env);
      assert.equal(python.code, 0, `${entry.id}: ${python.stderr}`);
      const interpreter = python.stdout.trim();
      assert.match(interpreter, /^\/nix\/store\/[0-9a-z]{32}-[^/]+\/bin\/python3$/, entry.id);
      if (entry.kind === 'python') {
        const imported = spawnSync(interpreter, ['-c', `import ${entry.importName}, sys; print(sys.prefix)`], { encoding: 'utf8' });
        assert.equal(imported.status, 0, `${entry.id}: import ${entry.importName}: ${imported.stderr}`);
        assert.match(imported.stdout, /^\/nix\/store\//, `${entry.id} runs inside the store environment`);
      } else {
        const inShell = await run('nix-shell', [file, '--run', `command -v ${entry.attr === 'graphviz' ? 'dot' : 'stan'}`], { env });
        assert.match(inShell.stdout, /\/nix\/store\/.*\/bin\//, `${entry.id} is on the shell's PATH`);
      }
    }
  });

  it('CmdStanPy gets cmdstan on PATH and CMDSTAN pointing into it; the shellHook runs in nix-shell', async () => {
    const file = await newShell('stan', ['--python', '3.12', '--packages', 'cmdstanpy']);
    const vars = await cli(['env', file, '--json'], env);
    assert.equal(vars.code, 0, vars.stderr);
    const variables = JSON.parse(vars.stdout) as Record<string, string>;
    assert.match(variables['CMDSTAN'] ?? '', /^\/nix\/store\/[0-9a-z]{32}-cmdstan-[^/]+\/opt\/cmdstan$/);
    assert.ok(existsSync(join(variables['CMDSTAN']!, 'makefile')));
    assert.equal(variables['HOME'], undefined, 'session variables are not part of the environment');
    const hooked = join(work, 'hook', 'shell.nix');
    mkdirSync(join(work, 'hook'), { recursive: true });
    writeFileSync(
      hooked,
      readFileSync(file, 'utf8').replace('    # ppl-nix:end shellHook', '    # ppl-nix:end shellHook\n    echo "hook ran for $CMDSTAN"'),
    );
    const entered = await run('nix-shell', [hooked, '--run', 'stan'], { env });
    assert.match(entered.stdout, /hook ran for \/nix\/store\/.*\/opt\/cmdstan/);
    assert.match(entered.stdout, /stan: CmdStan/);
  });

  it('print-dev-env and nix-shell capture the same interpreter and variables', async () => {
    const file = await newShell('methods', ['--python', '3.13', '--packages', 'numpyro,cmdstanpy']);
    const nix = new NixService(new ProcessRunner(silentLog));
    const viaJson = await nix.capture(file, { env, method: 'print-dev-env' });
    const viaShell = await nix.capture(file, { env, method: 'nix-shell' });
    assert.equal(viaJson.python, viaShell.python);
    assert.match(viaJson.python ?? '', /^\/nix\/store\/.*\/bin\/python3$/);
    assert.equal(viaJson.variables['CMDSTAN'], viaShell.variables['CMDSTAN']);
    assert.deepEqual(
      viaJson.pathPrefix.filter((d) => d.includes('python3')),
      viaShell.pathPrefix.filter((d) => d.includes('python3')),
    );
  });

  it('refuses to replace a file it did not write; --force keeps a backup', async () => {
    const dir = join(work, 'foreign');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'shell.nix');
    writeFileSync(file, '{ pkgs ? import <nixpkgs> {} }: pkgs.mkShell { }\n');
    const refused = await cli(['new', ...pinArgs(), '--packages', 'pymc', '--out', file], env);
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /was not written by PPL Nix/);
    assert.equal(readFileSync(file, 'utf8'), '{ pkgs ? import <nixpkgs> {} }: pkgs.mkShell { }\n');
    const forced = await cli(['new', ...pinArgs(), '--packages', 'pymc', '--out', file, '--force'], env);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(readFileSync(`${file}.bak`, 'utf8'), '{ pkgs ? import <nixpkgs> {} }: pkgs.mkShell { }\n');
    assert.match(readFileSync(file, 'utf8'), /withPackages/);
  });

  it('refuses bad input with exit code 2 and writes nothing', async () => {
    const out = join(work, 'bad', 'shell.nix');
    for (const args of [
      ['--packages', 'pymc3'],
      ['--extra', 'a;b'],
      ['--name', 'bad name'],
      ['--pin-url', 'http://x', '--pin-sha256', fixture.sha256],
    ]) {
      const result = await cli(['new', ...(args.includes('--pin-url') ? [] : pinArgs()), ...args, '--out', out], env);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /Nothing was written/);
      assert.ok(!existsSync(out));
    }
  });

  describe('every failure becomes its typed error', () => {
    async function expectError(file: string, kind: PplNixErrorKind, extraEnv: NodeJS.ProcessEnv = {}): Promise<void> {
      await assert.rejects(nix().capture(file, { env: { ...env, ...extraEnv } }), (error: unknown) => {
        assert.ok(isPplNixError(error, kind), `expected ${kind}, got ${String(error)}`);
        return true;
      });
    }
    const broken = (dir: string, edit: (text: string) => string): string => {
      const source = join(work, 'parse', 'shell.nix');
      mkdirSync(join(work, dir), { recursive: true });
      const file = join(work, dir, 'shell.nix');
      writeFileSync(file, edit(readFileSync(source, 'utf8')));
      return file;
    };

    it('a package missing at the pin: undefinedVariable', async () => {
      await expectError(
        await newShell('e-undef', ['--packages', 'pymc', '--extra', 'notapackage', '--python', '3.12']),
        'undefinedVariable',
      );
    });
    it('a Python missing at the pin: attributeMissing', async () => {
      await expectError(await newShell('e-attr', ['--packages', 'pymc', '--python', '3.9']), 'attributeMissing');
    });
    it('a wrong sha256: hashMismatch', async () => {
      await expectError(
        broken('e-hash', (t) => t.replaceAll(`sha256 = "${fixture.sha256}"`, `sha256 = "${'0'.repeat(52)}"`)),
        'hashMismatch',
      );
    });
    it('a syntax error: syntaxError', async () => {
      await expectError(
        broken('e-syntax', (t) => t.replace('  name = "parse";', '  name = "parse"')),
        'syntaxError',
      );
    });
    it('an unreachable pin: downloadFailed', async () => {
      await expectError(
        broken('e-download', (t) =>
          t.replaceAll(fixture.url, 'https://nixpkgs.invalid/x.tar.gz').replaceAll(fixture.sha256, '1'.repeat(52)),
        ),
        'downloadFailed',
      );
    });
    it('a broken package: brokenPackage', async () => {
      await expectError(await newShell('e-broken', ['--packages', 'aesara', '--python', '3.12']), 'brokenPackage');
    });
    it('Nix not installed: nixNotFound', async () => {
      await expectError(join(work, 'parse', 'shell.nix'), 'nixNotFound', { PATH: '/nonexistent' });
    });
  });

  it('cancelling a capture kills the whole process tree within 2 s', async () => {
    const file = await newShell('cancel', ['--packages', 'numpy', '--python', '3.12']);
    const slow = join(work, 'cancel', 'slow.nix');
    writeFileSync(
      slow,
      readFileSync(file, 'utf8').replace('    # ppl-nix:end shellHook', `    # ppl-nix:end shellHook\n    sleep 97.${process.pid}`),
    );
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 700);
    await assert.rejects(nix().capture(slow, { env, method: 'nix-shell', signal: controller.signal }), (error: unknown) =>
      isPplNixError(error, 'cancelled'),
    );
    assert.ok(Date.now() - started < 700 + 2000, 'cancelled within 2 s');
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(`sleep 97.${process.pid}`));
    assert.deepEqual(left, [], 'no process of the shell is left');
  });
});
