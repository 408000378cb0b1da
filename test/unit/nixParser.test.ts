// The Nix parser (src/core/nix): tree shapes, offsets, cooked strings, comments,
// recovery from half-typed files, limits and speed. Agreement with Nix itself on
// fixtures, tricky expressions and generated programs is in test/nix/parser.test.ts.
import * as assert from 'node:assert/strict';
import {
  findNodes,
  findUndefinedVariables,
  isInComment,
  nodesAt,
  parseNix,
  staticAttrName,
  stringValue,
  unparen,
  walkNix,
  type ApplyNode,
  type AttrDef,
  type AttrSetNode,
  type Expr,
  type NixNode,
  type StringNode,
} from '../../src/core/nix/parser';
import { forEachChild } from '../../src/core/nix/walk';

/** A compact, parser-independent view of a tree: `(kind-or-operator children…)`. */
function sexpr(node: NixNode): string {
  const children: string[] = [];
  forEachChild(node, (child) => children.push(sexpr(child)));
  const label = (() => {
    switch (node.kind) {
      case 'Var':
      case 'Identifier':
        return node.name;
      case 'Literal':
        return JSON.stringify(node.value);
      case 'Int':
      case 'Float':
        return String(node.value);
      case 'BinaryOp':
      case 'UnaryOp':
        return node.op;
      case 'SearchPath':
        return `<${node.path}>`;
      case 'Uri':
        return node.value;
      default:
        return node.kind;
    }
  })();
  return children.length > 0 ? `(${label} ${children.join(' ')})` : label;
}

function parseOk(text: string): Expr {
  const result = parseNix(text);
  assert.deepEqual(result.errors, [], `errors for ${JSON.stringify(text)}`);
  assert.ok(result.ast);
  return result.ast;
}

const shape = (text: string): string => sexpr(parseOk(text));

/** Every string literal whose cooked value satisfies `test`. */
function literals(ast: Expr, test: (value: string) => boolean): { value: string; start: number; end: number }[] {
  return findNodes(ast, (node): node is StringNode => node.kind === 'String')
    .flatMap(({ node }) => node.parts)
    .flatMap((part) => (part.kind === 'Literal' && test(part.value) ? [part] : []));
}

/** The names in every list that is the argument of a `withPackages (ps: …)`. */
function packageLists(ast: Expr): string[][] {
  const calls = findNodes(ast, (node): node is ApplyNode => node.kind === 'Apply' && unparen(node.func).kind === 'Select');
  return calls
    .filter(({ node }) => {
      const func = unparen(node.func);
      return func.kind === 'Select' && staticAttrName(func.path[func.path.length - 1]!) === 'withPackages';
    })
    .map(({ node }) => {
      const names: string[] = [];
      walkNix(node.args[0]!, (inner) => {
        if (inner.kind === 'List') for (const element of inner.elements) if (element.kind === 'Var') names.push(element.name);
      });
      return names;
    });
}

const SHELL_NIX = `# PPL shell
{ pkgs ? import (fetchTarball {
    url = "https://github.com/NixOS/nixpkgs/archive/614b4613980a522ba49f0d194531beddbb7220d3.tar.gz";
    sha256 = "1kipdjdjcd1brm5a9lzlhffrgyid0byaqwfnpzlmw3q825z7nj6w";
  }) { } }:
let
  python = pkgs.python311.withPackages (ps: with ps; [ pymc arviz numpy ]); /* the stack */
in
pkgs.mkShell { packages = [ python ]; }
`;

describe('Nix parser', () => {
  describe('trees', () => {
    it('reads the shapes of every construct', () => {
      assert.equal(shape('x: { a, b ? 1, ... }@args: args'), '(Lambda x (Lambda args (Formals (Formal a) (Formal b 1)) args))');
      assert.equal(shape('args@{ a }: a'), '(Lambda args (Formals (Formal a)) a)');
      assert.equal(shape('let a = 1; inherit (b) c d; in a'), '(Let (AttrDef a 1) (Inherit b c d) a)');
      assert.equal(shape('let { body = 1; }'), '(LegacyLet (AttrDef body 1))');
      assert.equal(
        shape('rec { a.b.c = 1; "d" = 2; ${e} = 3; }'),
        '(AttrSet (AttrDef a b c 1) (AttrDef (String "d") 2) (AttrDef (Interpolation e) 3))',
      );
      assert.equal(shape('with a; assert b; if c then d else e'), '(With a (Assert b (If c d e)))');
      assert.equal(shape('a.b."c".${d} or e'), '(Select a b (String "c") (Interpolation d) e)');
      assert.equal(shape('a ? b.c'), '(HasAttr a b c)');
      assert.equal(shape('[ 1 2.5 ./a <nixpkgs> https://x.org/y.tar.gz ]'), '(List 1 2.5 (Path "./a") <nixpkgs> https://x.org/y.tar.gz)');
      assert.equal(shape('f a b (g c)'), '(Apply f a b (Paren (Apply g c)))');
    });

    it('follows Nix precedence and associativity', () => {
      assert.equal(shape('1 + 2 * 3'), '(+ 1 (* 2 3))');
      assert.equal(shape('a - b - c'), '(- (- a b) c)');
      assert.equal(shape('a ++ b ++ c'), '(++ a (++ b c))');
      assert.equal(shape('a // b // c'), '(// a (// b c))');
      assert.equal(shape('a -> b -> c'), '(-> a (-> b c))');
      assert.equal(shape('a || b && c'), '(|| a (&& b c))');
      assert.equal(shape('!a == b'), '(== (! a) b)');
      assert.equal(shape('!a + b'), '(! (+ a b))');
      assert.equal(shape('-f x'), '(- (Apply f x))');
      assert.equal(shape('-a ? b'), '(HasAttr (- a) b)');
      assert.equal(shape('!a ? b'), '(! (HasAttr a b))');
      assert.equal(shape('a ? b ? c'), '(HasAttr (HasAttr a b) c)');
      assert.equal(shape('a < b == c'), '(== (< a b) c)');
      assert.equal(shape('a * !b + c'), '(* a (! (+ b c)))');
      assert.equal(shape('f a.b or c d'), '(Apply f (Select a b c) d)');
    });

    it('lexes as Nix does: paths, URLs, names with dashes and quotes, `or` as a name', () => {
      assert.equal(shape('a/b'), '(Path "a/b")');
      assert.equal(shape('x:y'), 'x:y');
      assert.equal(shape('x: y'), '(Lambda x y)');
      assert.equal(shape('a-b'), 'a-b');
      assert.equal(shape("a'"), "a'");
      assert.equal(shape('1.5.x'), '(Select 1.5 x)');
      assert.equal(shape('./a/${b}.nix'), '(Path "./a/" (Interpolation b) ".nix")');
      assert.equal(shape('map or [ ]'), '(Apply (Apply map or) List)');
      assert.equal(shape('{ or = 1; }.or'), '(Select (AttrSet (AttrDef or 1)) or)');
      assert.equal(shape('__curPos'), '__curPos');
    });
  });

  describe('offsets and strings', () => {
    it('gives every node its exact source span', () => {
      const text = '{ a = f "x"; }';
      const ast = parseOk(text) as AttrSetNode;
      const binding = ast.bindings[0] as AttrDef;
      assert.deepEqual([ast.start, ast.end], [0, text.length]);
      assert.equal(text.slice(binding.start, binding.end), 'a = f "x";');
      assert.equal(text.slice(binding.value.start, binding.value.end), 'f "x"');
      walkNix(ast, (node, parents) => {
        for (const parent of parents) assert.ok(parent.start <= node.start && node.end <= parent.end, `${node.kind} inside ${parent.kind}`);
      });
    });

    it('cooks escapes and keeps the span of each literal, so a URL can be replaced in place', () => {
      const ast = parseOk(SHELL_NIX);
      const [url] = literals(ast, (value) => value.startsWith('https://'));
      assert.ok(url);
      assert.equal(SHELL_NIX.slice(url.start, url.end), url.value);
      const edited = `${SHELL_NIX.slice(0, url.start)}https://example.org/n.tar.gz${SHELL_NIX.slice(url.end)}`;
      assert.deepEqual(
        literals(parseOk(edited), (value) => value.startsWith('https://')).map((part) => part.value),
        ['https://example.org/n.tar.gz'],
      );
      const escaped = parseOk(String.raw`"a\nb\${c}\"d\\"`) as StringNode;
      assert.equal(stringValue(escaped), 'a\nb${c}"d\\');
      assert.equal(stringValue(parseOk('"a${b}"') as StringNode), undefined);
    });

    it('strips indented strings like Nix, escapes included', () => {
      const value = (text: string): string =>
        (parseOk(text) as StringNode).parts.map((part) => (part.kind === 'Literal' ? part.value : '<>')).join('');
      assert.equal(value("''\n    a\n      b\n    c\n  ''"), 'a\n  b\nc\n');
      assert.equal(value("''\n  a\n\n  b\n''"), 'a\n\nb\n');
      assert.equal(value("''\n  ''${x}\n  '''\n  ''\\n\n''"), "${x}\n''\n\n\n");
      assert.equal(value("''\n  ${x}\n    y\n  ''"), '<>\n  y\n');
      assert.equal(value("'' a''"), 'a');
      assert.equal(value("''''"), '');
    });

    it('lists comments as spans', () => {
      const result = parseNix(SHELL_NIX);
      assert.deepEqual(
        result.comments.map((comment) => SHELL_NIX.slice(comment.start, comment.end)),
        ['# PPL shell', '/* the stack */'],
      );
      const inside = SHELL_NIX.indexOf('the stack');
      assert.ok(isInComment(result.comments, inside));
      assert.ok(!isInComment(result.comments, SHELL_NIX.indexOf('pymc')));
    });
  });

  describe('walking', () => {
    it('finds the pin and the package lists with their ancestors', () => {
      const ast = parseOk(SHELL_NIX);
      assert.deepEqual(packageLists(ast), [['pymc', 'arviz', 'numpy']]);
      const fetches = findNodes(
        ast,
        (node): node is ApplyNode =>
          node.kind === 'Apply' && unparen(node.func).kind === 'Var' && (unparen(node.func) as { name?: string }).name === 'fetchTarball',
      );
      assert.equal(fetches.length, 1);
      assert.deepEqual(
        fetches[0]!.parents.map((node) => node.kind),
        ['Lambda', 'Formals', 'Formal', 'Apply', 'Paren'],
      );
    });

    it('finds the innermost node at an offset, and can stop early', () => {
      const text = 'let a = [ pkgs.numpy ]; in a';
      const chain = nodesAt(parseOk(text), text.indexOf('numpy') + 1);
      assert.deepEqual(
        chain.map((node) => node.kind),
        ['Let', 'AttrDef', 'List', 'Select', 'Identifier'],
      );
      let visited = 0;
      walkNix(parseOk(text), () => (++visited === 3 ? 'stop' : undefined));
      assert.equal(visited, 3);
    });

    it('knows which attribute names are static', () => {
      const names = (parseOk('{ a = 1; "b" = 2; ${"c"} = 3; "${d}" = 4; ${e} = 5; }') as AttrSetNode).bindings.map((binding) =>
        staticAttrName((binding as AttrDef).path[0]!),
      );
      assert.deepEqual(names, ['a', 'b', 'c', undefined, undefined]);
    });
  });

  describe('errors and recovery', () => {
    const errorsOf = (text: string): string[] => parseNix(text).errors.map((error) => error.message);

    it('reports what Nix rejects at parse time beyond the grammar', () => {
      assert.match(errorsOf('{ a = 1; a = 2; }').join(), /attribute 'a' already defined/);
      assert.match(errorsOf('{ a.b = 1; a.b = 2; }').join(), /attribute 'a.b' already defined/);
      assert.deepEqual(errorsOf('{ a.b = 1; a = { c = 2; }; }'), []);
      assert.match(errorsOf('{ a = { b = 1; }; a = { b = 2; }; }').join(), /attribute 'b' already defined/);
      assert.match(errorsOf('x: let ${x} = 1; in 1').join(), /dynamic attributes not allowed in let/);
      assert.match(errorsOf('x: { inherit "${x}"; }').join(), /dynamic attributes not allowed in inherit/);
      assert.match(errorsOf('{ a, a }: a').join(), /duplicate formal function argument 'a'/);
      assert.match(errorsOf('a@{ a }: a').join(), /duplicate formal/);
      assert.match(errorsOf('9223372036854775808').join(), /invalid integer/);
      assert.match(errorsOf('./a/').join(), /trailing slash/);
      assert.ok(errorsOf('a == b == c').length > 0);
      assert.ok(errorsOf('[ -1 ]').length > 0);
    });

    it('reports undefined variables separately, as nix-instantiate --parse does', () => {
      const undefinedIn = (text: string): string[] => findUndefinedVariables(parseOk(text)).map((error) => error.message);
      assert.deepEqual(undefinedIn('x: let a = b; b = x; in [ a map builtins.head __curPos ]'), []);
      assert.deepEqual(undefinedIn('rec { a = b; b = 1; }'), []);
      assert.deepEqual(undefinedIn('{ a = b; b = 1; }'), ["undefined variable 'b'"]);
      assert.deepEqual(undefinedIn('let inherit a; in 1'), ["undefined variable 'a'"]);
      assert.deepEqual(undefinedIn('with pkgs; [ numpy ]'), ["undefined variable 'pkgs'"]);
      assert.deepEqual(undefinedIn('{ pkgs }: with pkgs; [ numpy ]'), []);
      assert.deepEqual(undefinedIn('{ a ? b, b ? a }@c: c'), []);
    });

    it('keeps the bindings around a broken one', () => {
      const result = parseNix('{ a = 1; b = ; c = [ 3 ; d = 4; }');
      assert.ok(result.errors.length >= 2);
      const bindings = (result.ast as AttrSetNode).bindings as AttrDef[];
      assert.deepEqual(
        bindings.map((binding) => staticAttrName(binding.path[0]!)),
        ['a', 'b', 'c', 'd'],
      );
      assert.equal(bindings[1]!.value.kind, 'Error');
    });

    it('recovers from a forgotten semicolon, a half-typed select and a stray comma', () => {
      const result = parseNix('{ a = f x\n  b = [ pkgs.numpy pkgs. ];\n  c = [ pymc, arviz ];\n}');
      assert.equal(result.errors.length, 3);
      const bindings = (result.ast as AttrSetNode).bindings as AttrDef[];
      assert.deepEqual(
        bindings.map((binding) => sexpr(binding)),
        ['(AttrDef a (Apply f x))', '(AttrDef b (List (Select pkgs numpy) (Select pkgs)))', '(AttrDef c (List pymc arviz))'],
      );
    });

    it('still yields the pin and the packages while a line is being typed', () => {
      const lines = SHELL_NIX.split('\n');
      const edits = [
        '  python = pkgs.python311.withPack',
        '  foo = "',
        '  foo = {',
        '  foo = [',
        '  foo = (',
        '  ,',
        '  }',
        '  foo = x:',
        '  inherit',
        '  foo = if',
      ];
      for (const edit of edits) {
        const text = [...lines.slice(0, 6), edit, ...lines.slice(6)].join('\n');
        const result = parseNix(text);
        assert.ok(result.errors.length > 0, edit);
        assert.ok(result.ast, edit);
        assert.equal(
          literals(result.ast, (value) => value.startsWith('https://github.com/NixOS/nixpkgs/archive/')).length,
          1,
          `pin after ${edit}`,
        );
        assert.deepEqual(packageLists(result.ast).at(-1), ['pymc', 'arviz', 'numpy'], `packages after ${edit}`);
      }
    });

    it('closes a string left open at the end of its line', () => {
      const result = parseNix('{\n  url = "https://x/y.tar.gz;\n  sha256 = "abc";\n}');
      assert.match(result.errors[0]!.message, /unterminated string/);
      assert.deepEqual(
        (result.ast as AttrSetNode).bindings.map((binding) => sexpr(binding)),
        ['(AttrDef url (String "https://x/y.tar.gz;"))', '(AttrDef sha256 (String "abc"))'],
      );
    });

    it('never throws, on any input, and bounds its recursion', function () {
      this.timeout(30_000);
      const inputs = [
        '',
        ' ',
        '# only a comment',
        '}',
        ')',
        ']',
        '"',
        "''",
        '${',
        '{',
        '[',
        '(',
        'let',
        'in',
        'if',
        '...',
        '@',
        '\\',
        '\u0000',
        'é',
        '/*',
        '<',
        '~',
        'a:',
        'a@',
        '{ a ? }: 1',
        'rec',
        'inherit',
        'or',
        '"${',
        "''${",
        './${',
        '~/${',
      ];
      for (const input of inputs) assert.doesNotThrow(() => parseNix(input), JSON.stringify(input));
      assert.equal(parseNix('').ast, undefined);
      assert.equal(parseNix(' # nothing\n').ast, undefined);
      const deep = 100_000;
      for (const [open, close] of [
        ['(', ')'],
        ['[', ']'],
        ['{ a = ', '; }'],
        ['"${', '}"'],
        ['x: ', ''],
        ['-', ''],
        ['!', ''],
        ['let a = 1; in ', ''],
        ['a.b or ', ''],
        ['1 ++ ', ''],
      ] as const) {
        const text = `${open.repeat(deep)}1${close.repeat(deep)}`;
        const result = parseNix(text);
        assert.ok(
          result.errors.some((error) => /nested too deeply/.test(error.message)),
          open,
        );
        if (result.ast) walkNix(result.ast, () => undefined);
      }
      assert.doesNotThrow(() => parseNix(`1${' + 1'.repeat(deep)}`));
      assert.deepEqual(parseNix(`${'('.repeat(200)}1${')'.repeat(200)}`).errors, []);
    });
  });

  describe('speed', () => {
    it('parses 200 KB in well under 100 ms (linear time)', function () {
      this.timeout(20_000);
      const body = Array.from({ length: 560 }, (_, index) => `(\n${SHELL_NIX.replace('python =', `python${index} =`)}\n)`).join('\n');
      const text = `[\n${body}\n]`;
      assert.ok(text.length >= 200_000, `${text.length} characters`);
      parseNix(text); // warm up the JIT, as in a long-running language server
      const times = Array.from({ length: 5 }, () => {
        const start = performance.now();
        parseNix(text);
        return performance.now() - start;
      }).sort((a, b) => a - b);
      // The fastest run is the parser's own cost; the others add whatever else the machine is doing.
      const [fastest, , median] = times as [number, number, number];
      console.log(`      200 KB: fastest ${fastest.toFixed(1)} ms, median ${median.toFixed(1)} ms over 5 runs`);
      assert.ok(fastest < 100, `fastest ${fastest} ms`);
      // Doubling the input roughly doubles the time: no quadratic corner.
      const doubled = `[ ${text} ${text} ]`;
      const start = performance.now();
      parseNix(doubled);
      assert.ok(performance.now() - start < 6 * median + 50, 'twice the text, at most a few times the time');
    });

    it('stays linear on pathological inputs', function () {
      this.timeout(20_000);
      for (const text of [
        '"'.repeat(100_001),
        '{'.repeat(100_000),
        'a.'.repeat(100_000),
        '${'.repeat(100_000),
        "''".repeat(100_001),
        'x: '.repeat(100_000),
        '/*'.repeat(100_000),
        '{ a = 1\n'.repeat(20_000),
      ]) {
        const start = performance.now();
        parseNix(text);
        assert.ok(performance.now() - start < 1000, `${text.slice(0, 6)}… took ${performance.now() - start} ms`);
      }
    });
  });
});
