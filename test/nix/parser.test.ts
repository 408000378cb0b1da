// Our Nix parser against Nix's own (nix-instantiate --parse, Nix 2.8): every
// fixture, a list of tricky expressions, generated programs and mutated
// fixtures must be accepted or rejected as Nix does, and when accepted, print
// (test/nix/parsePrinter.ts) exactly as Nix prints its tree, up to the order of
// `let` bindings and lambda formals (Nix 2.8 prints those in the order of its
// symbols' memory addresses; both sides are sorted). The mutation property
// (never throws, under 1 s) needs no Nix and always runs.
import * as assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import * as fc from 'fast-check';
import { findUndefinedVariables, parseNix, walkNix, type ParseError } from '../../src/core/nix/parser';
import { canonicalOrder, printedListElements, printNixParse } from './parsePrinter';

/** The repository root: the first ancestor of this file (source or bundle) holding test/fixtures. */
function repoRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'test/fixtures'))) return dir;
  }
  return process.cwd();
}

const FIXTURES = join(repoRoot(), 'test/fixtures');
const FIXTURE_FILES = (readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' }) as string[])
  .filter((file) => file.endsWith('.nix'))
  .sort()
  .map((file) => join(FIXTURES, file));

/** --parse does not evaluate, so Nix's configuration does not matter: leave it out. */
const NIX_ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NIX_CONFIG'));

type NixVerdict = { ok: true; printed: string } | { ok: false; message: string };

function verdictOf(run: { status: number | null; stdout: string; stderr: string }): NixVerdict {
  if (run.status === 0) return { ok: true, printed: run.stdout.replace(/\n$/, '') };
  return { ok: false, message: run.stderr.split('\n').find((line) => line.startsWith('error')) ?? run.stderr.trim() };
}

function nixParse(file: string): NixVerdict {
  const run = spawnSync('nix-instantiate', ['--parse', file], { encoding: 'utf8', env: NIX_ENV, maxBuffer: 64 << 20 });
  return verdictOf({ status: run.status, stdout: run.stdout, stderr: run.stderr });
}

const execFileAsync = promisify(execFile);
async function nixParseAsync(file: string): Promise<NixVerdict> {
  try {
    const { stdout } = await execFileAsync('nix-instantiate', ['--parse', file], { encoding: 'utf8', env: NIX_ENV, maxBuffer: 64 << 20 });
    return verdictOf({ status: 0, stdout, stderr: '' });
  } catch (problem) {
    const { stderr } = problem as { stderr?: string };
    return verdictOf({ status: 1, stdout: '', stderr: stderr ?? String(problem) });
  }
}

/** What we say about a file: the errors Nix's parse step would raise, and otherwise the printed tree. */
function ourVerdict(text: string, baseDir: string, home: string): { errors: readonly ParseError[]; printed: string | undefined } {
  const result = parseNix(text);
  const errors = result.ast !== undefined && result.errors.length === 0 ? findUndefinedVariables(result.ast) : result.errors;
  if (errors.length > 0 || result.ast === undefined)
    return { errors: errors.length > 0 ? errors : [{ message: 'no expression', start: 0, end: 0 }], printed: undefined };
  return { errors, printed: printNixParse(result.ast, { source: text, baseDir, home }) };
}

/** A disagreement with Nix about one text, or undefined when we agree. */
function disagreement(text: string, nix: NixVerdict, baseDir: string, home: string, compareTrees = true): string | undefined {
  const ours = ourVerdict(text, baseDir, home);
  if (!nix.ok) return ours.errors.length > 0 ? undefined : `Nix rejects (${nix.message}), we accept`;
  if (ours.printed === undefined) return `Nix accepts, we report ${JSON.stringify(ours.errors)}`;
  if (!compareTrees) return undefined;
  const [expected, actual] = [canonicalOrder(nix.printed), canonicalOrder(ours.printed)];
  return expected === actual ? undefined : `printed trees differ:\n  nix:  ${expected}\n  ours: ${actual}`;
}

function nixAvailable(): boolean {
  return spawnSync('nix-instantiate', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Where `~` points for Nix (its getHome), asked of Nix itself. */
function nixHome(): string {
  const printed = execFileSync('nix-instantiate', ['--parse', '--expr', '~/x'], {
    encoding: 'utf8',
    env: NIX_ENV,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return printed.trim().replace(/\/x$/, '');
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

// Expressions where Nix's grammar, lexer or desugaring has a corner: each is parsed by Nix and by us.
// prettier-ignore
const TRICKY: readonly string[] = [
  '{ b = 1; a = 2; c = x: x; }', 'rec { z = 1; inherit (z) y x; inherit builtins; }', 'let b = 1; a = 2; inherit map; in a', 'assert true; 1',
  'with builtins; head', 'if true then 1 else 2', '1.5', '1.23456789', '1.e5', '.5', '100000000.0', '1.0', '0.1e-20',
  '"a\\nb\\t$x\\${y} \\\\ \\" c${builtins}d"', '{ a, b ? 1, ... }@c: a', 'c@{ a, b ? 1, ... }: a', '{ z, a, ... }: a', '{...}: 1', '{}: 1',
  'a: b: a', '1 - 2', '1 < 2', '1 <= 2', '1 > 2', '1 >= 2', '!true', '[ 1 (map map) "x" ]', '<nixpkgs>', '<nixpkgs/lib> 1', 'https://x/y.tar.gz',
  './a', '../b', '/abs', '~/x', './a/${toString 1}/b', 'a: a.b."c".${"d"}.${toString 1} or 2', '{ z, map }: 1', '{ z ? y, y ? 1 }: 1',
  'let z = 1; map = 2; inherit (z) y x; in 1', 'let { body = 1; a = 2; }', 'a: a.b or', 'a: a ? b.${"c"}.${a}."${a}"',
  '{ a.b = 1; a.c = 2; ${"x"} = 1; "${"y"}" = 2; "z z" = 3; "" = 1; }', '{ a = { b = 1; }; a.c = 2; }', '{ a.c = 2; a = { b = 1; }; }',
  '{ a.c = 2; a = { b = 1; ${"q"}=1; }; }', '\'\'\n  a\n   b\n  ${toString 1}\n  \'\'${x}\n  \'\'\'\n  \'\'\\n\n\'\'', '\'\'\'\'', '${""}',
  '{ ${""} = 1; }', '{ ${\'\'a\'\'} = 1; }', '{ "${"a"}" = 1; }', '[ (a: a) ]', '1 + 2 * 3 / 4 ++ [] // {} == 1 != 2 && true || false -> false',
  '__curPos', 'rec { } ', '{ inherit true; }', '(x: x) 1 2', '((x: x) 1) 2', '(1 - 2) 3', '0 - 1 - -2', '1 ? a', '[1] ++ [2] ++ [3]',
  '{} // {} // {}', 'true -> false -> true', 'true || false || true', '1 + 2 + 3', '"a" + "b"', '1/2', '/a/${"b"}', '~/${"b"}', './${"b"}c',
  'a@{}: a', '{}@a: a', '{ "if" = 1; "or" = 2; "a-b" = 3; "1a" = 4; "a\'" = 5; "a\\"b\\${" = 6; "ü" = 7; "__x" = 8; "A_" = 9; }',
  'let "a b" = 1; or = 2; in 1', 'a: a."a b".or.if', 'a: a ? "a b"', 'let x = 1; in { inherit x "or"; }', '{ "a b" }: 1',
  'let or = 1; in <nixpkgs> or', 'let or = 1; in (map 1) or 2', 'let or = 1; in map 1 or 2', '{ a.c = 2; a = { b = 1; ${toString 1}=1; }; }',
  '{ a = { ${toString 1} = 1; }; a.c = 2; }', '{ a = {b=1;}; a = {c=2;}; }', '{ a = rec {b=1;}; a.c=1; }',
  '{ ${toString 1}.a = 1; ${toString 1}.b = 2; }', '{ a.b = 1; a.b = 2; }', 'let a = { ${toString 1} = 1; }; in 1', '[ (assert true; 1) ]',
  '1 + (assert true; 1)', 'a@{ a }: 1', '{ a, a }: 1', 'let { a = 1; }', 'let a = 1; in let { body = a; }', '"$${x}"', '"a$"', '"$"',
  '\'\'$${x}\'\'', '\'\'a$\'\'', '\'\'a\'${toString 1}\'\'', '\'\' a\'\'', '9223372036854775807', '9223372036854775808', '007', '1e999', '1.0e-400',
  '2.5e-310', '0.000123456789', '123456.7', '1234567.0', '0.0001', '0.00001', 'x: x."a b".or."${x}".${x}', 'x: x ? "a b".or',
  '{ inherit ({}) "a b" or; }', 'let inherit ({}) "a b"; in 1', '{ a ? 1 }@x: x', '{ a, ... }: a', '~/a/../b', '/a/../b', '/a/./b/.', './.', '../.',
  '../..', '../../../../..', './a/', 'a/b', 'a/b/', './', '/a/${"b"}/', './a${"b"}', 'a+b/c', '/a/b${"x"}c', '[./a]', './a.nix', '.5/a', '1/2/3',
  'x: x./a', '<a/b.c>', '<a//b>', '< a>', 'http://a', 'x: x:x', 'a://b', 'x: x://', '1.5.x', 'builtins ? "x"', '"\\r\\n\\\\r"', '"a\nb"',
  '{ a = 1; }.a', 'rec { a = 1; }.a', '[ ].a', '"x".a or 1', 'true.a or 1 2', 'x: -x.a', 'x: - - x', 'x: !!x', 'x: ! x == x', 'x: -x ? a',
  'x: !x ? a', 'x: x ++ x ? a', 'x: x ? a ++ x', 'x: x // !x', 'x: x * -x + x', 'with {}; { inherit "a b" ${"c"}; }',
  'with {}; let inherit "a b"; in 1', 'x: { inherit ({}) "${x}"; }', '1.0e100', '1.7976931348623157e308', '1.8e308', '0.1', '123456789.123',
  '[ -1.5 ]', '{ "a" = 1; a = 2; }', '{ ${"a"} = 1; "a" = 2; }', 'x: { "${x}" = 1; "${x}" = 2; }', '{ a = 1; inherit ({}) a; }',
  'let a = 1; a.b = 2; in 1', 'let ${"a"} = 1; in a', 'x: let a.${x} = 1; in a', 'x: let ${x}.a = 1; in 1', 'x: { a = { b = 1; }; a = { b = 2; }; }',
  'x: { a = ({ b = 1; }); a.c = 1; }', 'x: { a.b = 1; a = ({ c = 1; }); }', 'x: { a = let { b = 1; }; a.c = 1; }',
  'x: { a = with x; { b = 1; }; a.c = 1; }', 'x: { inherit x; x.a = 1; }', 'x: { x.a = 1; inherit x; }',
  'x: { a.b.c = 1; a.b.d = 2; a = { b.e = 3; }; }', 'x: { a = { b.e = 3; }; a.b.c = 1;  }', 'x: a/b//x', 'x: a/b//${x}', 'x: a/b//${x}//c',
  'x: /${x}/${x}', 'x: ./${x}', 'x: ../../../../${x}', '1.5e3', '[ 1234565.0 0.5 2.5e-5 999999.5 9999995.0 ]', '\'\'\n    a\n      b\n    c\n  \'\'',
  '\'\'\n  a\n\n  b\n\'\'', '\'\'  a\n  b\'\'', '\'\'\n\t a\n  b\n\'\'', '\'\'\n  ${toString 1} x\n   y\n\'\'', '\'\'\n  \'\'\\ a\n  b\n\'\'',
  '\'\'\n  a \'\'\\n  b\n    c\n\'\'', '\'\'\n  \'\'${toString 1}\n\'\'', '\'\'\n  a\n  \'\'', '\'\'\n  a\n  b  \'\'', '\'\'a\'\'\\tb\'\'',
  '\'\'\n  a\n  b\n\'\'', '"a\nb\nc"', '"\\\n"', '\'\'$\'\'', '\'\'\'\'$\'\'', '\'\'\'\'\'\'\'', '\'\'a\'\'\'\'\'', '\'\'$\'\'\'',
  '\'\'a${toString 1}$\'\'', '\'\'\'\'\\${toString 1}\'\'', '"${toString 1}${toString 2}"', '"a${toString 1}"', '""', '"${""}"', '"\\$"', '"$$"',
  '"$\\{"', '"\\${a}"', '\'\'\\${a}\'\'', '\'\'$\\{a}\'\'', 'x: "${x}${x}"', '# comment\n1', '/* block */ 1 /* another ** */', '1 # trailing',
  '/**/1', '/***/1', '[ 1 /* a */ 2 ]', 'a/*b*/', 'x: x/*b*/', 'x: x/* b */x', '{ a = 1; }."a"', '{ a = 1; }.${"a"}',
  'let a-b = 1; a\' = 2; a_ = 3; in a-b + a\' + a_', 'let __x = 1; in __x', 'let x = 1; in x-1', 'let x = 1; in x - 1', 'let x = 1; in x -1',
  'let f = x: x; in f -1', 'let f = x: x; in f (-1)', 'let x = 1; in -x', 'let x = 1; y = 2; in x*y', 'let x = 1; y = 2; in x/ y',
  'let x = 1; y = 2; in x /y', 'let inherit (builtins) head tail; in head', 'let a = 1; in { inherit a; b = a; }', 'rec { a = 1; b = a; }',
  'rec { a.b = 1; a.c = a.b; }', 'let a.b = 1; a.c = 2; in a', 'let a = { b = 1; }; in a.b or 2', 'let a = { }; in a.b.c or a.d or 3',
  'let a = {}; in a ? b', 'let a = {}; in a ? b.c.d', 'let a = {}; in !(a ? b)', 'let f = x: x; in f { a = 1; }', 'let f = x: x; in f [ 1 ] [ 2 ]',
  'let f = x: x; in f f f f', 'map (x: x) [ 1 2 3 ]', 'builtins.map (x: x * 2) [ 1 ]', '(import <nixpkgs> {}).hello',
  'import ./foo.nix { inherit (builtins) map; }', '{ pkgs ? import <nixpkgs> { } }: pkgs.mkShell { buildInputs = [ pkgs.python3 ]; }',
  '{ pkgs ? import (fetchTarball "https://github.com/NixOS/nixpkgs/archive/abc.tar.gz") {} }: pkgs',
  'let pkgs = import (builtins.fetchTarball { url = "https://x/y.tar.gz"; sha256 = "0000"; }) {}; in pkgs.python3.withPackages (ps: with ps; [ numpy scipy ])',
  'if true then if false then 1 else 2 else 3', 'if true then 1 else if false then 2 else 3', 'assert true; assert false; 1',
  'with builtins; with builtins; head', 'let a = assert true; 1; b = 2; in a', 'let a = 1; in assert true; a', 'x: y: z: x', '{ x, y }: { a, b }: x',
  'x @ { y }: x', '{ y } @ x: x', '{ a ? { b = 1; }, c ? [ 1 2 ], d ? (x: x), ... }: a', '{ a, }: a', '{ a, ... , }: a', '{ ..., a }: a', '{ , }: 1',
  '{ a b }: 1', '{ a ? }: 1', 'x: { inherit x; }', 'x: { inherit (x) a b c; d = 1; }', '{ inherit; }', '{ inherit (builtins); }', 'let in 1',
  'let inherit; in 1', '{ a = 1; } // { b = 2; }', '[ ] ++ [ ]', 'true && false || true', 'true || false && true', 'true -> false || true',
  '1 == 1 && 2 != 3', '1 < 2 == true', 'true == 1 < 2', '1 == 2 == 3', '1 < 2 < 3', '1 < 2 > 3', '!true && false', '!(true && false)',
  '!true == false', '- 1 + 2', '1 + - 2', '1 - - - 2', '1 * 2 + 3 * 4', '1 + 2 * 3', '(1 + 2) * 3', '1 / 2 / 3', '1 - 2 - 3',
  '[ 1 ] ++ [ 2 ] ++ [ 3 ] ++ [ 4 ]', '{ } // { } // { } // { }', '{ a = 1; } ? a', '{ a = 1; } ? a == true', '{ a = 1; } ? a ? b',
  '"a" + "b" + "c"', '1 + 2 ? a', '[ 1 ] ++ { } ? a', '{ } // { } ? a', 'x: x.a.b.c', 'x: x.a or x.b or x.c', 'x: (x.a or 1).b', 'x: x."a.b"',
  'x: x.${"a" + "b"}', 'x: x.${x}.${"c"}', 'x: x.or', 'x: x.or or x', 'x: { or = 1; }.or', 'x: x ? or', 'let x = 1; in { inherit x or; }',
  '[ 1 2.5 "s" ./p <q> https://u.rl/x true null ]', '[ (x: x) { } [ ] (1) ]', '[ [ [ ] ] ]', '[ x: x ]', '[ if true then 1 else 2 ]',
  '[ let a = 1; in a ]', '[ let { body = 1; } ]', '[ rec { } ]', 'let { body = let { body = 1; }; }', 'let { inherit builtins; body = builtins; }',
  'let { ${"body"} = 1; }', '0', '00', '1.', '0.', '01.5', '1.5.5', '1.5e', '1.5e+', '1.5e+3', '1.5E-3', '0.5e0', '1..5', '..5', '...', 'a...',
  '1/x', 'a.b/c', './a.b/c.d', 'a-b/c-d', '_/a', 'a_b/c', './a/b/c/d/e', '/a//b', './a/./b', '../a/../b', '~', '~/', '~/a/', '~/a.b/c', '<>', '<a',
  '<a/>', '<a/b>c', '<a.b-c+d_e>', 'x: x<a>', 'x: x <a>', 'a:', 'a:b:c', 'a :b', 'f: f:x', 'x: x 1:2', 'mailto:foo@bar.com',
  'x: x git+https://a.b/c?rev=1&x=y', 'http://a.b/c#frag', 's3://bucket/key', 'a1+-.:x', '1a:x', 'x: x.1', 'x: x.a1', '{ a = 1; }.a.b.c or 1',
  '{ "" = 1; }.""', 'let a = "x"; in { ${a} = 1; }', 'let a = "x"; in { "${a}" = 1; "b${a}" = 2; }', 'let a = "x"; in { ${a}.b = 1; }',
  'let a = "x"; in { x.${a} = 1; x.y = 2; }', '{ a.${"b"}.c = 1; a.b.d = 2; }', '{ a."b".c = 1; a.b.d = 2; }',
  '{ a = { b = { c = 1; }; }; a.b.d = 2; }', '{ a = { b = { c = 1; }; }; a = { b = { d = 2; }; }; }', '{ a = { inherit builtins; }; a.c = 1; }',
  '{ a.c = 1; a = { inherit builtins; }; }', '{ a.b = 1; a = rec { c = 2; }; }', 'rec { a.b = 1; a = { c = 2; }; }', '{ a = {}; a = {}; }',
  '{ a = 1; } // rec { b = 2; }', 'x: with x; a', 'x: with x; { inherit a; }', '{ a = 1; }: 1', '{ a }: { a }', '{ a }', '{ a = 1 }', '{ a = 1; ',
  '[ 1 2', '( 1', '(1 2', '1 )', '"abc', '\'\'abc', '"${', '"${a', 'if true then 1', 'let a = 1; in', 'let a = 1;', 'x:', '{ a, b }:', 'a.', 'a.b.',
  'a ? ', '1 +', '1 + + 2', 'a = 1', 'a; b', '&', '1 & 2', '1 | 2', '$x', '%', '`', '~ a', '\'a\'', '@', '\\', 'é', '"é"', '{ é = 1; }', 'x: x."é"',
  '"\\u00e9"', '\'\'\\u\'\'', '"tab\there"', '"\\t"', '"\\""', '"\\\\"', '"\\\\${\\"x\\"}"', '\'\'a\n\'\'', '\'\'\n\'\'', '\'\'\n\n\'\'',
  '\'\' \n\'\'', '\'\'  \n a\'\'', '\'\'\n  a\n b\n\'\'', '\'\'\n a\n\tb\n\'\'', '\'\' ${toString 1}\'\'', '\'\'\n  ${toString 1}\n  \'\'',
  '\'\'\n  ${toString 1}\n\'\'', '\'\'\n  x${toString 1}\n    y\n\'\'', '\'\'\n  x\n \'\'', '\'\'\n  x\n  y \'\'', '\'\'\n    \'\'$\n  \'\'',
  '\'\'\n    \'\'\'\n  a\'\'', '\'\'\n  a\n\'\'\\n  b\n\'\'', '\'\'\n  a\'\'\\\n  b\n\'\'',
];

// ---- generated well-formed programs ---------------------------------------------

/** Names bound around every generated expression (so Nix finds no undefined variable), and globals. */
const BOUND = ['x', 'y', 'pkgs', 'ps', 'a-b', "x'"];
const GLOBALS = ['map', 'toString', 'builtins', 'true', 'null', 'import', 'baseNameOf', '__head', '__curPos'];
const wrapInScope = (body: string): string => `let x = 1; y = 2; pkgs = { }; ps = { }; a-b = 3; x' = 4; or = 5; in\n${body}`;
/** First names of bindings, each with a different static value (so no attribute is defined twice). */
const BINDING_NAMES = ['a', 'b', 'or', '"c d"', '"if"', "f'", 'g-h', '${"i"}', '"j"', 'pkgs', 'x'];
const INHERITABLE = new Set(['or', 'pkgs', 'x']);
const SUB_NAMES = ['a', 'or', '"b c"', '${"d"}', 'e-f', '"${toString 1}"'];
const STRING_PIECES = [
  'a',
  'b c',
  ' ',
  '\\n',
  '\\t',
  '\\r',
  '\\"',
  '\\\\',
  '\\$',
  '\\${',
  '$$a',
  '$a',
  "'",
  'é',
  '}',
  '{a',
  '\n',
  '\\\n',
  '\t',
];
const INDENTED_PIECES = [
  'a',
  'b c',
  ' ',
  '  ',
  '\n',
  '\n  ',
  '\n    ',
  "''$",
  "'''",
  "''\\n",
  "''\\t",
  "''\\ ",
  "'a",
  '$a',
  '$$a',
  '"',
  '\\',
  '}',
  '{',
  '\t',
  'é',
];
const OPERATORS = ['->', '||', '&&', '==', '!=', '<', '>', '<=', '>=', '//', '+', '-', '*', '/', '++', '?'];
const LEVEL: Record<string, number> = {
  '->': 1,
  '||': 2,
  '&&': 3,
  '==': 4,
  '!=': 4,
  '<': 5,
  '>': 5,
  '<=': 5,
  '>=': 5,
  '//': 6,
  '+': 8,
  '-': 8,
  '*': 9,
  '/': 9,
  '++': 10,
  '?': 11,
};

/** Replaces operators that would chain non-associative ones (`a == b == c`) with `&&`. */
function associable(operators: string[]): string[] {
  return operators.map((operator, index) => {
    const level = LEVEL[operator]!;
    if (level !== 4 && level !== 5) return operator;
    for (let before = index - 1; before >= 0; before--) {
      const other = LEVEL[operators[before]!]!;
      if (other < level) return operator;
      if (other === level) return '&&';
    }
    return operator;
  });
}

type Tie = (key: string) => fc.Arbitrary<unknown>;
const text = (tie: Tie, key: string): fc.Arbitrary<string> => tie(key) as fc.Arbitrary<string>;
const interpolation = (tie: Tie): fc.Arbitrary<string> => text(tie, 'expr').map((expr) => `\${ ${expr} }`);

function attrPath(tie: Tie): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof(fc.constantFrom(...SUB_NAMES), interpolation(tie)), { minLength: 1, maxLength: 3 })
    .map((names) => names.join('.'));
}

function bindings(tie: Tie, inLet: boolean): fc.Arbitrary<string> {
  const one = (name: string): fc.Arbitrary<string> =>
    fc.oneof(
      text(tie, 'expr').map((value) => `${name} = ${value};`),
      fc.tuple(attrPath(tie), text(tie, 'expr')).map(([path, value]) => `${name}.${path} = ${value};`),
      text(tie, 'select').map((from) => `inherit (${from}) ${name};`),
      ...(INHERITABLE.has(name) ? [fc.constant(`inherit ${name};`)] : []),
    );
  const named = fc.uniqueArray(fc.constantFrom(...BINDING_NAMES), { maxLength: 4 }).chain((names) => fc.tuple(...names.map(one)));
  const dynamic = inLet
    ? fc.constant([])
    : fc.array(
        fc.tuple(interpolation(tie), text(tie, 'expr')).map(([name, value]) => `${name} = ${value};`),
        { maxLength: 1 },
      );
  return fc.tuple(named, dynamic).map(([list, extra]) => [...list, ...extra].join(' '));
}

function literalString(tie: Tie, pieces: readonly string[], open: string, close: string): fc.Arbitrary<string> {
  const piece = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...pieces) }, { weight: 1, arbitrary: interpolation(tie) });
  return fc
    .tuple(fc.array(piece, { maxLength: 6 }), fc.boolean())
    .map(([parts, dollarLast]) => `${open}${parts.join('')}${dollarLast && open === '"' ? '$' : ''}${close}`);
}

const program = fc.letrec((tie) => ({
  expr: fc.oneof({ depthSize: 'small', maxDepth: 5, depthIdentifier: 'nix' }, text(tie, 'chain'), text(tie, 'function')),
  function: fc.oneof(
    fc.tuple(text(tie, 'expr'), text(tie, 'expr'), text(tie, 'expr')).map(([c, a, b]) => `if ${c} then ${a} else ${b}`),
    fc.tuple(bindings(tie, true), text(tie, 'expr')).map(([binds, body]) => `let ${binds} in ${body}`),
    fc.tuple(text(tie, 'expr'), text(tie, 'expr')).map(([scope, body]) => `with ${scope}; ${body}`),
    fc.tuple(text(tie, 'expr'), text(tie, 'expr')).map(([condition, body]) => `assert ${condition}; ${body}`),
    fc.tuple(fc.constantFrom(...BOUND), text(tie, 'expr')).map(([param, body]) => `${param}: ${body}`),
    fc
      .tuple(
        fc.uniqueArray(fc.tuple(fc.constantFrom('x', 'y', 'p', 'q-r', "s'"), fc.option(text(tie, 'expr'))), {
          maxLength: 3,
          selector: ([name]) => name,
        }),
        fc.constantFrom('', ', ...', ','),
        fc.constantFrom('', 'args@', '@args'),
        text(tie, 'expr'),
      )
      .map(([formals, tail, at, body]) => {
        const list = `{ ${formals.map(([name, fallback]) => (fallback === null ? name : `${name} ? ${fallback}`)).join(', ')}${formals.length > 0 ? tail : tail === ', ...' ? '...' : ''} }`;
        return at === 'args@' ? `args@${list}: ${body}` : at === '@args' ? `${list}@args: ${body}` : `${list}: ${body}`;
      }),
  ),
  chain: fc
    .tuple(text(tie, 'operand'), fc.array(fc.tuple(fc.constantFrom(...OPERATORS), text(tie, 'operand'), attrPath(tie)), { maxLength: 3 }))
    .map(([first, rest]) => {
      const operators = associable(rest.map(([operator]) => operator));
      return [
        first,
        ...rest.map(([, operand, path], index) => (operators[index] === '?' ? `? ${path}` : `${operators[index]} ${operand}`)),
      ].join(' ');
    }),
  operand: fc.tuple(fc.constantFrom('', '', '! ', '- '), text(tie, 'app')).map(([prefix, app]) => prefix + app),
  app: fc.tuple(text(tie, 'select'), fc.array(text(tie, 'select'), { maxLength: 2 })).map(([func, args]) => [func, ...args].join(' ')),
  select: fc.oneof(
    { depthSize: 'small', maxDepth: 5, depthIdentifier: 'nix' },
    text(tie, 'simple'),
    fc
      .tuple(text(tie, 'simple'), attrPath(tie), fc.option(text(tie, 'select')))
      // `1.a` lexes as the float `1.`, and a URL swallows the dot: those need parentheses.
      .map(
        ([target, path, fallback]) =>
          `${/^\d+$|^[a-z]+:/.test(target) ? `( ${target} )` : target}.${path}${fallback === null ? '' : ` or ${fallback}`}`,
      ),
    text(tie, 'simple').map((target) => `${target} or`),
  ),
  simple: fc.oneof(
    { depthSize: 'small', maxDepth: 5, depthIdentifier: 'nix' },
    fc.constantFrom(...BOUND, ...GLOBALS),
    fc.oneof(fc.nat(1000).map(String), fc.constantFrom('0', '007', '9223372036854775807')),
    fc
      .tuple(fc.nat(999), fc.nat(99_999), fc.option(fc.integer({ min: -30, max: 30 })))
      .map(([whole, fraction, exponent]) => `${whole}.${fraction}${exponent === null ? '' : `e${exponent}`}`),
    fc.constantFrom(
      '.5',
      '1.',
      '1.23456789',
      '0.000012345',
      './a',
      '../b/c.nix',
      '/abs/x',
      '~/h',
      'a/b',
      '<nixpkgs>',
      '<a/b.c>',
      'https://example.org/a.tar.gz',
      'mailto:x@y.z',
    ),
    literalString(tie, STRING_PIECES, '"', '"'),
    literalString(tie, INDENTED_PIECES, "''", "''"),
    fc
      .tuple(fc.constantFrom('./a/', '/a/b', '~/'), interpolation(tie), fc.constantFrom('', '.nix', '/c'))
      .map(([start, middle, end]) => start + middle + end),
    text(tie, 'expr').map((expr) => `( ${expr} )`),
    fc.array(text(tie, 'select'), { maxLength: 4 }).map((elements) => `[ ${elements.join(' ')} ]`),
    fc.tuple(fc.constantFrom('', 'rec '), bindings(tie, false)).map(([rec, binds]) => `${rec}{ ${binds} }`),
    fc.tuple(bindings(tie, false), text(tie, 'expr')).map(([binds, body]) => `let { ${binds} body = ${body}; }`),
  ),
})).expr as fc.Arbitrary<string>;

// ---- mutations ----------------------------------------------------------------------

const INSERTIONS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  '"',
  "''",
  '${',
  ';',
  '=',
  '.',
  ':',
  '@',
  ',',
  '?',
  'let',
  'in',
  'rec',
  'inherit',
  'or',
  'if',
  'then',
  'else',
  'with',
  'assert',
  '/*',
  '*/',
  '#',
  '\n',
  ' ',
  '\\',
  '$',
  "'",
  '/',
  './a',
  '<p>',
  'x',
  '1',
  '-',
  '!',
  '+',
  '++',
  '//',
  '...',
  'é',
];
type Mutation =
  | { kind: 'delete' | 'duplicate'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'deleteToken'; at: number };
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...INSERTIONS), fc.string({ maxLength: 4 })),
  }),
  fc.record({ kind: fc.constant('deleteToken' as const), at: fc.nat() }),
);

function mutate(source: string, mutation: Mutation): string {
  const at = mutation.at % (source.length + 1);
  switch (mutation.kind) {
    case 'delete':
      return source.slice(0, at) + source.slice(at + mutation.length);
    case 'duplicate':
      return source.slice(0, at + mutation.length) + source.slice(at);
    case 'insert':
      return source.slice(0, at) + mutation.text + source.slice(at);
    case 'deleteToken': {
      const tokens = [...source.matchAll(/[A-Za-z_][\w'-]*|\d+|''|\$\{|\S/g)];
      const token = tokens[mutation.at % Math.max(1, tokens.length)];
      return token === undefined ? source : source.slice(0, token.index) + source.slice(token.index + token[0].length);
    }
  }
}

/** Structural promises callers rely on: spans inside the text and inside their parents, errors located. */
function checkInvariants(source: string): void {
  const started = performance.now();
  const result = parseNix(source);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 1000, `parse took ${elapsed} ms`);
  for (const error of result.errors) {
    assert.ok(!error.message.startsWith('internal parser error'), error.message);
    assert.ok(0 <= error.start && error.start <= error.end && error.end <= source.length, JSON.stringify(error));
  }
  result.comments.forEach((comment, index) =>
    assert.ok(comment.start < comment.end && comment.start >= (result.comments[index - 1]?.end ?? 0)),
  );
  if (result.ast === undefined) return;
  walkNix(result.ast, (node, parents) => {
    assert.ok(0 <= node.start && node.start <= node.end && node.end <= source.length, `${node.kind} ${node.start}-${node.end}`);
    const parent = parents[parents.length - 1];
    if (parent)
      assert.ok(
        parent.start <= node.start && node.end <= parent.end,
        `${node.kind} ${node.start}-${node.end} outside ${parent.kind} ${parent.start}-${parent.end}`,
      );
  });
  findUndefinedVariables(result.ast);
}

// ---- the tests ------------------------------------------------------------------------

const SEED = Number(process.env['PPL_NIX_FUZZ_SEED'] ?? Date.now() % 1_000_000);
/** PPL_NIX_FUZZ_SCALE=10 runs ten times as many cases (for a long session of fuzzing). */
const SCALE = Math.max(1, Number(process.env['PPL_NIX_FUZZ_SCALE'] ?? 1));

describe('Nix parser fuzzing (no Nix needed)', function () {
  this.timeout(120_000 * SCALE);

  it(`never throws on mutated fixtures and tricky expressions, each parse under 1 s (seed ${SEED})`, () => {
    const sources = [...FIXTURE_FILES.map((file) => readFileSync(file, 'utf8')), ...TRICKY];
    fc.assert(
      fc.property(fc.nat(sources.length - 1), fc.array(mutationArb, { minLength: 1, maxLength: 5 }), (index, mutations) => {
        checkInvariants(mutations.reduce(mutate, sources[index]!));
      }),
      { numRuns: 3000 * SCALE, seed: SEED },
    );
  });

  it(`never throws on generated programs (seed ${SEED})`, () => {
    fc.assert(
      fc.property(program, (expr) => checkInvariants(wrapInScope(expr))),
      { numRuns: 500 * SCALE, seed: SEED },
    );
  });
});

describe('Nix parser against nix-instantiate --parse', function () {
  this.timeout(120_000 * SCALE);
  let home = '';
  let dir = '';

  before(function () {
    if (!nixAvailable()) {
      console.warn('    skipping: nix-instantiate is not installed');
      this.skip();
    }
    home = nixHome();
    dir = mkdtempSync(join(tmpdir(), 'ppl-nix-parser-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('fixtures', () => {
    for (const file of FIXTURE_FILES) {
      const name = file.slice(FIXTURES.length + 1);
      it(name, () => {
        const text = readFileSync(file, 'utf8');
        // Files named "invalid" are half-edited on purpose: only the accept/reject verdict is compared.
        const problem = disagreement(text, nixParse(file), dirname(file), home, !basename(name).includes('invalid'));
        assert.equal(problem, undefined, problem);
      });
    }
  });

  it(`agrees on ${TRICKY.length} tricky expressions`, async () => {
    const problems = await inParallel(TRICKY, 2, async (expr, index) => {
      const file = join(dir, `tricky-${index}.nix`);
      writeFileSync(file, expr);
      const problem = disagreement(expr, await nixParseAsync(file), dir, home);
      return problem === undefined ? [] : [`${JSON.stringify(expr)}: ${problem}`];
    });
    assert.deepEqual(problems.flat(), []);
  });

  it(`agrees on generated programs, a few hundred per nix-instantiate run (seed ${SEED})`, async () => {
    const programs = fc.sample(program, { numRuns: 600 * SCALE, seed: SEED }).map(wrapInScope);
    let rejected = 0;
    /** Parses a batch as one list; when Nix rejects it, halves it to find the expressions it rejects. */
    const settle = async (batch: readonly string[]): Promise<string[]> => {
      const file = join(dir, `batch-${batch.length}-${Math.random().toString(36).slice(2)}.nix`);
      const listText = `[\n${batch.map((expr) => `(\n${expr}\n)`).join('\n')}\n]\n`;
      writeFileSync(file, listText);
      const nix = await nixParseAsync(file);
      if (!nix.ok && batch.length === 1) {
        rejected++;
        return ourVerdict(listText, dir, home).errors.length > 0
          ? []
          : [`${JSON.stringify(batch[0])}: Nix rejects (${nix.message}), we accept`];
      }
      if (!nix.ok) return [...(await settle(batch.slice(0, batch.length >> 1))), ...(await settle(batch.slice(batch.length >> 1)))];
      const printed = printedListElements(nix.printed);
      assert.ok(printed && printed.length === batch.length, 'Nix printed one list element per expression');
      return batch.flatMap((expr, index) => {
        const problem = disagreement(expr, { ok: true, printed: printed[index]! }, dir, home);
        return problem === undefined ? [] : [`${JSON.stringify(expr)}: ${problem}`];
      });
    };
    const batches = Array.from({ length: Math.ceil(programs.length / 300) }, (_, index) => programs.slice(index * 300, index * 300 + 300));
    const problems = (await inParallel(batches, 2, settle)).flat();
    assert.deepEqual(problems, []);
    assert.ok(rejected < programs.length / 20, `the generator made ${rejected} programs Nix rejects`);
  });

  it(`agrees on mutated fixtures: accepted or rejected alike, and printed alike (seed ${SEED})`, () => {
    const sources = FIXTURE_FILES.map((file) => readFileSync(file, 'utf8'));
    let counter = 0;
    fc.assert(
      fc.property(fc.nat(sources.length - 1), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (index, mutations) => {
        const text = mutations.reduce(mutate, sources[index]!);
        const file = join(dir, `mutated-${counter++}.nix`);
        writeFileSync(file, text);
        const problem = disagreement(text, nixParse(file), dir, home);
        assert.equal(problem, undefined, problem);
      }),
      { numRuns: 250 * SCALE, seed: SEED },
    );
  });
});
