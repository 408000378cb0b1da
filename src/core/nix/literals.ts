// Strings, indented strings, paths and `${ … }` interpolations, assembled from
// the lexer's pieces. The lexer already cooked `"…"` escapes; indented strings
// are stripped here, once all their pieces are known.
import type { ExpressionParser } from './cursor';
import type { Interpolation, Literal, PathNode, StringNode, StringPart } from './ast';
import { stripIndentation, type IndentedPiece } from './strings';

export function parseInterpolation(parser: ExpressionParser): Interpolation {
  const open = parser.advance();
  const expr = parser.parseExpr();
  parser.expect('}', "'}' closing '${'");
  return { kind: 'Interpolation', expr, start: open.start, end: parser.previousEnd };
}

/** Literal pieces and `${…}` up to the token that ends a string or a path (expected there). */
function literalParts(parser: ExpressionParser, parts: StringPart[], end: 'STRING_CLOSE' | 'PATH_END', what: string): void {
  for (;;) {
    const token = parser.peek();
    if (token.type === 'STR') {
      parser.advance();
      parts.push({ kind: 'Literal', value: token.value, start: token.start, end: token.end });
    } else if (token.type === 'DOLLAR_CURLY') parts.push(parseInterpolation(parser));
    else {
      parser.expect(end, what);
      return;
    }
  }
}

/** `"…"`, from the opening quote. */
export function parseString(parser: ExpressionParser): StringNode {
  const open = parser.advance();
  const parts: StringPart[] = [];
  literalParts(parser, parts, 'STRING_CLOSE', "'\"' ending the string");
  return { kind: 'String', indented: false, parts, start: open.start, end: parser.previousEnd };
}

/** `''…''`, from the opening quotes. */
export function parseIndentedString(parser: ExpressionParser): StringNode {
  const open = parser.advance();
  const pieces: IndentedPiece[] = [];
  const spans: { start: number; end: number }[] = [];
  const interpolations: Interpolation[] = [];
  for (;;) {
    const token = parser.peek();
    if (token.type === 'IND_STR') {
      parser.advance();
      pieces.push({ kind: 'text', text: token.value, indented: token.indented });
      spans.push(token);
    } else if (token.type === 'DOLLAR_CURLY') {
      const interpolation = parseInterpolation(parser);
      pieces.push({ kind: 'interpolation' });
      spans.push(interpolation);
      interpolations.push(interpolation);
    } else {
      parser.expect('IND_STRING_CLOSE', '"\'\'" ending the string');
      break;
    }
  }
  const cooked = stripIndentation(pieces);
  let nextInterpolation = 0;
  const parts = cooked.map((value, index): StringPart => {
    if (value === undefined) return interpolations[nextInterpolation++]!;
    const span = spans[index]!;
    const literal: Literal = { kind: 'Literal', value, start: span.start, end: span.end };
    return literal;
  });
  return { kind: 'String', indented: true, parts, start: open.start, end: parser.previousEnd };
}

/** A path such as `./a/${b}.nix`: literal parts keep the raw text. */
export function parsePath(parser: ExpressionParser): PathNode {
  const first = parser.advance();
  const parts: StringPart[] = [{ kind: 'Literal', value: first.value, start: first.start, end: first.end }];
  literalParts(parser, parts, 'PATH_END', 'the rest of the path');
  // Nix's grammar needs a `${` within the first two pieces after the path's start: `a/b//c` is an error.
  const second = parts[1];
  if (second !== undefined && second.kind === 'Literal' && parts[2]?.kind !== 'Interpolation') {
    parser.error("a path continued after '//' needs '${'", second.start, second.end);
  }
  return { kind: 'Path', parts, start: first.start, end: parts[parts.length - 1]!.end };
}
