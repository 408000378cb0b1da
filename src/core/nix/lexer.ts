// Splits Nix source into tokens the way Nix's own flex lexer does: longest
// match wins, ties go to the earlier rule, and a stack of states tracks
// strings, indented strings, paths and the `${ … }` / `{ … }` nested in them.
// Whether `a/b` is a path or `x:y` a URL is decided here, as in Nix.
import type { ParseError, Span } from './ast';
import type { LexResult, Token, TokenType } from './tokens';
// prettier-ignore
import {
  floatLength, hasClass, indentedRunEnd, isDigit, isFloatOutOfRange, isIdChar, isIdStart, isIntegerTooLarge, isLetter, isPathChar,
  isSpace, isUriChar, PATH_CHAR, SCHEME_CHAR, searchPathLength, stringRunEnd, URI_CHAR,
} from './characters';
import { unescapeString } from './strings';

export type { LexResult, Token, TokenType } from './tokens';

// prettier-ignore
const KEYWORDS: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ['if', 'IF'], ['then', 'THEN'], ['else', 'ELSE'], ['assert', 'ASSERT'], ['with', 'WITH'],
  ['let', 'LET'], ['in', 'IN'], ['rec', 'REC'], ['inherit', 'INHERIT'], ['or', 'OR_KW'],
]);
const TWO_CHAR_OPERATORS: ReadonlySet<string> = new Set(['==', '!=', '<=', '>=', '&&', '||', '->', '//', '++']);
const SINGLE_CHARS: ReadonlySet<string> = new Set([...'()[];:@,.?=<>+-*/!']);

// prettier-ignore
const enum State { Initial, Default, String, IndString, InPath, InPathSlash }
/** What a default-state match becomes: a token, or `dir/${` (the start of an interpolated path). */
type Rule = TokenType | 'PATH_START';

const SLASH = 47,
  DOLLAR = 36,
  OPEN_BRACE = 123,
  QUOTE = 34,
  APOSTROPHE = 39,
  BACKSLASH = 92;

/**
 * Tokens, comments and lexical errors. When a `"` string runs to the end of the
 * text, a quote is probably missing (or was just typed): the text is lexed
 * again with the first string that spans lines closed at its line's end, so
 * that the rest of the file is not read inside out.
 */
export function lex(text: string): LexResult {
  const first = lexOnce(text, -1);
  if (!first.unterminatedString) return first;
  const multiLine = first.tokens.find(
    (token) => token.type === 'STR' && token.inString && /[\r\n]/.test(text.slice(token.start, token.end)),
  );
  if (multiLine === undefined) return first;
  const lineEnd = text.slice(multiLine.start, multiLine.end).search(/[\r\n]/) + multiLine.start;
  const second = lexOnce(text, lineEnd);
  return second.unterminatedString ? first : second;
}

interface LexPass extends LexResult {
  readonly tokens: readonly (Token & { readonly inString: boolean })[];
  readonly unterminatedString: boolean;
}

/** One pass; with `closeStringAt` ≥ 0, a `"` string still open at that offset ends there (reported). */
function lexOnce(text: string, closeStringAt: number): LexPass {
  const tokens: (Token & { inString: boolean })[] = [];
  const comments: Span[] = [];
  const errors: ParseError[] = [];
  const states: State[] = [State.Initial];
  const length = text.length;
  const at = (index: number): number => (index < length ? text.charCodeAt(index) : -1);
  let pos = 0;

  const push = (type: TokenType, start: number, end: number, value = '', indented = false): void => {
    tokens.push({ type, start, end, value, indented, inString: top() === State.String });
  };
  const top = (): State => states[states.length - 1]!;
  const replaceTop = (state: State): void => {
    states[states.length - 1] = state;
  };
  const popState = (): void => {
    if (states.length > 1) states.pop();
  };

  // Where a run of characters of one class ends, remembered: a later question about a
  // position inside the same run gets the same answer at once. Without this, input
  // such as `a.a.a.a…` (a name, then a select, then a name…) would take quadratic time.
  const runEnds = new Map<number, { from: number; end: number }>();
  const runEnd = (start: number, flag: number): number => {
    const cached = runEnds.get(flag);
    if (cached !== undefined && start >= cached.from && start <= cached.end) return cached.end;
    let end = start;
    while (hasClass(at(end), flag)) end++;
    runEnds.set(flag, { from: start, end });
    return end;
  };
  /** `{PATH_CHAR}*(\/{PATH_CHAR}+)+\/?` from `start`; 0 when it does not match. */
  const pathLength = (start: number): number => {
    let end = runEnd(start, PATH_CHAR);
    let segments = 0;
    while (at(end) === SLASH && isPathChar(at(end + 1))) {
      end = runEnd(end + 1, PATH_CHAR);
      segments++;
    }
    if (segments === 0) return 0;
    if (at(end) === SLASH) end++;
    return end - start;
  };
  /** `[a-zA-Z][a-zA-Z0-9+\-.]*:[a-zA-Z0-9%/?:@&=+$,\-_.!~*']+` */
  const uriLength = (start: number): number => {
    const colon = runEnd(start + 1, SCHEME_CHAR);
    if (at(colon) !== 58 || !isUriChar(at(colon + 1))) return 0;
    return runEnd(colon + 1, URI_CHAR) - start;
  };
  /** `{PATH_CHAR}*\/`: one segment with its slash. */
  const pathSegmentLength = (start: number): number => {
    const end = runEnd(start, PATH_CHAR);
    return at(end) === SLASH ? end + 1 - start : 0;
  };
  let commentClose = -2; // the next `*/` (-1: none left; -2: not searched yet)
  const runLength = (start: number, test: (c: number) => boolean): number => {
    let end = start;
    while (test(at(end))) end++;
    return end - start;
  };

  /** The longest default-state match at `pos` (ties resolved in lexer.l's rule order). */
  const lexDefault = (): void => {
    const c = at(pos);
    if (isSpace(c)) {
      pos += runLength(pos, isSpace);
      return;
    }
    if (c === 35 /* # */) {
      let end = pos;
      while (end < length && at(end) !== 10 && at(end) !== 13) end++;
      comments.push({ start: pos, end });
      pos = end;
      return;
    }
    if (c === SLASH && at(pos + 1) === 42 /* * */) {
      // The first `*/` after a position stays the first for any later position before it.
      if (commentClose !== -1 && commentClose < pos + 2) commentClose = text.indexOf('*/', pos + 2);
      const close = commentClose;
      if (close >= 0) {
        comments.push({ start: pos, end: close + 2 });
        pos = close + 2;
      } else {
        // Nix reads this as `/` `*`, a syntax error; skipping just `/*` keeps the rest of the file parsed.
        errors.push({ message: 'unterminated comment', start: pos, end: length });
        pos += 2;
      }
      return;
    }
    if (isIdStart(c) || isDigit(c)) {
      // Fast path: without a `/` or `:` after the run of path characters, no path or
      // URL can match here, only a name, a keyword or a number.
      const next = at(runEnd(pos, PATH_CHAR));
      if (next !== SLASH && next !== 58 /* : */) {
        if (isIdStart(c)) {
          const matched = runLength(pos + 1, isIdChar) + 1;
          emitDefault(KEYWORDS.get(text.slice(pos, pos + matched)) ?? 'ID', matched);
        } else {
          const integer = runLength(pos, isDigit);
          const float = floatLength(text, pos);
          emitDefault(float > integer ? 'FLOAT' : 'INT', Math.max(float, integer));
        }
        return;
      }
    }
    let best: Rule = 'UNKNOWN';
    let bestLength = 1;
    const consider = (type: Rule, matched: number): void => {
      if (matched > bestLength || (best === 'UNKNOWN' && matched >= bestLength)) {
        best = type;
        bestLength = matched;
      }
    };
    const two = text.slice(pos, pos + 2);
    if (text.startsWith('...', pos)) consider('...', 3);
    if (TWO_CHAR_OPERATORS.has(two)) consider(two as TokenType, 2);
    if (isIdStart(c)) {
      const matched = runLength(pos + 1, isIdChar) + 1;
      consider(KEYWORDS.get(text.slice(pos, pos + matched)) ?? 'ID', matched);
    }
    if (isDigit(c)) consider('INT', runLength(pos, isDigit));
    if (isDigit(c) || c === 46) consider('FLOAT', floatLength(text, pos));
    if (two === '${') consider('DOLLAR_CURLY', 2);
    if (SINGLE_CHARS.has(text[pos] ?? '') || c === OPEN_BRACE || c === 125 || c === QUOTE) consider('UNKNOWN', 1);
    if (two === "''") consider('IND_STRING_OPEN', 2);
    const segment = pathSegmentLength(pos);
    if (segment > 0 && text.startsWith('${', pos + segment)) consider('PATH_START', segment + 2);
    if (c === 126 /* ~ */ && text.startsWith('/${', pos + 1)) consider('PATH_START', 4);
    consider('PATH', pathLength(pos));
    if (c === 126) {
      const afterTilde = at(pos + 1) === SLASH ? pathLength(pos + 1) : 0;
      consider('HPATH', afterTilde > 0 ? afterTilde + 1 : 0);
    }
    if (c === 60 /* < */) consider('SPATH', searchPathLength(text, pos));
    if (isLetter(c)) consider('URI', uriLength(pos));
    emitDefault(best, bestLength);
  };

  const emitDefault = (type: Rule, matched: number): void => {
    const start = pos;
    const end = pos + matched;
    const word = text.slice(start, end);
    pos = end;
    switch (type) {
      case 'UNKNOWN':
        if (word === '{') {
          states.push(State.Default);
          push('{', start, end);
        } else if (word === '}') {
          popState();
          push('}', start, end);
        } else if (word === '"') {
          states.push(State.String);
          push('STRING_OPEN', start, end);
        } else push(SINGLE_CHARS.has(word) ? (word as TokenType) : 'UNKNOWN', start, end, word);
        return;
      case 'DOLLAR_CURLY':
        states.push(State.Default);
        push('DOLLAR_CURLY', start, end);
        return;
      case 'IND_STRING_OPEN': {
        // `''` swallows the rest of its line when that is only spaces.
        let after = end;
        while (at(after) === 32) after++;
        pos = at(after) === 10 ? after + 1 : end;
        states.push(State.IndString);
        push('IND_STRING_OPEN', start, pos);
        return;
      }
      case 'PATH_START': {
        // `dir/${` or `~/${`: the first segment is a path token of its own.
        const home = text.charCodeAt(start) === 126;
        pos = end - 2;
        states.push(State.InPathSlash);
        push(home ? 'HPATH' : 'PATH', start, pos, text.slice(start, pos));
        return;
      }
      case 'PATH':
      case 'HPATH':
        states.push(word.endsWith('/') ? State.InPathSlash : State.InPath);
        push(type, start, end, word);
        return;
      case 'SPATH':
        push('SPATH', start, end, word.slice(1, -1));
        return;
      case 'INT':
        if (isIntegerTooLarge(word)) errors.push({ message: `invalid integer '${word}'`, start, end });
        push('INT', start, end, word);
        return;
      case 'FLOAT':
        if (isFloatOutOfRange(word)) errors.push({ message: `invalid float '${word}'`, start, end });
        push('FLOAT', start, end, word);
        return;
      default:
        push(type, start, end, word);
    }
  };

  const lexString = (): void => {
    const c = at(pos);
    if (pos === closeStringAt) {
      errors.push({ message: 'unterminated string (a quote is missing on this line)', start: pos, end: pos });
      popState();
      push('STRING_CLOSE', pos, pos);
      return;
    }
    if (c === QUOTE) {
      popState();
      push('STRING_CLOSE', pos, ++pos);
      return;
    }
    if (c === DOLLAR && at(pos + 1) === OPEN_BRACE) {
      states.push(State.Default);
      push('DOLLAR_CURLY', pos, (pos += 2));
      return;
    }
    // A lone `$` or `\` just before the end: the rest of the text (an error follows).
    let end = stringRunEnd(text, pos, closeStringAt);
    if (end === pos) end = closeStringAt > pos ? closeStringAt : length;
    push('STR', pos, end, unescapeString(text.slice(pos, end)));
    pos = end;
  };

  const lexIndString = (): void => {
    const c = at(pos);
    if (c === APOSTROPHE && at(pos + 1) === APOSTROPHE) {
      const start = pos;
      const third = at(pos + 2);
      if (third === DOLLAR) push('IND_STR', start, (pos += 3), '$');
      else if (third === APOSTROPHE) push('IND_STR', start, (pos += 3), "''");
      else if (third === BACKSLASH && pos + 3 < length)
        push('IND_STR', start, (pos += 4), unescapeString(text.slice(start + 2, start + 4)));
      else {
        popState();
        push('IND_STRING_CLOSE', start, (pos += 2));
      }
      return;
    }
    if (c === DOLLAR && at(pos + 1) === OPEN_BRACE) {
      states.push(State.Default);
      push('DOLLAR_CURLY', pos, (pos += 2));
      return;
    }
    const end = indentedRunEnd(text, pos);
    if (end > pos) push('IND_STR', pos, end, text.slice(pos, end), true);
    else push('IND_STR', pos, pos + 1, text[pos]!); // a lone `$` or `'`
    pos = Math.max(end, pos + 1);
  };

  const lexInPath = (): void => {
    if (at(pos) === DOLLAR && at(pos + 1) === OPEN_BRACE) {
      replaceTop(State.InPath);
      states.push(State.Default);
      push('DOLLAR_CURLY', pos, (pos += 2));
      return;
    }
    const matched = Math.max(pathLength(pos), pathSegmentLength(pos), runEnd(pos, PATH_CHAR) - pos);
    if (matched > 0) {
      const end = pos + matched;
      replaceTop(at(end - 1) === SLASH ? State.InPathSlash : State.InPath);
      push('STR', pos, end, text.slice(pos, end));
      pos = end;
      return;
    }
    endPath();
  };

  const endPath = (): void => {
    if (top() === State.InPathSlash) {
      const slash = tokens[tokens.length - 1]?.end ?? pos;
      errors.push({ message: 'path has a trailing slash', start: slash - 1, end: slash });
    }
    popState();
    push('PATH_END', pos, pos);
  };

  while (pos < length) {
    switch (top()) {
      case State.String:
        lexString();
        break;
      case State.IndString:
        lexIndString();
        break;
      case State.InPath:
      case State.InPathSlash:
        lexInPath();
        break;
      default:
        lexDefault();
    }
  }
  if (top() === State.InPath || top() === State.InPathSlash) endPath();
  const unterminatedString = top() === State.String;
  push('EOF', length, length);
  return { tokens, comments, errors, unterminatedString };
}
