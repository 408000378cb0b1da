// Character classes and the fixed-shape rules of Nix's lexer.l (numbers,
// search paths), kept apart from the lexer's state machine. The classes are
// bit flags in a table (all ASCII): they are the lexer's hot path.
export const ID_START = 1,
  ID_CHAR = 2,
  PATH_CHAR = 4,
  SCHEME_CHAR = 8,
  URI_CHAR = 16,
  DIGIT = 32,
  SPACE = 64;
const CLASSES = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const char = String.fromCharCode(code);
  const letter = /[a-zA-Z]/.test(char);
  const digit = /[0-9]/.test(char);
  CLASSES[code] =
    (letter || char === '_' ? ID_START : 0) |
    (letter || digit || "_'-".includes(char) ? ID_CHAR : 0) |
    (letter || digit || '._-+'.includes(char) ? PATH_CHAR : 0) |
    (letter || digit || '+-.'.includes(char) ? SCHEME_CHAR : 0) |
    (letter || digit || "%/?:@&=+$,-_.!~*'".includes(char) ? URI_CHAR : 0) |
    (digit ? DIGIT : 0) |
    (' \t\r\n'.includes(char) ? SPACE : 0);
}
export const hasClass = (c: number, flag: number): boolean => c >= 0 && c < 128 && (CLASSES[c]! & flag) !== 0;
export const isDigit = (c: number): boolean => hasClass(c, DIGIT);
export const isLetter = (c: number): boolean => hasClass(c, ID_START) && c !== 95;
export const isIdStart = (c: number): boolean => hasClass(c, ID_START);
export const isIdChar = (c: number): boolean => hasClass(c, ID_CHAR);
export const isPathChar = (c: number): boolean => hasClass(c, PATH_CHAR);
export const isUriChar = (c: number): boolean => hasClass(c, URI_CHAR);
export const isSpace = (c: number): boolean => hasClass(c, SPACE);

const SLASH = 47;
const INT64_MAX = '9223372036854775807';
const SMALLEST_NORMAL_DOUBLE = 2.2250738585072014e-308;

/** `(([1-9][0-9]*\.[0-9]*)|(0?\.[0-9]+))([Ee][+-]?[0-9]+)?` */
export function floatLength(text: string, start: number): number {
  const at = (index: number): number => (index < text.length ? text.charCodeAt(index) : -1);
  let end = -1;
  let index = start;
  if (at(index) >= 49 && at(index) <= 57) {
    while (isDigit(at(index))) index++;
    if (at(index) === 46) {
      index++;
      while (isDigit(at(index))) index++;
      end = index;
    }
  }
  index = start;
  if (at(index) === 48) index++;
  if (at(index) === 46 && isDigit(at(index + 1))) {
    index += 2;
    while (isDigit(at(index))) index++;
    end = Math.max(end, index);
  }
  if (end < 0) return 0;
  if (at(end) === 69 || at(end) === 101) {
    let exponent = end + 1;
    if (at(exponent) === 43 || at(exponent) === 45) exponent++;
    if (isDigit(at(exponent))) {
      while (isDigit(at(exponent))) exponent++;
      end = exponent;
    }
  }
  return end - start;
}

/** `<{PATH_CHAR}+(\/{PATH_CHAR}+)*>` */
export function searchPathLength(text: string, start: number): number {
  const at = (index: number): number => (index < text.length ? text.charCodeAt(index) : -1);
  let index = start + 1;
  if (!isPathChar(at(index))) return 0;
  while (isPathChar(at(index))) index++;
  while (at(index) === SLASH && isPathChar(at(index + 1))) {
    index++;
    while (isPathChar(at(index))) index++;
  }
  return at(index) === 62 ? index + 1 - start : 0;
}

export function isIntegerTooLarge(digits: string): boolean {
  const significant = digits.replace(/^0+(?=\d)/, '');
  return significant.length > INT64_MAX.length || (significant.length === INT64_MAX.length && significant > INT64_MAX);
}

/** strtod's ERANGE: overflow to infinity, or underflow below the smallest normal double. */
export function isFloatOutOfRange(text: string): boolean {
  const value = Number.parseFloat(text);
  if (!Number.isFinite(value)) return true;
  const mantissa = text.split(/[eE]/)[0] ?? '';
  return Math.abs(value) < SMALLEST_NORMAL_DOUBLE && /[1-9]/.test(mantissa);
}

const DOLLAR = 36,
  QUOTE = 34,
  APOSTROPHE = 39,
  BACKSLASH = 92,
  OPEN_BRACE = 123;

/**
 * End of the string text from `start` in a `"…"` string:
 * `([^$"\\]|\$[^{"\\]|\\ANY|\$\\ANY)+`, plus a `$` right before the closing
 * quote. Stops at `stopAt` (the lexer's forced end of an unterminated string).
 */
export function stringRunEnd(text: string, start: number, stopAt: number): number {
  const at = (index: number): number => (index < text.length ? text.charCodeAt(index) : -1);
  let end = start;
  for (;;) {
    const char = at(end);
    if (char === -1 || char === QUOTE || end === stopAt) break;
    if (char === BACKSLASH) {
      if (end + 1 >= text.length) break;
      end += 2;
    } else if (char === DOLLAR) {
      const next = at(end + 1);
      if (next === -1 || next === OPEN_BRACE || next === QUOTE) break;
      if (next === BACKSLASH) {
        if (end + 2 >= text.length) break;
        end += 3;
      } else end += 2;
    } else end++;
  }
  return at(end) === DOLLAR && at(end + 1) === QUOTE ? end + 1 : end;
}

/** End of the plain text from `start` in an indented string: `([^$']|\$[^{']|'[^'$])+`. */
export function indentedRunEnd(text: string, start: number): number {
  let end = start;
  while (end < text.length) {
    const char = text.charCodeAt(end);
    if (char === DOLLAR || char === APOSTROPHE) {
      const next = end + 1 < text.length ? text.charCodeAt(end + 1) : -1;
      if (next === -1 || next === APOSTROPHE || next === (char === DOLLAR ? OPEN_BRACE : DOLLAR)) break;
      end += 2;
    } else end++;
  }
  return end;
}
