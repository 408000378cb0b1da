// Nix's error output → typed errors, so the UI can say what went wrong and offer the
// right action (open the file at the error, fix the hash, re-pin, install Nix).
import { PplNixError, type SourceLocation } from '../errors';

// ANSI colour codes appear when Nix thinks it writes to a terminal.
const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');

/**
 * The part of Nix's output that is the error itself. Nix 2.8 prints `error: <message>` first.
 * Newer Nix (2.13+) prints `error:` alone, then the evaluation trace (`… while calling …` frames,
 * each with an `at /nix/store/…` position), and the message last, as a second `error: <message>`
 * line: the last such line is the message. "N dependencies of derivation … failed to build"
 * comes after the builder's own error and says less: it is passed over.
 */
function finalError(text: string): string {
  const lines = text.split('\n');
  let start = -1;
  lines.forEach((line, index) => {
    if (/^\s*error:\s*\S/.test(line) && !/^\s*error: \d+ dependenc/.test(line)) start = index;
  });
  return start < 0 ? text : lines.slice(start).join('\n');
}

/** The first "at FILE:LINE:COL" after the error line (not a trace frame's). */
function locationIn(text: string): SourceLocation | undefined {
  const match = /\bat (\/[^\s:]+(?::[^\s:]+)*?):(\d+):(\d+)/.exec(finalError(text));
  if (!match?.[1]) return undefined;
  return { file: match[1], line: Number(match[2]), column: Number(match[3]) };
}

const where = (location: SourceLocation | undefined): string =>
  location ? ` at ${location.file}:${location.line}:${location.column}` : '';

/** The "error: …" message, without Nix's trace hints. */
function firstError(text: string): string {
  const lines = finalError(text).split('\n');
  const start = lines.findIndex((line) => /^\s*error:/.test(line));
  if (start < 0) return text.trim().split('\n').slice(-3).join('\n');
  const message: string[] = [lines[start]!.replace(/^\s*error:\s*/, '')];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '' || /^\s*(at \/|…|error:)/.test(line) || line.includes('--show-trace')) break;
    message.push(line.trim());
  }
  return message.join(' ').trim();
}

/** Classifies a failed Nix command's stderr. Always returns an error (nixFailed when unknown). */
export function parseNixError(stderr: string, exitCode: number | undefined): PplNixError {
  const text = stripAnsi(stderr);
  const location = locationIn(text);
  const loc = location === undefined ? {} : { location };

  const mismatch =
    /hash mismatch in (?:file downloaded from '([^']+)'|fixed-output derivation '([^']+)')[\s\S]*?specified:\s*(\S+)\s*got:\s*(\S+)/.exec(
      text,
    );
  if (mismatch) {
    const url = mismatch[1];
    // "sha256:<base32>" in Nix 2.8, SRI "sha256-…=" in later versions: keep what can be pasted.
    const specified = mismatch[3]!.replace(/^sha256:/, '');
    const got = mismatch[4]!.replace(/^sha256:/, '');
    return new PplNixError(
      { kind: 'hashMismatch', ...(url === undefined ? {} : { url }), specified, got },
      `The pin's sha256 does not match what was downloaded${url ? ` from ${url}` : ''}: the file says ${specified}, the download is ${got}.`,
    );
  }
  const undefinedVariable = /error: undefined variable '([^']+)'/.exec(text);
  if (undefinedVariable?.[1]) {
    const name = undefinedVariable[1];
    return new PplNixError(
      { kind: 'undefinedVariable', name, ...loc },
      `"${name}" does not exist at this nixpkgs pin (undefined variable${where(location)}).`,
    );
  }
  const missing = /error: attribute '([^']+)' missing/.exec(text);
  if (missing?.[1]) {
    const attribute = missing[1];
    return new PplNixError(
      { kind: 'attributeMissing', attribute, ...loc },
      `"${attribute}" does not exist at this nixpkgs pin (attribute missing${where(location)}).`,
    );
  }
  const syntax = /error: syntax error, ([^\n]*)/.exec(text);
  if (syntax?.[1]) {
    const detail = syntax[1].replace(/,?\s*at \/\S+$/, '').trim();
    return new PplNixError({ kind: 'syntaxError', detail, ...loc }, `Syntax error${where(location)}: ${detail}.`);
  }
  // With retries, Nix first prints "warning: error: unable to download …; retrying in N ms" lines: the last one is final.
  const download = [...text.matchAll(/error: unable to download '([^']+)': ([^\n]+)/g)].at(-1);
  if (download?.[1] && download[2]) {
    return new PplNixError(
      { kind: 'downloadFailed', url: download[1], reason: download[2].trim() },
      `Could not download ${download[1]}: ${download[2].trim()}. Are you offline? Once downloaded, a pin works offline.`,
    );
  }
  const broken = /Package ‘([^’]+)’[^\n]* is marked as broken/.exec(text) ?? /Package '([^']+)'[^\n]* is marked as broken/.exec(text);
  if (broken?.[1]) {
    return new PplNixError({ kind: 'brokenPackage', packageName: broken[1] }, `${broken[1]} is marked as broken at this nixpkgs pin.`);
  }
  const detail = firstError(text);
  return new PplNixError(
    { kind: 'nixFailed', exitCode, detail },
    `Nix failed${exitCode === undefined ? '' : ` (exit code ${exitCode})`}: ${detail}`,
  );
}
