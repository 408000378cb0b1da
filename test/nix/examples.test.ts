// The example models on real Nix: every script PPL Nix can add compiles inside a fixture shell,
// and the emcee example RUNS there and recovers the true slope. The fixture serves the host's
// real numpy, scipy and emcee (Debian's python3-numpy, python3-scipy, python3-emcee; the Nix
// tier installs them as root), so the sampler really samples.
import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES, findExample } from '../../src/core/examples';
import { renderShellNix } from '../../src/core/spec/render';
import type { EnvSpec } from '../../src/core/spec/spec';
import { hostModules, nixAvailable, packFixture, repoRoot, run, tempDir, wantedHostModules, type PackedFixture } from './fixture';

const TIMEOUT_MS = 180_000;

describe('the example models inside a fixture nix-shell', function () {
  this.timeout(TIMEOUT_MS);
  let fixture: PackedFixture;
  let work: string;

  before(async function () {
    const available = nixAvailable();
    assert.ok(available.ok, `Nix must be installed for this tier: ${available.reason ?? ''}`);
    fixture = await packFixture();
    work = tempDir('ppl-nix-examples-');
    // The workspace as "Add example model" leaves it: examples/ holds the scripts (copies: compiling writes __pycache__).
    mkdirSync(join(work, 'examples'));
    for (const file of EXAMPLES.flatMap((e) => e.files)) cpSync(join(repoRoot(), 'media', 'examples', file), join(work, 'examples', file));
  });

  /** A shell.nix as PPL Nix writes it, pinned to the fixture, in the work folder. */
  function writeShell(name: string, packages: string[]): string {
    const spec: EnvSpec = {
      name,
      pin: { label: 'fixture', url: fixture.url, sha256: fixture.sha256 },
      python: '3.12',
      packages,
      extraPackages: [],
      systemPackages: [],
    };
    const file = join(work, `${name}.nix`);
    writeFileSync(file, renderShellNix(spec));
    return file;
  }

  const inShell = (file: string, command: string) => run('nix-shell', [file, '--run', command], { cwd: work, timeoutMs: TIMEOUT_MS });

  it('every example script compiles (python -m py_compile, warnings are errors) with the shell python', async () => {
    const scripts = readdirSync(join(work, 'examples')).filter((f) => f.endsWith('.py'));
    assert.equal(scripts.length, EXAMPLES.length, 'one script per example');
    const file = writeShell('compile', ['emcee', 'pymc']);
    const result = await inShell(
      file,
      `python -W error -m py_compile ${scripts.map((s) => `examples/${s}`).join(' ')} && python -c 'import sys; print(sys.executable)'`,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout.trim(),
      /^\/nix\/store\/[0-9a-z]{32}-python3-3\.12\.7-env\/bin\/python$/m,
      'the python of the shell compiled them',
    );
  });

  it('the emcee example runs in the shell and recovers the true slope within its tolerance', async function () {
    const wanted = wantedHostModules();
    const missing = wanted.filter((m) => !hostModules().includes(m));
    if (missing.length > 0) {
      const why = `the host lacks Debian's ${missing.map((m) => `python3-${m}`).join(', ')} (or /usr/bin/python3): apt-get install them`;
      if (process.env['CI'] === 'true') assert.fail(why);
      console.warn(`    skipping: ${why}`);
      this.skip();
    }
    const emcee = findExample('emcee')!;
    const file = writeShell('emcee', [...emcee.needs]);
    const script = `examples/${emcee.files[0]!}`;
    const started = Date.now();
    const result = await inShell(file, `python ${script}`);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    // The real emcee from the host (its own version), not the fixture's stub (3.1.6).
    assert.match(result.stdout, /^emcee 3\.\d+\.\d+: 32 walkers x 2000 steps \(500 discarded\)/m);
    assert.doesNotMatch(result.stdout, /fixture stub/);
    const slope = /^\s*slope\s+posterior mean\s+(-?[\d.]+)\s+true\s+([\d.]+)\s+\|error\| ([\d.]+) \(tolerance ([\d.]+)\)/m.exec(
      result.stdout,
    );
    assert.ok(slope, result.stdout);
    const [mean, truth, , tolerance] = slope.slice(1).map(Number) as [number, number, number, number];
    assert.equal(truth, 2);
    assert.equal(tolerance, 0.3);
    assert.ok(Math.abs(mean - truth) < tolerance, `slope ${mean} is within ${tolerance} of ${truth}`);
    assert.match(result.stdout, /^OK: posterior means within tolerance$/m);
    console.log(`      (sampled in ${((Date.now() - started) / 1000).toFixed(1)} s: slope ${mean})`);
  });
});
