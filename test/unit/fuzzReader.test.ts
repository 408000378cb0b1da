// Fuzzing the shell.nix reader (issue 13): real files (the real-world shapes, the 2022 seed file,
// the golden files PPL Nix writes), mutated at random the way editing, a bad merge or a truncated
// download would. The reader, the language server's diagnostics and both migrations must never
// throw and never take a second on any of them; what they do return must still make sense.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { completions, diagnose, hover } from '../../src/core/shellNix/assist';
import { modernize, reproduceExactly } from '../../src/core/shellNix/migrate';
import { readNixFile } from '../../src/core/shellNix/reader';
import { readShellNix } from '../../src/core/spec/readback';
import { validateSpec } from '../../src/core/spec/spec';
import { repoRoot } from '../nix/fixture';
import { FUZZ_SEED } from './fuzzInputs';

const RUNS = 1000;
const LIMIT_MS = 1000;

const corpus: readonly { readonly name: string; readonly text: string }[] = [
  ...['test/fixtures/real-world', 'test/unit/golden'].flatMap((dir) =>
    readdirSync(join(repoRoot(), dir))
      .filter((name) => name.endsWith('.nix'))
      .map((name) => ({ name: `${dir}/${name}`, text: readFileSync(join(repoRoot(), dir, name), 'utf8') })),
  ),
  { name: 'test/fixtures/tweag-2022/shell.nix', text: readFileSync(join(repoRoot(), 'test/fixtures/tweag-2022/shell.nix'), 'utf8') },
];

/** Pieces of Nix that change the structure when dropped somewhere: brackets, strings, keywords, comments. */
const NIX_PIECES = [
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  '"',
  "''",
  '${',
  '$',
  ';',
  '=',
  ':',
  '.',
  ',',
  '?',
  '@',
  '//',
  '++',
  '->',
  '\\',
  '#',
  '/*',
  '*/',
  'let',
  'in',
  'with',
  'rec',
  'inherit',
  'if',
  'then',
  'else',
  'assert',
  'or',
  'import',
  'fetchTarball',
  'builtins.fetchGit',
  'pkgs.',
  'ps:',
  'python3.withPackages',
  'url = "',
  'sha256 = "',
  '<nixpkgs>',
  './.',
  '../',
  '~/',
  'https://',
  '0x',
  '1e9',
  '\n',
  '\r\n',
  '\t',
  ' ',
  '\u0000',
  '\uFEFF',
  'é',
  '🙂',
  '\ud800',
];

type Mutation = (text: string) => string;
const at = (text: string, n: number): number => (text.length === 0 ? 0 : n % (text.length + 1));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Delete a range.
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 200 })).map(
    ([n, length]): Mutation =>
      (t) =>
        t.slice(0, at(t, n)) + t.slice(at(t, n) + length),
  ),
  // Insert a piece of Nix or random text.
  fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...NIX_PIECES), fc.string({ maxLength: 12, unit: 'binary' }))).map(
    ([n, piece]): Mutation =>
      (t) =>
        t.slice(0, at(t, n)) + piece + t.slice(at(t, n)),
  ),
  // Duplicate a range elsewhere (a bad merge).
  fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 400 })).map(([from, to, length]): Mutation => (t) => {
    const chunk = t.slice(at(t, from), at(t, from) + length);
    return t.slice(0, at(t, to)) + chunk + t.slice(at(t, to));
  }),
  // Truncate (a partial download or write).
  fc.nat().map(
    (n): Mutation =>
      (t) =>
        t.slice(0, at(t, n)),
  ),
  // Replace one character.
  fc.tuple(fc.nat(), fc.constantFrom(...NIX_PIECES)).map(
    ([n, piece]): Mutation =>
      (t) =>
        t.slice(0, at(t, n)) + piece + t.slice(at(t, n) + 1),
  ),
  // Swap two lines.
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]): Mutation => (t) => {
    const lines = t.split('\n');
    const i = a % lines.length;
    const j = b % lines.length;
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    return lines.join('\n');
  }),
  // Something repeated many times: deep nesting, a long line, many list elements.
  fc
    .tuple(
      fc.nat(),
      fc.constantFrom('(', '[', '{ a = ', 'let a = 1; in ', '${', "''", '"', 'x ', 'pkgs.a.', 'ps.numpy\n'),
      fc.integer({ min: 100, max: 2000 }),
    )
    .map(
      ([n, piece, times]): Mutation =>
        (t) =>
          t.slice(0, at(t, n)) + piece.repeat(times) + t.slice(at(t, n)),
    ),
);

const mutatedFile = fc
  .tuple(fc.constantFrom(...corpus), fc.array(mutation, { minLength: 1, maxLength: 5 }))
  .map(([source, mutations]) => ({ source: source.name, text: mutations.reduce((text, mutate) => mutate(text), source.text) }));

/** Runs fn, failing when it throws or takes a second or more. */
function timed<T>(what: string, fn: () => T, slowest: { ms: number; what: string }): T {
  const started = performance.now();
  const result = fn();
  const ms = performance.now() - started;
  if (ms > slowest.ms) Object.assign(slowest, { ms, what });
  assert.ok(ms < LIMIT_MS, `${what} took ${Math.round(ms)} ms`);
  return result;
}

describe('fuzzing the shell.nix reader', function () {
  this.timeout(180_000);

  it(`the corpus: ${corpus.length} real files`, () => {
    assert.ok(corpus.length >= 40, 'the real-world shapes, the goldens and the seed file');
  });

  it(`${RUNS} random mutations of real files: reader, diagnostics and both migrations never throw and each takes < 1 s`, () => {
    const slowest = { ms: 0, what: '' };
    const tally = { modernized: 0, reproduced: 0, parseErrors: 0 };
    const details = fc.check(
      fc.property(mutatedFile, fc.nat(), ({ text }, offset) => {
        const file = timed('readNixFile', () => readNixFile(text), slowest);
        if (file.errors.length > 0) tally.parseErrors++;
        const findings = timed('diagnose', () => diagnose(file, { migrateCommand: 'pplNix.migrate', uri: 'file:///w/shell.nix' }), slowest);
        for (const finding of findings) {
          // A syntax error at the end of the file is marked on the (missing) character after it, which editors clamp.
          const end = finding.code === 'parse-error' ? text.length + 1 : text.length;
          assert.ok(
            finding.start >= 0 && finding.end >= finding.start && finding.end <= end,
            `a finding inside the file: ${JSON.stringify(finding)}`,
          );
          assert.ok(finding.message.length > 0);
        }
        const where = text.length === 0 ? 0 : offset % (text.length + 1);
        timed('completions', () => completions(file, where), slowest);
        timed('hover', () => hover(file, where), slowest);
        const modern = timed('modernize', () => modernize(text, { name: 'fuzz' }), slowest);
        if ('spec' in modern) {
          tally.modernized++;
          assert.deepEqual(validateSpec(modern.spec, { pythons: [] }), [], 'a modernized spec is valid');
          assert.equal(readShellNix(modern.text).kind, 'managed', 'the modernized file is PPL Nix’s');
        } else assert.ok(modern.reason.length > 0, 'a refusal says why');
        const exact = timed('reproduceExactly', () => reproduceExactly(text), slowest);
        if (exact.ok) {
          tally.reproduced++;
          assert.ok(exact.text.includes(exact.pin.url), 'the exact revision is written');
        } else assert.ok(exact.reason.length > 0, 'a refusal says why');
      }),
      { numRuns: RUNS, seed: FUZZ_SEED },
    );
    if (details.failed) {
      const example = details.counterexample as [{ source: string; text: string }, number] | null;
      throw new Error(
        `mutating ${example?.[0].source}: ${String((details.errorInstance as Error)?.message ?? details.errorInstance).slice(0, 1500)}\n` +
          `text (${example?.[0].text.length} characters): ${JSON.stringify(example?.[0].text.slice(0, 1500))}`,
      );
    }
    console.log(
      `      files tried: ${RUNS} (${tally.parseErrors} unparsable, ${tally.modernized} modernized, ${tally.reproduced} reproduced); slowest ${slowest.what} ${Math.round(slowest.ms)} ms`,
    );
    assert.ok(tally.parseErrors > 100 && tally.modernized > 25, `the mutations reach both sides: ${JSON.stringify(tally)}`);
  });

  it('pathological files: deep nesting, a huge file, a long line, nothing but a comment or a string', () => {
    const slowest = { ms: 0, what: '' };
    const seed = corpus.find((c) => c.name.endsWith('tweag-2022/shell.nix'))!.text;
    for (const text of [
      '('.repeat(100_000),
      `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
      `{ a = ${'{ a = '.repeat(20_000)}1${' ; }'.repeat(20_000)}; }`,
      `let ${Array.from({ length: 20_000 }, (_, i) => `a${i} = a${i + 1};`).join(' ')} in a0`,
      seed.repeat(200),
      `# ${'x'.repeat(500_000)}`,
      `''${'$'.repeat(100_000)}`,
      `"${'\\'.repeat(100_001)}`,
      '/*'.repeat(50_000),
      '',
      '\uFEFF',
    ]) {
      const file = timed(`readNixFile of ${text.length} characters`, () => readNixFile(text), slowest);
      timed('diagnose', () => diagnose(file), slowest);
      timed('modernize', () => modernize(text), slowest);
      timed('reproduceExactly', () => reproduceExactly(text), slowest);
    }
    console.log(`      slowest: ${slowest.what} ${Math.round(slowest.ms)} ms`);
  });

  // A regression guard, not a speed measurement: the reader was quadratic in a path's length (a
  // 70 KB `pkgs.a.a.…` line took ~3 s on every keystroke); linear, it takes milliseconds.
  it('a 10 000-part attribute path is read in < 1 s', () => {
    const slowest = { ms: 0, what: '' };
    const text = `let pkgs = import <nixpkgs> { }; in pkgs.mkShell { packages = [ ${'pkgs.a.'.repeat(10_000)}b ]; }`;
    const file = timed('readNixFile', () => readNixFile(text), slowest);
    timed('diagnose', () => diagnose(file), slowest);
    timed('modernize', () => modernize(text), slowest);
  });
});
