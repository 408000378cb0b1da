// Helpers for tests that run REAL Nix (nix-shell, nix print-dev-env) offline
// against the fixture nixpkgs in test/fixtures/nixpkgs.
//
// Why these settings: there is no internet and no nix-daemon in the test
// machines, and /etc/nix must not be edited, so everything goes through the
// NIX_CONFIG environment variable (see nixTestEnv()).  Only node: builtins are
// used so the compiled bundle (out/test/nix/fixture.js) has no dependencies.
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface PackedFixture {
  /** file:// URL of the tarball, for `fetchTarball { url = …; }`. */
  url: string;
  /** Nix base32 sha256 of the unpacked tree (52 chars), for `fetchTarball { sha256 = …; }`. */
  sha256: string;
  /** The fresh temp directory holding the tarball (tests may write shell.nix files here). */
  dir: string;
  /** Absolute path of the tarball. */
  tarball: string;
}

/** Name of the single top-level directory inside the tarball (GitHub archives have one too). */
const TOP_DIR = 'nixpkgs-fixture';

let root: string | undefined;
/** The repository root: first ancestor of this file (src or compiled bundle) holding the fixture. */
export function repoRoot(): string {
  if (root !== undefined) return root;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'test/fixtures/nixpkgs/default.nix'))) {
      return (root = dir);
    }
    if (dirname(dir) === dir) break;
  }
  return (root = process.cwd());
}

/** Absolute path of the fixture's source tree. */
export function fixtureSourceDir(): string {
  return join(repoRoot(), 'test/fixtures/nixpkgs');
}

/**
 * A fresh temp dir, removed when the process exits (set PPL_NIX_KEEP_TMP=1 to
 * keep it for debugging).  Store paths built from it stay valid: fetchTarball
 * finds the unpacked fixture in /nix/store by its sha256 next time.
 */
// Each test file is its own bundle with its own copy of this module, all loaded into one mocha
// process: the set (and its one exit handler) lives on globalThis so that they share it.
const TEMP_DIRS = Symbol.for('ppl-nix.test.tempDirs');
const shared = globalThis as { [TEMP_DIRS]?: Set<string> };
const tempDirs: Set<string> = (shared[TEMP_DIRS] ??= new Set<string>());

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (process.env['PPL_NIX_KEEP_TMP'] !== '1') {
    // One exit handler for all of them (a handler each would trip Node's listener-leak warning).
    if (tempDirs.size === 0) process.once('exit', () => tempDirs.forEach((path) => rmSync(path, { recursive: true, force: true })));
    tempDirs.add(dir);
  }
  return dir;
}

let scratch: string | undefined;
/** One temp directory per process for the flake registry and a throwaway HOME. */
function scratchDir(): string {
  if (scratch === undefined) {
    scratch = tempDir('ppl-nix-env-');
    writeFileSync(join(scratch, 'flake-registry.json'), '{"flakes":[],"version":2}\n');
    mkdirSync(join(scratch, 'home'));
  }
  return scratch;
}

/**
 * The NIX_CONFIG text that makes Nix 2.8 work offline without a daemon:
 * no sandbox (fixture builders use /bin/bash and host tools), build as root
 * (Debian's nixbld users made interrupted rebuilds fail with "signal 9"), no
 * binary cache (else ~4.7 s of retries per build), an empty flake registry
 * (else `nix develop` goes to the network) and a single download attempt.
 */
export function nixConfig(): string {
  return [
    'sandbox = false',
    'build-users-group =',
    'substituters =',
    'experimental-features = nix-command flakes',
    `flake-registry = ${join(scratchDir(), 'flake-registry.json')}`,
    'download-attempts = 1',
  ].join('\n');
}

/**
 * Environment for spawning Nix (or the product's CLI) in tests: process.env
 * plus NIX_CONFIG, a temp HOME (nix-shell sources ~/.bashrc; Nix caches
 * under ~/.cache) and NIX_PATH=nixpkgs=<fixture>, because nix-shell 2.8
 * evaluates `(import <nixpkgs> {}).bashInteractive` for its shell and
 * otherwise prints an error and falls back to the host bash.
 */
export function nixTestEnv(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = join(scratchDir(), 'home');
  return {
    ...process.env,
    NIX_CONFIG: nixConfig(),
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    NIX_PATH: `nixpkgs=${fixtureSourceDir()}`,
    ...overrides,
  };
}

/**
 * The host interpreter the fixture's python envs link to: Debian's
 * /usr/bin/python3 when present (stable and quick to start; a pyenv shim
 * first on PATH costs ~0.4 s per call), else python3 from PATH.
 */
export function hostPython(): string {
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

let available: { ok: boolean; reason?: string } | undefined;
/** Whether real-Nix tests can run here (the Nix tools, tar and a host python3). Memoized. */
export function nixAvailable(): { ok: boolean; reason?: string } {
  if (available !== undefined) return available;
  if (process.platform !== 'linux') return (available = { ok: false, reason: `fixture needs Linux, not ${process.platform}` });
  for (const [cmd, ...args] of [
    ['nix-shell', '--version'],
    ['nix', '--version'],
    ['nix-hash', '--version'],
    ['tar', '--version'],
    [hostPython(), '--version'],
  ] as const) {
    const r = spawnSync(cmd, args, { env: nixTestEnv(), encoding: 'utf8', timeout: 10_000 });
    if (r.error || r.status !== 0) {
      return (available = { ok: false, reason: `${cmd} ${args.join(' ')} failed: ${r.error?.message ?? r.stderr.trim()}` });
    }
  }
  return (available = { ok: true });
}

export interface RunResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** execFile with argv (no shell), nixTestEnv() and a timeout; never rejects on a non-zero exit. */
export function run(
  file: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? nixTestEnv(),
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        const e = error as (NodeJS.ErrnoException & { code?: number | string; signal?: string | null }) | null;
        if (e && typeof e.code === 'string') return reject(e); // ENOENT etc.: the tool is missing
        resolve({
          code: e ? ((e.code as number | undefined) ?? null) : 0,
          signal: e?.signal ?? null,
          stdout,
          stderr,
          ms: Date.now() - started,
        });
      },
    );
  });
}

async function runOk(file: string, args: readonly string[], options?: Parameters<typeof run>[2]): Promise<string> {
  const r = await run(file, args, options);
  if (r.code !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.code ?? r.signal}: ${r.stderr}`);
  return r.stdout;
}

/** Debian's folder of python3-* packages, built for /usr/bin/python3. */
export const HOST_DIST_PACKAGES = '/usr/lib/python3/dist-packages';

/** The module folders the fixture's packages take from the host when present (`hostModules = [ … ]` in python-packages.nix). */
export function wantedHostModules(): string[] {
  const text = readFileSync(join(fixtureSourceDir(), 'python-packages.nix'), 'utf8');
  const names = [...text.matchAll(/hostModules = \[([^\]]*)\]/g)].flatMap((m) => [...m[1]!.matchAll(/"([^"]+)"/g)].map((n) => n[1]!));
  return [...new Set(names)].sort();
}

/**
 * The host modules the packed fixture uses instead of stubs: those found in Debian's
 * dist-packages, and only when the envs run Debian's own interpreter (its compiled modules
 * are built for it). Install them with apt-get install python3-numpy python3-scipy python3-emcee.
 */
export function hostModules(): string[] {
  if (hostPython() !== '/usr/bin/python3') return [];
  return wantedHostModules().filter((name) => existsSync(join(HOST_DIST_PACKAGES, name)));
}

/** host.nix: the interpreter the fixture's python envs link to, the X.Y naming its site-packages, the host modules found. */
async function hostNix(): Promise<string> {
  const out = await runOk(hostPython(), [
    '-c',
    'import os, sys; print(os.path.realpath(sys.executable)); print("%d.%d" % sys.version_info[:2])',
  ]);
  const [python, version] = out.trim().split('\n');
  if (!python || !version) throw new Error(`cannot read host python3: ${out}`);
  const modules = hostModules();
  const fromHost =
    modules.length === 0
      ? ''
      : ` distPackages = ${JSON.stringify(HOST_DIST_PACKAGES)}; modules = [ ${modules.map((m) => JSON.stringify(m)).join(' ')} ];`;
  return `# Written by test/nix/fixture.ts packFixture(): the host interpreter (and the host's real modules used instead of stubs).\n{ python = ${JSON.stringify(python)}; pythonVersion = ${JSON.stringify(version)};${fromHost} }\n`;
}

let packed: Promise<PackedFixture> | undefined;
/**
 * Packs test/fixtures/nixpkgs (+ host.nix) as a deterministic tarball with one
 * top-level directory in a fresh temp dir, and hashes the tree with nix-hash
 * (the NAR hash fetchTarball checks).  nix-hash leaves the store alone, so the
 * first fetchTarball really unpacks the file:// URL.  Memoized per process.
 */
export function packFixture(): Promise<PackedFixture> {
  packed ??= (async () => {
    const dir = tempDir('ppl-nix-fixture-');
    const stage = join(dir, 'stage', TOP_DIR);
    cpSync(fixtureSourceDir(), stage, { recursive: true });
    writeFileSync(join(stage, 'host.nix'), await hostNix());
    const tarball = join(dir, `${TOP_DIR}.tar.gz`);
    await runOk('tar', [
      '--sort=name',
      '--mtime=@0',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '--mode=u+rw,go+r,go-w',
      '--use-compress-program=gzip -n',
      '-cf',
      tarball,
      '-C',
      join(dir, 'stage'),
      TOP_DIR,
    ]);
    const sha256 = (await runOk('nix-hash', ['--type', 'sha256', '--base32', stage])).trim();
    if (!/^[0-9a-z]{52}$/.test(sha256)) throw new Error(`unexpected nix-hash output: ${sha256}`);
    return { url: pathToFileURL(tarball).href, sha256, dir, tarball };
  })();
  packed.catch(() => (packed = undefined)); // let a later call retry after a failure
  return packed;
}

/**
 * A shell.nix of the shape the product writes (pinned fetchTarball, then a
 * function of pkgs), for tests.  `pythonPackages` go under `with ps;`.
 */
export function shellNix(
  fixture: Pick<PackedFixture, 'url' | 'sha256'>,
  opts: { name?: string; python?: string; pythonPackages?: string[]; extra?: string } = {},
): string {
  const pkgs = (opts.pythonPackages ?? ['arviz', 'pymc']).map((p) => `    ${p}\n`).join('');
  return `let
  nixpkgs = fetchTarball {
    url = "${fixture.url}";
    sha256 = "${fixture.sha256}";
  };
in
{ pkgs ? import nixpkgs { } }:
let
  python = pkgs.${opts.python ?? 'python312'}.withPackages (ps: with ps; [
${pkgs}  ]);
in
pkgs.mkShell {
  name = "${opts.name ?? 'demo'}";
  packages = [
    python
    pkgs.cmdstan
  ];
  CMDSTAN = "\${pkgs.cmdstan}/opt/cmdstan";
${opts.extra ?? ''}  shellHook = ''
    echo "hello"
  '';
}
`;
}
