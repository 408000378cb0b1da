// Bindings (`a.b = e;`, `inherit …;`), attribute paths and lambda formals.
// Recovery lives here: a binding that cannot be parsed is reported and
// skipped up to its `;` (or the closing `}` / `in`), and parsing goes on with
// the next one, so the rest of an attribute set still yields its nodes.
import type { AttrDef, AttrName, Binding, Formal, Formals, Inherit } from './ast';
import type { Token, TokenType } from './tokens';
import { parseInterpolation, parseString } from './literals';
import { identifier, type ExpressionParser } from './cursor';

const ATTR_STARTS: ReadonlySet<TokenType> = new Set<TokenType>(['ID', 'OR_KW', 'STRING_OPEN', 'DOLLAR_CURLY']);

/** The bindings of an attribute set (up to `}`) or of a `let` (up to `in`); the closer is not consumed. */
export function parseBindings(parser: ExpressionParser, context: 'attrs' | 'let'): Binding[] {
  const bindings: Binding[] = [];
  for (;;) {
    const token = parser.peek();
    if (token.type === 'EOF' || endsBindings(parser, token, context)) return bindings;
    if (token.type === '}') {
      if (context === 'attrs') return bindings;
      // Only `in` ends a let's bindings: a stray `}` there is reported and passed over.
      parser.unexpected("an attribute name, 'inherit' or 'in'");
      parser.advance();
      continue;
    }
    if (token.type === 'INHERIT') bindings.push(parseInherit(parser, context));
    else if (ATTR_STARTS.has(token.type)) bindings.push(parseAttrDef(parser, context));
    else {
      parser.unexpected(context === 'let' ? "an attribute name, 'inherit' or 'in'" : "an attribute name, 'inherit' or '}'");
      skipBinding(parser, context);
    }
  }
}

/** `in` ends a let's bindings, and also an attribute set left open inside one. */
function endsBindings(parser: ExpressionParser, token: Token, context: 'attrs' | 'let'): boolean {
  return token.type === 'IN' && (context === 'let' || parser.letNesting > 0);
}

function skipBinding(parser: ExpressionParser, context: 'attrs' | 'let'): void {
  // Stops early at `name =`: the next binding, after a forgotten `;`.
  parser.skip((token) => endsBindings(parser, token, context) || (token.type === 'ID' && parser.peek(1).type === '='), true);
}

/** After a binding's value: its `;`, or a report (and a skip unless the next binding visibly starts). */
function finishBinding(parser: ExpressionParser, context: 'attrs' | 'let'): void {
  if (parser.eat(';')) return;
  parser.unexpected("';'");
  const next = parser.peek();
  const boundary =
    next.type === '}' ||
    next.type === 'EOF' ||
    next.type === 'INHERIT' ||
    ATTR_STARTS.has(next.type) ||
    endsBindings(parser, next, context);
  if (!boundary) skipBinding(parser, context);
}

function parseAttrDef(parser: ExpressionParser, context: 'attrs' | 'let'): AttrDef {
  const start = parser.peek().start;
  const path = parseAttrPath(parser);
  if (parser.eat('=') === undefined) {
    parser.unexpected("'=' or '.'");
    const value = parser.errorNode();
    skipBinding(parser, context);
    return { kind: 'AttrDef', path, value, start, end: Math.max(value.end, parser.previousEnd) };
  }
  const value = parser.parseExpr();
  finishBinding(parser, context);
  return { kind: 'AttrDef', path, value, start, end: parser.previousEnd };
}

function parseInherit(parser: ExpressionParser, context: 'attrs' | 'let'): Inherit {
  const keyword = parser.advance();
  let from;
  if (parser.eat('(')) {
    from = parser.parseExpr();
    parser.expect(')', "')'");
  }
  const names: AttrName[] = [];
  while (ATTR_STARTS.has(parser.peek().type) && !parser.startsBinding()) names.push(parseAttr(parser));
  finishBinding(parser, context);
  return { kind: 'Inherit', from, names, start: keyword.start, end: parser.previousEnd };
}

/** `a.b."c".${d}`: at least one name (reported when missing: `pkgs.` while typing). */
export function parseAttrPath(parser: ExpressionParser): AttrName[] {
  const path: AttrName[] = [];
  do {
    if (!ATTR_STARTS.has(parser.peek().type)) {
      parser.unexpected('an attribute name');
      return path;
    }
    path.push(parseAttr(parser));
  } while (parser.eat('.'));
  return path;
}

function parseAttr(parser: ExpressionParser): AttrName {
  const token = parser.peek();
  if (token.type === 'STRING_OPEN') return parseString(parser);
  if (token.type === 'DOLLAR_CURLY') return parseInterpolation(parser);
  return identifier(parser.advance());
}

/** `{ a, b ? default, ... }`, from its `{` to its `}`. */
export function parseFormals(parser: ExpressionParser): Formals {
  const open = parser.advance();
  const entries: Formal[] = [];
  let ellipsis = false;
  const skipToComma = (): void => parser.skip((token) => token.type === ',' || token.type === ':', false);
  for (;;) {
    const token = parser.peek();
    if (token.type === '}' || token.type === 'EOF') break;
    if (token.type === '...') {
      parser.advance();
      ellipsis = true;
      if (!parser.at('}')) {
        parser.unexpected("'}' (nothing may follow '...')");
        skipToComma();
      }
      break;
    }
    if (token.type === 'ID') {
      parser.advance();
      const fallback = parser.eat('?') ? parser.parseExpr() : undefined;
      entries.push({ kind: 'Formal', name: identifier(token), default: fallback, start: token.start, end: parser.previousEnd });
      if (parser.eat(',') || parser.at('}')) continue;
      parser.unexpected("',' or '}'");
    } else parser.unexpected('an argument name');
    skipToComma();
    if (!parser.eat(',')) break;
  }
  parser.expect('}', "'}'");
  return { kind: 'Formals', entries, ellipsis, start: open.start, end: parser.previousEnd };
}
