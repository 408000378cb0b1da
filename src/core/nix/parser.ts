// A recursive-descent parser for the Nix expression language (the grammar of
// Nix's parser.y, Nix 2.8), built to never throw and to keep going after an
// error: it reports where, leaves an Error node, and resumes at the next
// binding, list element or closing bracket. Linear in the number of tokens.
import type { BinaryOperator, Expr, Identifier, LambdaNode, ParseResult } from './ast';
import { parseAttrPath, parseBindings, parseFormals } from './bindings';
import { CLOSERS, identifier, MAX_DEPTH, MAX_ERRORS, TokenCursor } from './cursor';
import { lex, type TokenType } from './lexer';
import { parseIndentedString, parsePath, parseString } from './literals';
import { validate } from './validate';

interface Operator {
  readonly level: number;
  readonly associativity: 'left' | 'right' | 'none';
}

// Precedence from parser.y, weakest first; `!` (7) and unary `-` (12) are prefixes.
// prettier-ignore
const BINARY_OPERATORS: ReadonlyMap<TokenType, Operator> = new Map<TokenType, Operator>([
  ['->', { level: 1, associativity: 'right' }],
  ['||', { level: 2, associativity: 'left' }],
  ['&&', { level: 3, associativity: 'left' }],
  ['==', { level: 4, associativity: 'none' }], ['!=', { level: 4, associativity: 'none' }],
  ['<', { level: 5, associativity: 'none' }], ['>', { level: 5, associativity: 'none' }],
  ['<=', { level: 5, associativity: 'none' }], ['>=', { level: 5, associativity: 'none' }],
  ['//', { level: 6, associativity: 'right' }],
  ['+', { level: 8, associativity: 'left' }], ['-', { level: 8, associativity: 'left' }],
  ['*', { level: 9, associativity: 'left' }], ['/', { level: 9, associativity: 'left' }],
  ['++', { level: 10, associativity: 'right' }],
  // Declared %nonassoc in parser.y, but its right side is an attribute path, not an
  // operand, so bison never sees a conflict: `a ? b ? c` is `(a ? b) ? c`.
  ['?', { level: 11, associativity: 'left' }],
]);
const NOT_OPERAND_LEVEL = 8;
const NEGATE_OPERAND_LEVEL = 12;

/** Tokens that can begin an `expr_simple` (an application argument or list element). */
// prettier-ignore
const SIMPLE_STARTS: ReadonlySet<TokenType> = new Set<TokenType>([
  'ID', 'INT', 'FLOAT', 'STRING_OPEN', 'IND_STRING_OPEN', 'PATH', 'HPATH', 'SPATH', 'URI', '(', '{', '[', 'REC',
]);

export * from './ast';
export { childrenOf, findNodes, forEachChild, nodesAt, walkNix, type VisitResult } from './walk';
export { findUndefinedVariables, NIX_GLOBALS } from './scope';

/** Parses Nix source; never throws. */
export function parseNix(text: string): ParseResult {
  try {
    const lexed = lex(text);
    const parser = new Parser(lexed.tokens, [...lexed.errors]);
    const ast = parser.parseFile();
    const errors = [...parser.errors];
    if (ast !== undefined && errors.length < MAX_ERRORS) errors.push(...validate(ast));
    errors.sort((a, b) => a.start - b.start);
    return { ast, errors: errors.slice(0, MAX_ERRORS), comments: lexed.comments };
  } catch (problem) {
    // A safety net only (the fuzz tests find no way here): callers must never see an exception.
    return { ast: undefined, errors: [{ message: `internal parser error: ${String(problem)}`, start: 0, end: text.length }], comments: [] };
  }
}

export class Parser extends TokenCursor {
  /** How many `let … in` binding lists enclose the current point: there `in` closes an attribute set left open. */
  letNesting = 0;

  parseFile(): Expr | undefined {
    if (this.at('EOF')) return undefined;
    const ast = this.parseExpr();
    if (!this.at('EOF')) this.unexpected('end of file');
    return ast;
  }

  /** `expr`: a function, `assert`, `with`, `let`, `if`, or an operator expression. */
  parseExpr(): Expr {
    if (!this.enter()) return this.tooDeep(this.peek().start);
    const expr = this.parseFunction();
    this.depth--;
    return expr;
  }

  private parseFunction(): Expr {
    const token = this.peek();
    const next = this.peek(1).type;
    if (token.type === 'ID' && next === ':') {
      this.advance();
      this.advance();
      return this.lambda(token.start, identifier(token), undefined);
    }
    if (token.type === 'ID' && next === '@' && this.peek(2).type === '{') {
      this.advance();
      this.advance();
      const formals = parseFormals(this);
      this.expect(':', "':'");
      return this.lambda(token.start, identifier(token), formals);
    }
    if (token.type === '{' && this.looksLikeFormals()) {
      const formals = parseFormals(this);
      let param: Identifier | undefined;
      if (this.eat('@')) {
        const name = this.expect('ID', 'a name after @');
        if (name) param = identifier(name);
      }
      this.expect(':', "':'");
      return this.lambda(token.start, param, formals);
    }
    if (token.type === 'ASSERT' || token.type === 'WITH') {
      this.advance();
      const first = this.parseExpr();
      this.expect(';', "';'");
      const body = this.parseExpr();
      return token.type === 'ASSERT'
        ? { kind: 'Assert', condition: first, body, start: token.start, end: body.end }
        : { kind: 'With', namespace: first, body, start: token.start, end: body.end };
    }
    if (token.type === 'LET' && next !== '{') {
      this.advance();
      this.letNesting++;
      const bindings = parseBindings(this, 'let');
      this.letNesting--;
      this.expect('IN', "'in'");
      const body = this.parseExpr();
      return { kind: 'Let', bindings, body, start: token.start, end: body.end };
    }
    if (token.type === 'IF') {
      this.advance();
      const condition = this.parseExpr();
      this.expect('THEN', "'then'");
      const consequent = this.parseExpr();
      this.expect('ELSE', "'else'");
      const alternative = this.parseExpr();
      return { kind: 'If', condition, consequent, alternative, start: token.start, end: alternative.end };
    }
    return this.parseBinary(0);
  }

  private lambda(start: number, param: Identifier | undefined, formals: LambdaNode['formals']): LambdaNode {
    const body = this.parseExpr();
    return { kind: 'Lambda', param, formals, body, start, end: body.end };
  }

  /** After `{`: is this `{ a, b ? c, ... }:` rather than an attribute set? */
  private looksLikeFormals(): boolean {
    const first = this.peek(1).type;
    const second = this.peek(2).type;
    if (first === '}') return second === ':' || second === '@';
    if (first === '...') return true;
    return first === 'ID' && (second === ',' || second === '?' || second === '}');
  }

  /** An operand that nests (a right operand, a prefix operator's operand): one level deeper. */
  private parseNestedBinary(minLevel: number): Expr {
    if (!this.enter()) return this.tooDeep(this.peek().start);
    const expr = this.parseBinary(minLevel);
    this.depth--;
    return expr;
  }

  /** Operators by precedence climbing; prefix operators take operands as tight as their precedence. */
  private parseBinary(minLevel: number): Expr {
    let left = this.parsePrefixed();
    // A left-associative chain `a + b + …` nests the tree without nesting calls: count it too.
    for (let chain = this.depth; ; chain++) {
      const token = this.peek();
      const operator = BINARY_OPERATORS.get(token.type);
      if (operator === undefined || operator.level < minLevel) return left;
      if (chain >= MAX_DEPTH) return this.tooDeep(left.start);
      this.advance();
      if (token.type === '?') {
        const path = parseAttrPath(this);
        left = { kind: 'HasAttr', target: left, path, start: left.start, end: this.previousEnd };
      } else {
        const right = this.parseNestedBinary(operator.associativity === 'right' ? operator.level : operator.level + 1);
        left = { kind: 'BinaryOp', op: token.type as BinaryOperator, left, right, start: left.start, end: right.end };
      }
      const following = BINARY_OPERATORS.get(this.peek().type);
      if (operator.associativity === 'none' && following?.level === operator.level) {
        const next = this.peek();
        this.error(`operator '${next.type}' cannot follow '${token.type}' without parentheses`, next.start, next.end);
      }
    }
  }

  private parsePrefixed(): Expr {
    const token = this.peek();
    if (token.type !== '!' && token.type !== '-') return this.parseApplication();
    this.advance();
    const operand = this.parseNestedBinary(token.type === '!' ? NOT_OPERAND_LEVEL : NEGATE_OPERAND_LEVEL + 1);
    return { kind: 'UnaryOp', op: token.type, operand, start: token.start, end: operand.end };
  }

  private parseApplication(): Expr {
    const func = this.parseSelect();
    const args: Expr[] = [];
    while (this.startsSimple()) args.push(this.parseSelect());
    if (args.length === 0) return func;
    return { kind: 'Apply', func, args, start: func.start, end: args[args.length - 1]!.end };
  }

  /** Can the next token begin an application argument or list element? */
  private startsSimple(): boolean {
    const token = this.peek();
    if (token.type === 'LET') return this.peek(1).type === '{';
    // `a = f x` followed by `b = …` with the `;` forgotten: `b` starts the next binding.
    return SIMPLE_STARTS.has(token.type) && !this.startsBinding();
  }

  /**
   * Is an attribute path and `=` next (`a.b.c =`)? Valid Nix never has one where an
   * expression is expected, so there it marks the next binding of a half-typed file.
   */
  startsBinding(): boolean {
    if (this.peek().type !== 'ID') return false;
    for (let offset = 1; offset < 64; offset += 2) {
      const type = this.peek(offset).type;
      if (type === '=') return true;
      if (type !== '.') return false;
      const attr = this.peek(offset + 1).type;
      if (attr !== 'ID' && attr !== 'OR_KW') return false;
    }
    return false;
  }

  /** `expr_select`: `e.a.b or default`, the legacy `e or`, or just `e`. */
  parseSelect(): Expr {
    const target = this.parseSimple();
    if (this.eat('.')) {
      const path = parseAttrPath(this);
      const fallback = this.eat('OR_KW') ? this.parseNestedSelect() : undefined;
      return { kind: 'Select', target, path, default: fallback, start: target.start, end: this.previousEnd };
    }
    const or = this.eat('OR_KW');
    if (or === undefined) return target;
    // Nixpkgs once had a function named `or`: `map or [ … ]` calls `map` with it.
    return {
      kind: 'Apply',
      func: target,
      args: [{ kind: 'Var', name: 'or', start: or.start, end: or.end }],
      start: target.start,
      end: or.end,
    };
  }

  /** A select that nests (a list element, an `or` default): one level deeper. */
  private parseNestedSelect(): Expr {
    if (!this.enter()) return this.tooDeep(this.peek().start);
    const expr = this.parseSelect();
    this.depth--;
    return expr;
  }

  private parseSimple(): Expr {
    const token = this.peek();
    switch (token.type) {
      case 'ID':
        if (this.startsBinding()) break; // reported below, not consumed: the enclosing bindings resume there
        this.advance();
        return { kind: 'Var', name: token.value, start: token.start, end: token.end };
      case 'INT':
        this.advance();
        return { kind: 'Int', value: Number(token.value), start: token.start, end: token.end };
      case 'FLOAT':
        this.advance();
        return { kind: 'Float', value: Number.parseFloat(token.value), start: token.start, end: token.end };
      case 'STRING_OPEN':
        return parseString(this);
      case 'IND_STRING_OPEN':
        return parseIndentedString(this);
      case 'PATH':
      case 'HPATH':
        return parsePath(this);
      case 'SPATH':
        this.advance();
        return { kind: 'SearchPath', path: token.value, start: token.start, end: token.end };
      case 'URI':
        this.advance();
        return { kind: 'Uri', value: token.value, start: token.start, end: token.end };
      case '(': {
        this.advance();
        const expr = this.parseExpr();
        this.expect(')', "')'");
        return { kind: 'Paren', expr, start: token.start, end: this.previousEnd };
      }
      case '[':
        return this.parseList();
      case 'LET':
      case 'REC':
      case '{':
        return this.parseAttrSet();
      default:
    }
    this.unexpected('an expression');
    return this.errorNode();
  }

  private parseList(): Expr {
    const open = this.advance();
    const elements: Expr[] = [];
    for (;;) {
      const token = this.peek();
      if (token.type === ']') break;
      if (this.startsSimple()) elements.push(this.parseNestedSelect());
      else if (CLOSERS.has(token.type) || this.startsBinding()) {
        break; // reported below as a missing `]`
      } else {
        this.unexpected("a list element or ']'");
        this.advance();
      }
    }
    this.expect(']', "']'");
    return { kind: 'List', elements, start: open.start, end: this.previousEnd };
  }

  /** `{ … }`, `rec { … }` or the legacy `let { … }`. */
  private parseAttrSet(): Expr {
    const first = this.advance();
    const keyword = first.type === '{' ? undefined : first.type;
    if (keyword !== undefined && this.expect('{', "'{'") === undefined) return { kind: 'Error', start: first.start, end: first.end };
    const bindings = parseBindings(this, 'attrs');
    this.expect('}', "'}'");
    const span = { start: first.start, end: this.previousEnd };
    return keyword === 'LET'
      ? { kind: 'LegacyLet', bindings, ...span }
      : { kind: 'AttrSet', recursive: keyword === 'REC', bindings, ...span };
  }
}
