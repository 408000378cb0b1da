// Fuzzed specs meet real Nix and a real disk (issue 13): every spec validation accepts is written
// through writeSpec, parsed by `nix-instantiate --parse`, evaluated by Nix against a stand-in
// nixpkgs (the pin, the name, each package and the shell hook are exactly the spec's), and read
// back from its bytes to the same spec; every refused spec writes nothing, through writeSpec
// (new, PPL Nix's and foreign files alike) and through the CLI process.
import { strict as assert } from 'node:assert';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual, promisify } from 'node:util';
import * as fc from 'fast-check';
import { isPplNixError } from '../../src/core/errors';
import { readShellNix } from '../../src/core/spec/readback';
import { renderShellNix, resolve } from '../../src/core/spec/render';
import { validateSpec, type EnvSpec } from '../../src/core/spec/spec';
import { buildSpec } from '../../src/core/spec/specInput';
import { pythonAttribute } from '../../src/core/spec/validate';
import { readIfExists } from '../../src/host/files';
import { writeSpec } from '../../src/host/shellFiles';
import { cliArgs, cliInput, FUZZ_SEED, fuzzSpec, readableMessage, recorded } from '../unit/fuzzInputs';
import { nixAvailable, nixTestEnv, repoRoot, tempDir } from './fixture';

const SPECS = 1200;
const C_COMPILER_NOTE = '# PyTensor/Aesara compile C: mkShell already puts a C compiler (cc) on PATH.';

/** What Nix reads from a rendered file, evaluated against a stand-in nixpkgs (see nixReads). */
interface NixView {
  readonly name: string;
  readonly pin: { readonly url: string; readonly sha256: string };
  readonly python: readonly string[];
  readonly packages: readonly string[];
  readonly variables: Readonly<Record<string, string>>;
  readonly shellHook: string;
}

/** A Nix attribute set holding each dotted path, every node a stand-in package whose outPath is its path. */
function standIns(paths: readonly string[]): string {
  interface Node {
    children: Map<string, Node>;
  }
  const root: Node = { children: new Map() };
  for (const path of paths) {
    let node = root;
    for (const part of path.split('.')) {
      let child = node.children.get(part);
      if (child === undefined) node.children.set(part, (child = { children: new Map() }));
      node = child;
    }
  }
  // Names are validated Nix identifiers (letters, digits, _, ' and -): safe inside "…".
  const render = (node: Node, prefix: string): string =>
    [...node.children]
      .map(([name, child]) => {
        const path = prefix === '' ? name : `${prefix}.${name}`;
        return `"${name}" = { outPath = "${path}"; ${render(child, path)} };`;
      })
      .join(' ');
  return render(root, '');
}

/**
 * What Nix reads from each file, in one evaluation: fetchTarball and import are replaced
 * (scopedImport) so the pin is returned instead of fetched and pkgs is a stand-in whose packages
 * are their own names; mkShell returns its arguments.
 */
function nixReads(dir: string, files: readonly { file: string; spec: EnvSpec }[]): NixView[] {
  const reads = files.map(({ file, spec }) => {
    const env = resolve(spec);
    const python = env.pythonGroups.flatMap((group) => group.attrs);
    const ps = python.map((name) => `"${name}" = "${name}";`).join(' ');
    const system = standIns([...env.systemPackages, ...env.variables.map((v) => v.package)]);
    const pkgs = `{ mkShell = a: a // { __pin = pin; }; "${pythonAttribute(spec.python)}" = { withPackages = f: { outPath = "python"; names = f { ${ps} }; }; }; ${system} }`;
    const variables = env.variables.map((v) => `"${v.name}" = r."${v.name}";`).join(' ');
    return `  (let r = scopedImport { fetchTarball = a: a; import = pin: _: ${pkgs}; } ${file} { }; in {
    inherit (r) name shellHook; pin = r.__pin; python = (builtins.head r.packages).names;
    packages = map (p: p.outPath) r.packages; variables = { ${variables} };
  })`;
  });
  const all = join(dir, 'all.nix');
  writeFileSync(all, `[\n${reads.join('\n')}\n]\n`);
  return JSON.parse(
    execFileSync('nix-instantiate', ['--eval', '--strict', '--json', all], {
      encoding: 'utf8',
      env: nixTestEnv(),
      maxBuffer: 256 * 1024 * 1024,
    }),
  ) as NixView[];
}

/** What Nix must read from the file of an accepted spec. */
function expectedView(spec: EnvSpec): NixView {
  const env = resolve(spec);
  const hook = spec.shellHook === undefined || spec.shellHook === '' ? [] : [spec.shellHook];
  return {
    name: spec.name,
    pin: { url: spec.pin.url, sha256: spec.pin.sha256 },
    python: env.pythonGroups.flatMap((group) => group.attrs),
    packages: ['python', ...env.systemPackages],
    variables: Object.fromEntries(env.variables.map((v) => [v.name, `${v.package}${v.suffix}`])),
    shellHook: `${['# ppl-nix:begin shellHook', ...(env.needsCCompiler ? [C_COMPILER_NOTE] : []), ...hook, '# ppl-nix:end shellHook'].join('\n')}\n`,
  };
}

/** Every entry of a folder with its bytes, for before/after comparisons. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name)).toString('base64')]));
}

describe('fuzzed specs on real Nix and a real disk', function () {
  this.timeout(180_000);
  let accepted: EnvSpec[];
  let refused: EnvSpec[];

  before(() => {
    assert.ok(nixAvailable().ok, nixAvailable().reason);
    const specs = fc.sample(fuzzSpec, { numRuns: SPECS, seed: FUZZ_SEED }).map(({ spec }) => spec);
    accepted = specs.filter((spec) => validateSpec(spec, { pythons: [] }).length === 0);
    refused = specs.filter((spec) => validateSpec(spec, { pythons: [] }).length > 0);
    console.log(`      ${SPECS} specs (seed ${FUZZ_SEED}): ${accepted.length} accepted, ${refused.length} refused`);
    assert.ok(accepted.length >= 500 && refused.length >= 400, 'a fair mix');
  });

  it('every accepted spec, written by writeSpec: Nix parses it, reads exactly the spec from it, and it reads back the same', async () => {
    const dir = tempDir('ppl-nix-fuzz-accepted-');
    const files: { file: string; spec: EnvSpec }[] = [];
    for (const [index, spec] of accepted.entries()) {
      const file = join(dir, `spec-${index}.nix`);
      const outcome = await writeSpec(file, spec, { replaceForeign: false });
      assert.equal(outcome.action, 'create');
      files.push({ file, spec });
    }
    // One nix-instantiate for all files: it parses them in order and stops at the first it refuses.
    const parsed = await promisify(execFile)('nix-instantiate', ['--parse', ...files.map((f) => f.file)], {
      env: nixTestEnv(),
      maxBuffer: 256 * 1024 * 1024,
    }).catch((error: { stderr?: string }) => ({ stdout: '', stderr: error.stderr ?? String(error) }));
    const refusedFile = /at (\S+\/spec-(\d+)\.nix):/.exec(parsed.stderr);
    assert.ok(
      parsed.stdout !== '' && refusedFile === null,
      `Nix parses every file: ${parsed.stderr.slice(0, 1500)}\nspec: ${JSON.stringify(accepted[Number(refusedFile?.[2])])?.slice(0, 1500)}`,
    );
    const views = nixReads(dir, files);
    assert.equal(views.length, files.length);
    const wrong = files
      .map(({ spec }, index) => ({ spec, nix: views[index], expected: expectedView(spec) }))
      .filter(({ nix, expected }) => !isDeepStrictEqual(nix, expected))
      .slice(0, 3);
    assert.deepEqual(
      wrong.map(({ nix, expected }) => ({ nix, expected })),
      [],
      `Nix reads what the spec says: ${JSON.stringify(wrong[0]?.spec ?? null).slice(0, 1500)}`,
    );
    for (const { file, spec } of files) {
      const read = readShellNix((await readIfExists(file))!);
      assert.ok(read.kind === 'managed', `${file} reads back: ${JSON.stringify(read)}`);
      assert.deepEqual(read.spec, recorded(spec));
      assert.deepEqual(read.handEdited, [], `${file}: nothing edited by hand`);
      const again = await writeSpec(file, spec, { replaceForeign: false });
      assert.ok(again.unchanged && again.backup === undefined, 'writing the same spec again changes nothing');
    }
  });

  it('every refused spec writes nothing through writeSpec: no new file, a PPL Nix file and a foreign file untouched, no backup', async () => {
    const dir = tempDir('ppl-nix-fuzz-refused-');
    const managed = renderShellNix(accepted[0]!);
    const foreign = '{ pkgs ? import <nixpkgs> { } }:\npkgs.mkShell { packages = [ pkgs.hello ]; } # mine\n';
    for (const [index, spec] of refused.entries()) {
      const folder = join(dir, `case-${index}`);
      mkdirSync(folder);
      const file = join(folder, 'shell.nix');
      const existing = [undefined, managed, foreign][index % 3];
      if (existing !== undefined) writeFileSync(file, existing);
      const before = snapshot(folder);
      await assert.rejects(
        writeSpec(file, spec, { replaceForeign: true }),
        (error: unknown) => isPplNixError(error, 'invalidInput') && readableMessage((error as Error).message),
        JSON.stringify(spec).slice(0, 500),
      );
      assert.deepEqual(snapshot(folder), before, `nothing written for ${JSON.stringify(spec).slice(0, 500)}`);
    }
  });

  it('the ppl-nix CLI (its own process) exits 2 for refused specs and writes nothing; accepted ones it writes', async () => {
    const dir = tempDir('ppl-nix-fuzz-cli-');
    const cli = join(repoRoot(), 'dist/cli.js');
    const spawnable = (spec: EnvSpec): boolean => !cliArgs(spec, '').some((arg) => arg.includes('\u0000'));
    const refusedByCli = refused.filter((spec) => spawnable(spec) && 'problems' in buildSpec(cliInput(spec))).slice(0, 24);
    const acceptedByCli = accepted.filter((spec) => spawnable(spec) && !('problems' in buildSpec(cliInput(spec)))).slice(0, 4);
    assert.ok(refusedByCli.length === 24 && acceptedByCli.length === 4);
    const run = async (spec: EnvSpec, index: number) => {
      const out = join(dir, `case-${index}`, 'shell.nix');
      const result = await promisify(execFile)(process.execPath, [cli, ...cliArgs(spec, out)], { env: nixTestEnv(), cwd: dir }).then(
        (done) => ({ code: 0, ...done }),
        (error: { code?: number; stdout?: string; stderr?: string }) => ({
          code: error.code,
          stdout: error.stdout ?? '',
          stderr: error.stderr ?? '',
        }),
      );
      return { spec, out, ...result };
    };
    // Four at a time: each is a Node start.
    const results: Awaited<ReturnType<typeof run>>[] = [];
    const all = [...refusedByCli, ...acceptedByCli];
    for (let i = 0; i < all.length; i += 4) results.push(...(await Promise.all(all.slice(i, i + 4).map((spec, j) => run(spec, i + j)))));
    for (const result of results.slice(0, refusedByCli.length)) {
      assert.equal(result.code, 2, `exit 2: ${result.stderr}`);
      assert.match(result.stderr, /Nothing was written\./);
      assert.ok(!existsSync(join(result.out, '..')), `no folder, no file for ${JSON.stringify(result.spec).slice(0, 300)}`);
    }
    for (const result of results.slice(refusedByCli.length)) {
      assert.equal(result.code, 0, result.stderr);
      const read = readShellNix(readFileSync(result.out, 'utf8'));
      assert.ok(read.kind === 'managed', JSON.stringify(read));
    }
    assert.deepEqual(
      readdirSync(dir).sort(),
      results
        .slice(refusedByCli.length)
        .map((result) => result.out.split('/').at(-2)!)
        .sort(),
    );
  });
});
