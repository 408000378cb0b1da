// The tokens of Nix's lexer (lexer.l), as this parser's lexer produces them.
import type { ParseError, Span } from './ast';

// prettier-ignore
export type TokenType =
  | 'ID' | 'INT' | 'FLOAT' | 'IF' | 'THEN' | 'ELSE' | 'ASSERT' | 'WITH' | 'LET' | 'IN' | 'REC' | 'INHERIT' | 'OR_KW' | '...'
  | '==' | '!=' | '<=' | '>=' | '&&' | '||' | '->' | '//' | '++'
  | '(' | ')' | '[' | ']' | '{' | '}' | ';' | ':' | '@' | ',' | '.' | '?' | '=' | '<' | '>' | '+' | '-' | '*' | '/' | '!'
  | 'DOLLAR_CURLY' | 'STRING_OPEN' | 'STRING_CLOSE' | 'STR' | 'IND_STRING_OPEN' | 'IND_STRING_CLOSE' | 'IND_STR'
  | 'PATH' | 'HPATH' | 'PATH_END' | 'SPATH' | 'URI' | 'UNKNOWN' | 'EOF';

export interface Token extends Span {
  readonly type: TokenType;
  /**
   * ID, INT, FLOAT, URI, PATH, HPATH: the text. SPATH: the text between `<>`.
   * STR: the cooked string piece (a raw path piece inside paths). IND_STR: the
   * raw text, or the cooked text of an escape such as `''$`.
   */
  readonly value: string;
  /** IND_STR only: true for plain text (subject to indentation stripping), false for escapes. */
  readonly indented: boolean;
}

export interface LexResult {
  readonly tokens: readonly Token[];
  readonly comments: readonly Span[];
  readonly errors: readonly ParseError[];
}
