// The Nix TextMate grammar (syntaxes/nix.tmLanguage.json), tokenized by the same engine VS Code
// uses (vscode-textmate + the Oniguruma wasm), on the files users actually open.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = join(__dirname, '../../..');

interface Token {
  readonly line: number;
  readonly text: string;
  readonly scopes: readonly string[];
}

let grammar: textmate.IGrammar;

before(async () => {
  const wasm = readFileSync(join(root, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (s: string[]) => new oniguruma.OnigScanner(s),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) =>
      scope === 'source.nix'
        ? textmate.parseRawGrammar(readFileSync(join(root, 'syntaxes/nix.tmLanguage.json'), 'utf8'), 'nix.tmLanguage.json')
        : null,
  });
  const loaded = await registry.loadGrammar('source.nix');
  assert.ok(loaded, 'the grammar loads');
  grammar = loaded;
});

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let stack = textmate.INITIAL;
  source.split('\n').forEach((lineText, line) => {
    const result = grammar.tokenizeLine(lineText, stack);
    for (const token of result.tokens) tokens.push({ line, text: lineText.slice(token.startIndex, token.endIndex), scopes: token.scopes });
    stack = result.ruleStack;
  });
  return tokens;
}

/** The innermost scope of the nth token whose text is exactly `text` (trimmed). */
function scopeOf(tokens: readonly Token[], text: string, nth = 0): string {
  const found = tokens.filter((token) => token.text.trim() === text)[nth];
  assert.ok(found, `a token "${text}" (#${nth}) exists; tokens: ${tokens.map((t) => JSON.stringify(t.text)).join(' ')}`);
  return found.scopes[found.scopes.length - 1]!;
}

function scopesOf(tokens: readonly Token[], text: string, nth = 0): readonly string[] {
  const found = tokens.filter((token) => token.text.trim() === text)[nth];
  assert.ok(found, `a token "${text}" (#${nth}) exists`);
  return found.scopes;
}

/** The stack at the end of the text: a file must close every string, list and brace it opens. */
function endsBalanced(source: string): boolean {
  let stack = textmate.INITIAL;
  for (const line of source.split('\n')) stack = grammar.tokenizeLine(line, stack).ruleStack;
  return stack.equals(grammar.tokenizeLine('', textmate.INITIAL).ruleStack);
}

describe('Nix grammar', () => {
  it('scopes the seed shell.nix (the 2022 post, as published): keywords, builtins, attribute names, strings, lambdas, packages, comments', () => {
    const source = readFileSync(join(root, 'test/fixtures/tweag-2022/shell.nix'), 'utf8');
    const tokens = tokenize(source);
    assert.match(scopeOf(tokens, 'let'), /^keyword\.other\.let/);
    assert.match(scopeOf(tokens, 'in'), /^keyword\.other\.in/);
    assert.equal(scopeOf(tokens, 'import'), 'support.function.builtin.nix');
    assert.equal(scopeOf(tokens, 'fetchTarball'), 'support.function.builtin.nix');
    for (const name of ['default_pkgs', 'url', 'sha256', 'pythonBundle', 'buildInputs'])
      assert.equal(scopeOf(tokens, name), 'entity.other.attribute-name.nix', name);
    assert.equal(scopeOf(tokens, 'http://github.com/NixOS/nixpkgs/archive/nixpkgs-unstable.tar.gz'), 'string.quoted.double.nix');
    assert.equal(scopeOf(tokens, 'pkgs'), 'variable.parameter.nix', 'the formal of `{ pkgs ? … }:`');
    assert.equal(scopeOf(tokens, 'ps'), 'variable.parameter.nix');
    assert.match(scopeOf(tokens, 'with'), /^keyword\.other\.with/);
    for (const name of ['pymc3', 'matplotlib', 'numpy', 'ipython']) {
      assert.equal(scopeOf(tokens, name), 'variable.other.nix', name);
      assert.ok(scopesOf(tokens, name).includes('meta.list.nix'), `${name} is inside the list`);
    }
    assert.ok(
      tokens.some((t) => t.text.includes('Pin the package collection') && t.scopes.some((scope) => scope.startsWith('comment.'))),
      'comments are comments',
    );
    assert.ok(endsBalanced(source));
  });

  it('tokenizes every golden shell.nix to a balanced end, with the lambda pattern and shellHook string', () => {
    const dir = join(root, 'test/unit/golden');
    // A flake has no `{ pkgs ? … }:` head: it is checked below.
    const files = readdirSync(dir).filter((name) => name.endsWith('.nix') && !name.endsWith('.flake.nix'));
    assert.ok(files.length >= 3);
    for (const name of files) {
      const source = readFileSync(join(dir, name), 'utf8');
      const tokens = tokenize(source);
      assert.ok(endsBalanced(source), `${name} ends balanced`);
      assert.equal(
        scopeOf(tokens, 'ppl-nix:begin header (managed by PPL Nix: change it with "Create PPL Nix shell")'),
        'comment.line.number-sign.nix',
        name,
      );
      // { pkgs ? import nixpkgs { } }: is a function head, not an attribute set.
      assert.equal(scopeOf(tokens, 'pkgs'), 'variable.parameter.nix', name);
      assert.ok(scopesOf(tokens, 'pkgs').includes('meta.function.parameters.nix'));
      assert.equal(scopeOf(tokens, '?'), 'keyword.operator.default.nix', name);
      assert.equal(scopeOf(tokens, 'nixpkgs', 1), 'variable.other.nix', `${name}: the default value is an expression`);
      assert.equal(scopeOf(tokens, 'shellHook'), 'entity.other.attribute-name.nix', name);
      assert.equal(scopeOf(tokens, "''"), 'punctuation.definition.string.begin.nix', name);
      assert.ok(
        scopesOf(tokens, '# ppl-nix:begin shellHook').includes('string.quoted.other.indented.nix'),
        `${name}: a comment inside '' '' is string text`,
      );
    }
    const flakeSource = readFileSync(join(dir, 'stan.flake.nix'), 'utf8');
    const flake = tokenize(flakeSource);
    assert.ok(endsBalanced(flakeSource), 'stan.flake.nix ends balanced');
    assert.equal(scopeOf(flake, 'shellHook'), 'entity.other.attribute-name.nix');
    assert.ok(scopesOf(flake, '# ppl-nix:begin shellHook').includes('string.quoted.other.indented.nix'));
    const stan = tokenize(readFileSync(join(dir, 'stan.nix'), 'utf8'));
    assert.equal(scopeOf(stan, 'CMDSTAN'), 'entity.other.attribute-name.nix');
    assert.equal(scopeOf(stan, '${'), 'punctuation.section.embedded.begin.nix');
    assert.equal(scopeOf(stan, 'cmdstan', 0), 'variable.other.property.nix', 'pkgs.cmdstan inside "${…}"');
    assert.ok(scopesOf(stan, 'cmdstan', 0).includes('meta.embedded.interpolation.nix'));
  });

  it('indented strings: escapes, nested interpolation and the literal ${ that follows two quotes', () => {
    const tokens = tokenize(
      [
        "{ x = ''",
        "  a ''$ b ''' c ''\\n d",
        "  ${ f \"in ${ g ''deep ${h}'' } side\" }",
        "  ''${notInterpolated}",
        "'';",
        'y = 1; }',
      ].join('\n'),
    );
    assert.equal(scopeOf(tokens, "''$"), 'constant.character.escape.nix');
    assert.equal(scopeOf(tokens, "'''"), 'constant.character.escape.nix');
    assert.equal(scopeOf(tokens, "''\\n"), 'constant.character.escape.nix');
    // Three levels: indented string → interpolation → "…" → interpolation → ''…'' → interpolation.
    const h = scopesOf(tokens, 'h');
    assert.equal(h.filter((scope) => scope === 'meta.embedded.interpolation.nix').length, 3);
    assert.equal(h.at(-1), 'variable.other.nix');
    assert.equal(scopeOf(tokens, 'g'), 'variable.other.nix');
    assert.equal(scopeOf(tokens, "''$", 1), 'constant.character.escape.nix', "''$ escapes the dollar of ''${");
    assert.equal(scopeOf(tokens, '{notInterpolated}'), 'string.quoted.other.indented.nix');
    assert.equal(scopeOf(tokens, 'y'), 'entity.other.attribute-name.nix', 'the string closed');
    assert.equal(scopeOf(tokens, '1'), 'constant.numeric.nix');
  });

  it('URLs versus paths versus lambdas', () => {
    const tokens = tokenize(
      '{ a = https://example.org/x.tar.gz; b = ./x/y.nix; c = <nixpkgs>; d = ~/src; e = x: x; f = /etc/nix; g = a/b; h = x:y; }',
    );
    assert.equal(scopeOf(tokens, 'https://example.org/x.tar.gz'), 'string.unquoted.url.nix');
    assert.equal(scopeOf(tokens, './x/y.nix'), 'string.unquoted.path.nix');
    assert.equal(scopeOf(tokens, '<nixpkgs>'), 'string.unquoted.path.search.nix');
    assert.equal(scopeOf(tokens, '~/src'), 'string.unquoted.path.nix');
    assert.equal(scopeOf(tokens, '/etc/nix'), 'string.unquoted.path.nix');
    assert.equal(scopeOf(tokens, 'a/b'), 'string.unquoted.path.nix');
    assert.equal(scopeOf(tokens, 'x'), 'variable.parameter.nix', 'x: x is a lambda');
    assert.equal(scopeOf(tokens, 'x:y'), 'string.unquoted.url.nix', 'as in Nix, x:y is a URI');
  });

  it('a function head spread over several lines still scopes its parameters', () => {
    const tokens = tokenize(['{ pkgs ? import <nixpkgs> { },', '  lib,', '  ...', '}:', 'pkgs.mkShell { name = lib.version; }'].join('\n'));
    assert.equal(scopeOf(tokens, 'pkgs'), 'variable.parameter.nix');
    assert.equal(scopeOf(tokens, '?'), 'keyword.operator.default.nix');
    assert.equal(scopeOf(tokens, '<nixpkgs>'), 'string.unquoted.path.search.nix');
    assert.equal(scopeOf(tokens, 'lib'), 'variable.parameter.nix');
    assert.equal(scopeOf(tokens, '...'), 'keyword.operator.ellipsis.nix');
    assert.equal(scopeOf(tokens, ':'), 'punctuation.separator.lambda.nix');
    assert.equal(scopeOf(tokens, 'name'), 'entity.other.attribute-name.nix');
    assert.equal(scopeOf(tokens, 'lib', 1), 'variable.other.nix');
  });

  it('or is a keyword after a selection and an attribute name elsewhere', () => {
    const tokens = tokenize('let or = 1; in { a = x.y or 2; b = x.or; or = 3; }');
    assert.equal(scopeOf(tokens, 'or', 0), 'entity.other.attribute-name.nix');
    assert.equal(scopeOf(tokens, 'or', 1), 'keyword.operator.or.nix');
    assert.equal(scopeOf(tokens, 'or', 2), 'variable.other.property.nix');
    assert.equal(scopeOf(tokens, 'or', 3), 'entity.other.attribute-name.nix');
  });

  it('keywords, constants, numbers, operators, comments, rec, inherit and @-patterns', () => {
    const tokens = tokenize(
      [
        'args@{ lib, stdenv ? null, ... }:',
        'assert lib != null;',
        'rec {',
        '  inherit (lib) mkIf;',
        '  v = if true then 1.5e3 else -2 /* c */;',
        '  w = [ false ] ++ [ ] // { };',
        '  "quoted.name".x = builtins.map (y: y) [ ];',
        '}',
      ].join('\n'),
    );
    assert.equal(scopeOf(tokens, 'args'), 'variable.parameter.nix');
    assert.equal(scopeOf(tokens, 'stdenv'), 'variable.parameter.nix');
    assert.equal(scopeOf(tokens, '...'), 'keyword.operator.ellipsis.nix');
    assert.equal(scopeOf(tokens, 'null'), 'constant.language.null.nix');
    assert.match(scopeOf(tokens, 'assert'), /^keyword\.other\.assert/);
    assert.equal(scopeOf(tokens, '!='), 'keyword.operator.nix');
    assert.equal(scopeOf(tokens, 'rec'), 'keyword.other.rec.nix');
    assert.equal(scopeOf(tokens, 'inherit'), 'keyword.other.inherit.nix');
    assert.equal(scopeOf(tokens, 'mkIf'), 'entity.other.attribute-name.nix');
    for (const word of ['if', 'then', 'else']) assert.equal(scopeOf(tokens, word), 'keyword.control.conditional.nix');
    assert.equal(scopeOf(tokens, 'true'), 'constant.language.boolean.nix');
    assert.equal(scopeOf(tokens, 'false'), 'constant.language.boolean.nix');
    assert.equal(scopeOf(tokens, '1.5e3'), 'constant.numeric.nix');
    assert.equal(scopeOf(tokens, 'c'), 'comment.block.nix');
    assert.equal(scopeOf(tokens, '++'), 'keyword.operator.nix');
    assert.equal(scopeOf(tokens, '//'), 'keyword.operator.nix');
    assert.equal(scopeOf(tokens, 'quoted.name'), 'string.quoted.double.nix');
    assert.equal(scopeOf(tokens, 'x'), 'entity.other.attribute-name.nix');
    assert.equal(scopeOf(tokens, 'builtins'), 'support.constant.builtins.nix');
    assert.equal(scopeOf(tokens, 'y'), 'variable.parameter.nix');
  });

  it('is what scripts/nix-grammar.mjs generates, and is contributed for .nix with its language configuration', () => {
    const generated = spawnSync(process.execPath, [join(root, 'scripts/nix-grammar.mjs')], { encoding: 'utf8' });
    assert.equal(
      generated.stdout,
      readFileSync(join(root, 'syntaxes/nix.tmLanguage.json'), 'utf8'),
      'regenerate: node scripts/nix-grammar.mjs > syntaxes/nix.tmLanguage.json',
    );
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      contributes: {
        languages: { id: string; extensions: string[]; configuration: string }[];
        grammars: { language: string; scopeName: string; path: string }[];
      };
    };
    const language = manifest.contributes.languages.find((l) => l.id === 'nix');
    assert.deepEqual(language?.extensions, ['.nix']);
    const contributed = manifest.contributes.grammars.find((g) => g.language === 'nix');
    assert.equal(contributed?.scopeName, 'source.nix');
    assert.ok(existsSync(join(root, contributed.path)));
    const configuration = JSON.parse(readFileSync(join(root, language!.configuration), 'utf8')) as {
      comments: unknown;
      autoClosingPairs: { open: string }[];
      indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
    };
    assert.deepEqual(configuration.comments, { lineComment: '#', blockComment: ['/*', '*/'] });
    assert.ok(
      configuration.autoClosingPairs.some((pair) => pair.open === "''"),
      "'' auto-closes",
    );
    const indent = new RegExp(configuration.indentationRules.increaseIndentPattern);
    const dedent = new RegExp(configuration.indentationRules.decreaseIndentPattern);
    const opening = [
      'let',
      'pkgs.mkShell {',
      '  packages = [',
      "  shellHook = ''",
      '  python = pkgs.python312.withPackages (ps: with ps; [',
    ];
    for (const line of opening) assert.ok(indent.test(line), `Enter after "${line}" indents`);
    for (const line of ["  '';", '{ pkgs ? import nixpkgs { } }:', '    pymc', '  };'])
      assert.ok(!indent.test(line), `Enter after "${line}" keeps the indent`);
    for (const line of ['  ]);', '}', "  '';", 'in']) assert.ok(dedent.test(line), `"${line}" dedents`);
  });
});
