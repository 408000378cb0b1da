// The parser's token cursor and its error handling: one error per token, a
// cap on their number, Error nodes, skipping to a recovery point, and the
// nesting limit that keeps deep input from overflowing the call stack.
import type { Expr, Identifier, ParseError } from './ast';
import type { Token, TokenType } from './tokens';

/**
 * Nesting deeper than this is reported, not followed (the call stack must not
 * overflow). A level is one bracket, lambda, `let`, `with`, `assert`, `if`,
 * interpolation, prefix or right-associative operator, or `or` default.
 */
export const MAX_DEPTH = 500;
/** Past this many errors the rest are dropped: garbage input must not make a huge list. */
export const MAX_ERRORS = 200;

/** Tokens that close an enclosing construct: a list or parenthesis missing its closer stops here. */
// prettier-ignore
export const CLOSERS: ReadonlySet<TokenType> = new Set<TokenType>([';', '}', ')', ']', 'IN', 'THEN', 'ELSE', 'EOF', 'STRING_CLOSE', 'IND_STRING_CLOSE']);

const OPENERS: ReadonlySet<TokenType> = new Set<TokenType>(['(', '[', '{', 'DOLLAR_CURLY', 'STRING_OPEN', 'IND_STRING_OPEN']);
const GROUP_CLOSERS: ReadonlySet<TokenType> = new Set<TokenType>([')', ']', '}', 'STRING_CLOSE', 'IND_STRING_CLOSE']);

export class TokenCursor {
  private index = 0;
  protected depth = 0;
  private lastErrorToken = -1;

  constructor(
    private readonly tokens: readonly Token[],
    readonly errors: ParseError[],
  ) {}

  // ---- token cursor -------------------------------------------------------

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }
  at(type: TokenType): boolean {
    return this.peek().type === type;
  }
  advance(): Token {
    const token = this.peek();
    if (token.type !== 'EOF') this.index++;
    return token;
  }
  eat(type: TokenType): Token | undefined {
    return this.at(type) ? this.advance() : undefined;
  }
  /** End offset of the last consumed token (where a node that stops here ends). */
  get previousEnd(): number {
    return this.index > 0 ? this.tokens[this.index - 1]!.end : 0;
  }
  /** Consumes `type` or reports that `what` was expected there. */
  expect(type: TokenType, what: string): Token | undefined {
    const token = this.eat(type);
    if (token === undefined) this.unexpected(what);
    return token;
  }

  // ---- errors and recovery -------------------------------------------------

  error(message: string, start: number, end: number): void {
    // One error per token: the first explains the problem, the rest would be echoes.
    if (this.lastErrorToken === this.index || this.errors.length >= MAX_ERRORS) return;
    this.lastErrorToken = this.index;
    this.errors.push({ message, start, end });
  }
  unexpected(what: string): void {
    const token = this.peek();
    this.error(`unexpected ${describe(token)}, expected ${what}`, token.start, token.end);
  }
  /** An empty Error node right after the last consumed token: inside whatever node is being built. */
  errorNode(): Expr {
    const at = this.previousEnd;
    return { kind: 'Error', start: at, end: at };
  }
  /**
   * Skips tokens, stepping over bracketed groups, until `stop` holds for a token
   * outside any group (that token is not consumed), a `}` closes an enclosing
   * group, or, with `consumeSemicolon`, just after a `;` outside any group.
   * Other stray closers (`)`, `]`, a string's end) are skipped.
   */
  skip(stop: (token: Token) => boolean, consumeSemicolon: boolean): void {
    let nesting = 0;
    for (let token = this.peek(); token.type !== 'EOF'; token = this.peek()) {
      if (nesting === 0 && stop(token)) return;
      if (OPENERS.has(token.type)) nesting++;
      else if (GROUP_CLOSERS.has(token.type)) {
        if (nesting > 0) nesting--;
        else if (token.type === '}') return;
      }
      this.advance();
      if (nesting === 0 && token.type === ';' && consumeSemicolon) return;
    }
  }

  /** Goes one level deeper; false past the limit (the caller then reports with tooDeep). */
  protected enter(): boolean {
    if (this.depth >= MAX_DEPTH) return false;
    this.depth++;
    return true;
  }

  /** Reports nesting past the limit and skips the rest of the enclosing group. */
  protected tooDeep(start: number): Expr {
    const token = this.peek();
    this.error('expression nested too deeply', token.start, token.end);
    this.skip((next) => CLOSERS.has(next.type) || next.type === ',', false);
    return { kind: 'Error', start, end: Math.max(start, this.previousEnd) };
  }
}

/**
 * What the grammar's helpers (bindings, literals) need of the parser: its cursor
 * and the ways back into expressions. An interface, so they need not import it.
 */
export interface ExpressionParser extends TokenCursor {
  /** How many `let … in` binding lists enclose the current point: there `in` closes an attribute set left open. */
  readonly letNesting: number;
  parseExpr(): Expr;
  /** Is `name =` (or `a.b.c =`) next: a binding where an expression was expected? */
  startsBinding(): boolean;
}

export function identifier(token: Token): Identifier {
  return { kind: 'Identifier', name: token.type === 'OR_KW' ? 'or' : token.value, start: token.start, end: token.end };
}

/** A token as error messages name it. */
function describe(token: Token): string {
  switch (token.type) {
    case 'EOF':
      return 'end of file';
    case 'STR':
    case 'IND_STR':
      return 'string text';
    case 'PATH_END':
      return 'end of path';
    case 'STRING_OPEN':
    case 'STRING_CLOSE':
      return "'\"'";
    case 'IND_STRING_OPEN':
    case 'IND_STRING_CLOSE':
      return '"\'\'"';
    case 'DOLLAR_CURLY':
      return "'${'";
    case 'ID':
      return `identifier '${token.value}'`;
    default:
      return `'${token.value || token.type.toLowerCase()}'`;
  }
}
