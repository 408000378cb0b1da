// Cooking string literals as Nix does: escapes in `"…"` strings, and the
// indentation stripping of `''…''` strings (including its quirks, so that the
// cooked values equal what Nix evaluates to).

/** `\n`, `\r`, `\t` and `\x` → x; a CR or CR LF becomes LF (as in Nix's unescapeStr). */
export function unescapeString(raw: string): string {
  if (!raw.includes('\\') && !raw.includes('\r')) return raw;
  let cooked = '';
  for (let index = 0; index < raw.length; index++) {
    const char = raw[index]!;
    if (char === '\\' && index + 1 < raw.length) {
      const escaped = raw[++index]!;
      cooked += escaped === 'n' ? '\n' : escaped === 'r' ? '\r' : escaped === 't' ? '\t' : escaped;
    } else if (char === '\r') {
      cooked += '\n';
      if (raw[index + 1] === '\n') index++;
    } else cooked += char;
  }
  return cooked;
}

/**
 * One token of an indented string: text as written (`indented`, subject to
 * stripping), an escape's cooked text (`''$` → `$`), or an interpolation.
 */
export type IndentedPiece =
  { readonly kind: 'text'; readonly text: string; readonly indented: boolean } | { readonly kind: 'interpolation' };

/**
 * The cooked value of every text piece (undefined for interpolations).
 * The smallest indentation of the lines is removed from each line; lines
 * holding only spaces do not count, an interpolation or escape at the start
 * of a line ends its indentation, and a last line of only spaces is dropped.
 */
export function stripIndentation(pieces: readonly IndentedPiece[]): (string | undefined)[] {
  const minIndent = smallestIndentation(pieces);
  const cooked: (string | undefined)[] = [];
  let atStartOfLine = true;
  let dropped = 0;
  pieces.forEach((piece, index) => {
    if (piece.kind === 'interpolation') {
      atStartOfLine = false;
      dropped = 0;
      cooked.push(undefined);
      return;
    }
    // Escapes go through this too (as in Nix): an escaped newline starts a line.
    let kept = '';
    let runStart = 0;
    const text = piece.text;
    for (let at = 0; at < text.length; at++) {
      const char = text[at];
      if (atStartOfLine) {
        if (char === ' ') {
          if (dropped++ < minIndent) {
            kept += text.slice(runStart, at);
            runStart = at + 1;
          }
        } else if (char === '\n') dropped = 0;
        else {
          atStartOfLine = false;
          dropped = 0;
        }
      } else if (char === '\n') atStartOfLine = true;
    }
    kept += text.slice(runStart);
    if (index === pieces.length - 1) kept = withoutTrailingBlankLine(kept);
    cooked.push(kept);
  });
  return cooked;
}

function smallestIndentation(pieces: readonly IndentedPiece[]): number {
  let atStartOfLine = true;
  let minIndent = 1_000_000;
  let indent = 0;
  for (const piece of pieces) {
    if (piece.kind === 'interpolation' || !piece.indented) {
      if (atStartOfLine) {
        atStartOfLine = false;
        minIndent = Math.min(minIndent, indent);
      }
      continue;
    }
    for (const char of piece.text) {
      if (atStartOfLine) {
        if (char === ' ') indent++;
        else if (char === '\n') indent = 0;
        else {
          atStartOfLine = false;
          minIndent = Math.min(minIndent, indent);
        }
      } else if (char === '\n') {
        atStartOfLine = true;
        indent = 0;
      }
    }
  }
  return minIndent;
}

function withoutTrailingBlankLine(text: string): string {
  const lastNewline = text.lastIndexOf('\n');
  if (lastNewline < 0) return text;
  for (let at = lastNewline + 1; at < text.length; at++) if (text[at] !== ' ') return text;
  return text.slice(0, lastNewline + 1);
}
