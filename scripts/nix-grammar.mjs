// Generates syntaxes/nix.tmLanguage.json (regexes are easier to read and reuse here than in JSON).
// Usage: node scripts/nix-grammar.mjs > syntaxes/nix.tmLanguage.json
const ID = "[A-Za-z_][\\w'-]*";
const NB = "(?<![\\w'-])"; // not preceded by an identifier character
const NA = "(?![\\w'-])"; // not followed by one
const STR_ATTR = '"(?:[^"\\\\]|\\\\.)*"';
const kw = (word, scope) => ({ match: `${NB}(${word})${NA}`, captures: { 1: { name: scope } } });
const grammar = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'Nix',
  scopeName: 'source.nix',
  fileTypes: ['nix'],
  patterns: [{ include: '#expression' }],
  repository: {
    expression: {
      patterns: [
        { include: '#comments' },
        { include: '#strings' },
        { include: '#interpolation' },
        { include: '#lambda-set' },
        { include: '#attrset' },
        { include: '#let' },
        { include: '#with-assert' },
        { include: '#parens' },
        { include: '#list' },
        { include: '#url' },
        { include: '#search-path' },
        { include: '#path' },
        { include: '#lambda-simple' },
        { include: '#keywords' },
        { include: '#constants' },
        { include: '#builtins' },
        { include: '#select' },
        { include: '#number' },
        { include: '#identifier' },
        { include: '#operators' },
        { match: ';', name: 'punctuation.terminator.nix' },
        { match: ',', name: 'punctuation.separator.nix' },
      ],
    },
    comments: {
      patterns: [
        {
          begin: '#',
          end: '$',
          name: 'comment.line.number-sign.nix',
          beginCaptures: { 0: { name: 'punctuation.definition.comment.nix' } },
        },
        {
          begin: '/\\*',
          end: '\\*/',
          name: 'comment.block.nix',
          beginCaptures: { 0: { name: 'punctuation.definition.comment.begin.nix' } },
          endCaptures: { 0: { name: 'punctuation.definition.comment.end.nix' } },
        },
      ],
    },
    strings: {
      patterns: [
        {
          name: 'string.quoted.double.nix',
          begin: '"',
          end: '"',
          beginCaptures: { 0: { name: 'punctuation.definition.string.begin.nix' } },
          endCaptures: { 0: { name: 'punctuation.definition.string.end.nix' } },
          patterns: [{ match: '\\\\.', name: 'constant.character.escape.nix' }, { match: '\\$\\$' }, { include: '#interpolation' }],
        },
        {
          // Indented string: '' is closed by '' unless it starts an escape (''' ''$ ''\x).
          name: 'string.quoted.other.indented.nix',
          begin: "''",
          end: "''(?![$'\\\\])",
          beginCaptures: { 0: { name: 'punctuation.definition.string.begin.nix' } },
          endCaptures: { 0: { name: 'punctuation.definition.string.end.nix' } },
          patterns: [
            { match: "''(?:'|\\$|\\\\.)", name: 'constant.character.escape.nix' },
            { match: '\\$\\$' },
            { include: '#interpolation' },
          ],
        },
      ],
    },
    interpolation: {
      name: 'meta.embedded.interpolation.nix',
      begin: '\\$\\{',
      end: '\\}',
      beginCaptures: { 0: { name: 'punctuation.section.embedded.begin.nix' } },
      endCaptures: { 0: { name: 'punctuation.section.embedded.end.nix' } },
      contentName: 'source.nix',
      patterns: [{ include: '#expression' }],
    },
    'lambda-set': {
      // { a, b ? d, ... }: or { ... } @ args: on one line (one level of nested braces in defaults).
      name: 'meta.function.parameters.nix',
      begin: `(?:(${ID})\\s*(@)\\s*)?(\\{)(?=(?:[^{}]|\\{[^{}]*\\})*\\}\\s*(?:@\\s*${ID}\\s*)?:)`,
      beginCaptures: {
        1: { name: 'variable.parameter.nix' },
        2: { name: 'keyword.operator.at.nix' },
        3: { name: 'punctuation.definition.parameters.begin.nix' },
      },
      end: `(\\})\\s*(?:(@)\\s*(${ID})\\s*)?(:)`,
      endCaptures: {
        1: { name: 'punctuation.definition.parameters.end.nix' },
        2: { name: 'keyword.operator.at.nix' },
        3: { name: 'variable.parameter.nix' },
        4: { name: 'punctuation.separator.lambda.nix' },
      },
      patterns: [
        { include: '#comments' },
        { match: '\\.\\.\\.', name: 'keyword.operator.ellipsis.nix' },
        { match: ',', name: 'punctuation.separator.parameter.nix' },
        {
          begin: `(${ID})\\s*(\\?)`,
          beginCaptures: { 1: { name: 'variable.parameter.nix' }, 2: { name: 'keyword.operator.default.nix' } },
          end: '(?=[,}])',
          patterns: [{ include: '#expression' }],
        },
        { match: ID, name: 'variable.parameter.nix' },
      ],
    },
    attrset: {
      name: 'meta.attrset.nix',
      begin: `(?:${NB}(rec)${NA}\\s*)?(\\{)`,
      beginCaptures: { 1: { name: 'keyword.other.rec.nix' }, 2: { name: 'punctuation.definition.attrset.begin.nix' } },
      end: '(\\})(?:\\s*(:))?',
      endCaptures: { 1: { name: 'punctuation.definition.attrset.end.nix' }, 2: { name: 'punctuation.separator.lambda.nix' } },
      // A function head spread over lines is not seen by #lambda-set (one line only): at this level
      // `name ?`, `name,` and `, name` only occur in parameter patterns, never in bindings.
      patterns: [
        { match: '\\.\\.\\.', name: 'keyword.operator.ellipsis.nix' },
        { match: `(${ID})\\s*(\\?)`, captures: { 1: { name: 'variable.parameter.nix' }, 2: { name: 'keyword.operator.default.nix' } } },
        {
          match: `(,)\\s*(${ID})(?!\\s*[=.])`,
          captures: { 1: { name: 'punctuation.separator.parameter.nix' }, 2: { name: 'variable.parameter.nix' } },
        },
        { match: `(${ID})\\s*(?=,)`, captures: { 1: { name: 'variable.parameter.nix' } } },
        { include: '#bindings' },
      ],
    },
    let: {
      name: 'meta.let.nix',
      begin: `${NB}(let)${NA}`,
      beginCaptures: { 1: { name: 'keyword.other.let.nix' } },
      end: `${NB}(in)${NA}`,
      endCaptures: { 1: { name: 'keyword.other.in.nix' } },
      patterns: [{ include: '#bindings' }],
    },
    bindings: {
      patterns: [
        { include: '#comments' },
        {
          name: 'meta.inherit.nix',
          begin: `${NB}(inherit)${NA}`,
          beginCaptures: { 1: { name: 'keyword.other.inherit.nix' } },
          end: ';',
          endCaptures: { 0: { name: 'punctuation.terminator.nix' } },
          patterns: [
            { include: '#comments' },
            { include: '#parens' },
            { include: '#strings' },
            { match: ID, name: 'entity.other.attribute-name.nix' },
          ],
        },
        {
          name: 'meta.binding.nix',
          begin: `((?:${ID}|${STR_ATTR}|\\$\\{[^}]*\\})(?:\\s*\\.\\s*(?:${ID}|${STR_ATTR}|\\$\\{[^}]*\\}))*)\\s*(=)(?!=)`,
          beginCaptures: {
            1: {
              patterns: [
                { include: '#strings' },
                { include: '#interpolation' },
                { match: '\\.', name: 'punctuation.accessor.nix' },
                { match: ID, name: 'entity.other.attribute-name.nix' },
              ],
            },
            2: { name: 'keyword.operator.bind.nix' },
          },
          end: ';',
          endCaptures: { 0: { name: 'punctuation.terminator.binding.nix' } },
          patterns: [{ include: '#expression' }],
        },
        { include: '#expression' },
      ],
    },
    'with-assert': {
      // with e; and assert e; own their semicolon, so a binding's value does not end there.
      begin: `${NB}(with|assert)${NA}`,
      beginCaptures: { 1: { name: 'keyword.other.$1.nix' } },
      end: ';',
      endCaptures: { 0: { name: 'punctuation.terminator.nix' } },
      patterns: [{ include: '#expression' }],
    },
    parens: {
      begin: '\\(',
      end: '\\)',
      beginCaptures: { 0: { name: 'punctuation.section.parens.begin.nix' } },
      endCaptures: { 0: { name: 'punctuation.section.parens.end.nix' } },
      patterns: [{ include: '#expression' }],
    },
    list: {
      name: 'meta.list.nix',
      begin: '\\[',
      end: '\\]',
      beginCaptures: { 0: { name: 'punctuation.definition.list.begin.nix' } },
      endCaptures: { 0: { name: 'punctuation.definition.list.end.nix' } },
      patterns: [{ include: '#expression' }],
    },
    // Nix's lexer: a URI is scheme:chars with no space, so `x: y` is a lambda but `x:y` a URI.
    url: { match: "[a-zA-Z][a-zA-Z0-9+\\-.]*:[a-zA-Z0-9%/?:@&=+$,\\-_.!~*']+", name: 'string.unquoted.url.nix' },
    'search-path': { match: '<[a-zA-Z0-9._\\-+]+(?:/[a-zA-Z0-9._\\-+]+)*>', name: 'string.unquoted.path.search.nix' },
    path: { match: `${NB}(?:~|[a-zA-Z0-9._\\-+]*)(?:/[a-zA-Z0-9._\\-+]+)+/?`, name: 'string.unquoted.path.nix' },
    'lambda-simple': {
      match: `${NB}(${ID})\\s*(:)(?![:])`,
      captures: { 1: { name: 'variable.parameter.nix' }, 2: { name: 'punctuation.separator.lambda.nix' } },
    },
    keywords: {
      patterns: [
        kw('if|then|else', 'keyword.control.conditional.nix'),
        kw('let|in|rec|inherit|with|assert', 'keyword.other.nix'),
        kw('or', 'keyword.operator.or.nix'),
      ],
    },
    constants: { patterns: [kw('true|false', 'constant.language.boolean.nix'), kw('null', 'constant.language.null.nix')] },
    builtins: {
      patterns: [
        kw('builtins', 'support.constant.builtins.nix'),
        kw(
          'abort|baseNameOf|derivation|dirOf|fetchGit|fetchMercurial|fetchTarball|fetchTree|fetchurl|fromTOML|import|isNull|map|placeholder|removeAttrs|scopedImport|throw|toString',
          'support.function.builtin.nix',
        ),
      ],
    },
    select: {
      // a.b.c: the names after a dot are attribute names, even keywords (a.or).
      match: `(\\.)\\s*(${ID})`,
      captures: { 1: { name: 'punctuation.accessor.nix' }, 2: { name: 'variable.other.property.nix' } },
    },
    number: { match: `${NB}(?:\\d+\\.\\d*|\\.\\d+|\\d+)(?:[Ee][+-]?\\d+)?${NA}`, name: 'constant.numeric.nix' },
    identifier: { match: ID, name: 'variable.other.nix' },
    operators: {
      patterns: [
        { match: '==|!=|<=|>=|&&|\\|\\||->|//|\\+\\+', name: 'keyword.operator.nix' },
        { match: '[-+*/<>!?@]', name: 'keyword.operator.nix' },
        { match: '=', name: 'keyword.operator.bind.nix' },
      ],
    },
  },
};
process.stdout.write(JSON.stringify(grammar, null, 2) + '\n');
