// Proves the fixture nixpkgs (test/fixtures/nixpkgs) with REAL Nix, offline:
// a shell.nix of the product's shape, pinned to the packed fixture with
// fetchTarball, enters with nix-shell and works with `nix print-dev-env`, and
// each failure kind fails with Nix's own message.
// PPL_NIX_RECORD_ERRORS=1 rewrites test/fixtures/nix-errors/<kind>.txt from
// the stderr seen here (the texts the product's parsers are tested against).
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nixAvailable, packFixture, repoRoot, run, shellNix, tempDir, type PackedFixture, type RunResult } from './fixture';

const TIMEOUT_MS = 120_000;
/** Python packages with their import names (pyro-ppl imports pyro, …). */
const IMPORTS: Record<string, string> = {
  pymc: 'pymc',
  pytensor: 'pytensor',
  numpyro: 'numpyro',
  jax: 'jax',
  jaxlib: 'jaxlib',
  blackjax: 'blackjax',
  'pyro-ppl': 'pyro',
  'tensorflow-probability': 'tensorflow_probability',
  cmdstanpy: 'cmdstanpy',
  emcee: 'emcee',
  bambi: 'bambi',
  nutpie: 'nutpie',
  arviz: 'arviz',
  corner: 'corner',
  numpy: 'numpy',
  scipy: 'scipy',
  pandas: 'pandas',
  xarray: 'xarray',
  matplotlib: 'matplotlib',
  seaborn: 'seaborn',
  ipython: 'IPython',
  jupyter: 'jupyter',
  ipykernel: 'ipykernel',
};

describe('fixture nixpkgs under real Nix', function () {
  this.timeout(TIMEOUT_MS);
  let fx: PackedFixture;
  let dir: string;

  before(async function () {
    const nix = nixAvailable();
    if (!nix.ok) {
      console.warn(`    skipping real-Nix tests: ${nix.reason}`);
      this.skip();
    }
    fx = await packFixture();
    dir = tempDir('ppl-nix-fixture-test-');
  });

  /** Writes a shell.nix variant into its own directory (like a workspace) and returns its path. */
  function write(name: string, text: string): string {
    mkdirSync(join(dir, name), { recursive: true });
    const file = join(dir, name, 'shell.nix');
    writeFileSync(file, text);
    return file;
  }
  const nixShell = (file: string, command: string): Promise<RunResult> =>
    run('nix-shell', [file, '--run', command], { timeoutMs: TIMEOUT_MS });

  it('enters the pinned shell.nix: store python with pymc and arviz, shellHook, CMDSTAN', async () => {
    const file = write('demo', shellNix(fx));
    const script =
      'import json, os, sys, pymc, arviz; print(json.dumps({"exe": sys.executable, "prefix": sys.prefix, "pymc": pymc.__version__, "cmdstan": os.environ["CMDSTAN"]}))';
    const r = await nixShell(file, `python -c '${script}'`);
    assert.equal(r.code, 0, r.stderr);
    const [hook, json] = r.stdout.trim().split('\n');
    assert.equal(hook, 'hello', 'shellHook ran first');
    const info = JSON.parse(json ?? '{}') as { exe: string; prefix: string; pymc: string; cmdstan: string };
    assert.match(info.exe, /^\/nix\/store\/[0-9a-z]{32}-python3-3\.12\.7-env\/bin\/python$/);
    assert.equal(info.prefix, info.exe.replace(/\/bin\/python$/, ''), 'venv layout: sys.prefix is the env');
    assert.equal(info.pymc, '5.19.1');
    assert.match(info.cmdstan, /^\/nix\/store\/.*-cmdstan-2\.36\.0\/opt\/cmdstan$/);
    assert.ok(existsSync(join(info.cmdstan, 'makefile')), 'CMDSTAN points at a CmdStan tree');
  });

  it("passes mkShell attributes through as the shell's environment (env -0)", async () => {
    const r = await nixShell(write('demo', shellNix(fx)), 'env -0');
    assert.equal(r.code, 0, r.stderr);
    const env = new Map(
      r.stdout
        .replace(/^hello\n/, '')
        .split('\0')
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    );
    assert.equal(env.get('name'), 'demo');
    assert.equal(env.get('IN_NIX_SHELL'), 'impure');
    assert.match(env.get('CMDSTAN') ?? '', /-cmdstan-2\.36\.0\/opt\/cmdstan$/);
    assert.match(
      env.get('PATH') ?? '',
      /^\/nix\/store\/[^:]*-bash-interactive-5\.2\/bin:\/nix\/store\/[^:]*-python3-3\.12\.7-env\/bin:\/nix\/store\/[^:]*-cmdstan-2\.36\.0\/bin:/,
    );
  });

  it('works with nix print-dev-env --json -f', async () => {
    const r = await run(
      'nix',
      ['--extra-experimental-features', 'nix-command', 'print-dev-env', '--json', '-f', write('demo', shellNix(fx))],
      { timeoutMs: TIMEOUT_MS },
    );
    assert.equal(r.code, 0, r.stderr);
    const vars = (JSON.parse(r.stdout) as { variables: Record<string, { type: string; value: unknown }> }).variables;
    assert.equal(vars['name']?.value, 'demo');
    assert.equal(vars['shellHook']?.value, 'echo "hello"\n');
    assert.match(String(vars['CMDSTAN']?.value), /-cmdstan-2\.36\.0\/opt\/cmdstan$/);
    assert.match(String(vars['PATH']?.value), /^\/nix\/store\/[^:]*-python3-3\.12\.7-env\/bin:/);
  });

  it('provides every PPL package under its import name, and python311/python313', async () => {
    const all = Object.keys(IMPORTS);
    const check = `import importlib, sys; [importlib.import_module(m) for m in sys.argv[1:]]; print(sys.version_info >= (3, 0))`;
    for (const python of ['python311', 'python312', 'python313']) {
      // tensorflow-probability is disabled for 3.13 in the fixture, as TensorFlow lags new Pythons in nixpkgs.
      const names = python === 'python313' ? all.filter((n) => n !== 'tensorflow-probability') : all;
      const file = write(`all-${python}`, shellNix(fx, { python, pythonPackages: names }));
      const r = await nixShell(file, `python -c '${check}' ${names.map((n) => IMPORTS[n]).join(' ')} && jupyter && ipython`);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^hello\nTrue\njupyter 1\.1\.1 \(ppl-nix fixture stub\)\nipython 8\.28\.0/);
    }
  });

  it('mimics nixpkgs attributes: versions, pkgs, meta, broken aesara, no python39', async () => {
    const expr = `let p = import (fetchTarball { url = "${fx.url}"; sha256 = "${fx.sha256}"; }) { }; in {
      versions = map (v: p.\${v}.version) [ "python311" "python312" "python313" "python3" ];
      names = map (n: p.python312.pkgs.\${n}.pname) [ ${Object.keys(IMPORTS)
        .map((n) => `"${n}"`)
        .join(' ')} ];
      # every non-alias package has meta.description (aliases throw, as in nixpkgs)
      described = builtins.all (n: p.python3.pkgs.\${n}.meta.description != "")
        (builtins.filter (n: (builtins.tryEval p.python3Packages.\${n}).success) (builtins.attrNames p.python3Packages));
      aesara = { inherit (p.python312.pkgs.aesara.meta) broken; usable = (builtins.tryEval p.python312.pkgs.aesara.outPath).success; };
      # disabled for 3.13 (a throw, like nixpkgs' buildPythonPackage), usable with 3.12
      tfp = { py312 = p.python312.pkgs.tensorflow-probability.version; py313 = (builtins.tryEval p.python313.pkgs.tensorflow-probability).success; };
      # an alias evaluates to the package it names
      scikitlearn = p.python312.pkgs.scikitlearn.pname;
      python39 = p ? python39;
      python310 = p ? python310;
      cmdstan = p.cmdstan.version;
    }`;
    const r = await run('nix-instantiate', ['--eval', '--strict', '--json', '-E', expr], { timeoutMs: TIMEOUT_MS });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      versions: ['3.11.10', '3.12.7', '3.13.0', '3.12.7'],
      names: Object.keys(IMPORTS),
      described: true,
      aesara: { broken: true, usable: false },
      tfp: { py312: '0.24.0', py313: false },
      scikitlearn: 'scikit-learn',
      python39: false,
      python310: false,
      cmdstan: '2.36.0',
    });
  });

  describe('failures carry Nix 2.8 messages', () => {
    // A valid base32 sha256 that no store path has, so Nix must download and compare.
    const OTHER_HASH = '0'.repeat(52);
    // kind (also the name of test/fixtures/nix-errors/<kind>.txt), the broken shell.nix, its key line.
    const cases: [kind: string, text: () => string, key: RegExp][] = [
      ['attribute-missing', () => shellNix(fx, { python: 'python39' }), /^error: attribute 'python39' missing$/m],
      ['alias-throw', () => shellNix(fx, { pythonPackages: ['pymc3'] }), /^error: 'pymc3' has been renamed to\/replaced by 'pymc'$/m],
      [
        'removed-throw',
        () => shellNix(fx, { pythonPackages: ['theano'] }),
        /^error: theano was removed because it is unmaintained; use pytensor$/m,
      ],
      [
        'broken-package',
        () => shellNix(fx, { pythonPackages: ['aesara'] }),
        /^error: Package ‘python3\.12-aesara-2\.9\.3’ in \/nix\/store\/\S+\/python-packages\.nix:\d+ is marked as broken, refusing to evaluate\.$/m,
      ],
      [
        'undefined-variable',
        () => shellNix(fx, { pythonPackages: ['arviz', 'notapackage'] }),
        /^error: undefined variable 'notapackage'$/m,
      ],
      [
        'syntax-error',
        () => shellNix(fx).replace('name = "demo";', 'name = "demo"'),
        /^error: syntax error, unexpected '=', expecting ';'$/m,
      ],
      [
        'hash-mismatch',
        () => shellNix({ url: fx.url, sha256: OTHER_HASH }),
        /^error: hash mismatch in file downloaded from 'file:\/\/\S+':\n\s+specified: sha256:0{52}\n\s+got:\s+sha256:[0-9a-z]{52}$/m,
      ],
      [
        'download-failed',
        () => shellNix({ url: 'https://nixpkgs.invalid/x.tar.gz', sha256: OTHER_HASH }),
        /^error: unable to download 'https:\/\/nixpkgs\.invalid\/x\.tar\.gz': /m,
      ],
    ];
    const recording = process.env['PPL_NIX_RECORD_ERRORS'] === '1';
    const errorsDir = (): string => join(repoRoot(), 'test/fixtures/nix-errors');

    for (const [kind, text, key] of cases) {
      it(`${kind}: fails fast with the expected message`, async () => {
        const r = await nixShell(write(kind, text()), 'true');
        assert.notEqual(r.code, 0, `${kind} should fail`);
        assert.match(r.stderr, key);
        assert.ok(r.ms < 20_000, `took ${r.ms} ms (download-attempts = 1 keeps offline failures fast)`);
        if (recording) {
          mkdirSync(errorsDir(), { recursive: true });
          writeFileSync(join(errorsDir(), `${kind}.txt`), r.stderr);
        }
      });
    }

    it('the recorded texts in test/fixtures/nix-errors keep their key lines', () => {
      for (const [kind, , key] of cases) assert.match(readFileSync(join(errorsDir(), `${kind}.txt`), 'utf8'), key, kind);
    });
  });
});
