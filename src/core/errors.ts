// Typed errors: every failure the product can meet, as data. The host maps them to
// messages and actions in one place (src/shared/errors.ts); the CLI maps them to
// exit codes. Nothing here knows about VS Code.

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type PplNixErrorData =
  | { kind: 'invalidInput'; field: string; value: string }
  | { kind: 'nixNotFound'; command: string }
  | { kind: 'undefinedVariable'; name: string; location?: SourceLocation }
  | { kind: 'attributeMissing'; attribute: string; location?: SourceLocation }
  | { kind: 'hashMismatch'; url?: string; specified: string; got: string; location?: SourceLocation }
  | { kind: 'syntaxError'; detail: string; location?: SourceLocation }
  | { kind: 'downloadFailed'; url: string; reason: string; location?: SourceLocation }
  // A package marked broken, or a throw in nixpkgs (a renamed package): Nix names no position;
  // PPL Nix finds the reference in the file and sets location (src/core/shellNix/errorPlaces.ts).
  | { kind: 'brokenPackage'; packageName: string; location?: SourceLocation }
  | { kind: 'nixFailed'; exitCode: number | undefined; detail: string; location?: SourceLocation }
  | { kind: 'timeout'; command: string; milliseconds: number }
  | { kind: 'cancelled'; command: string }
  | { kind: 'foreignFile'; path: string }
  | { kind: 'fileChanged'; path: string }
  /** A file that is not UTF-8 text: PPL Nix never rewrites its bytes (it may replace it, with a backup, when told to). */
  | { kind: 'notText'; path: string }
  /** A path PPL Nix will not write or delete through: a symlink under .ppl-nix, or one leading outside the workspace. */
  | { kind: 'unsafePath'; path: string }
  | { kind: 'untrusted' };

export type PplNixErrorKind = PplNixErrorData['kind'];

export class PplNixError extends Error {
  constructor(
    readonly data: PplNixErrorData,
    message: string,
  ) {
    super(message);
    this.name = 'PplNixError';
  }

  get kind(): PplNixErrorKind {
    return this.data.kind;
  }
}

export function isPplNixError(error: unknown, kind?: PplNixErrorKind): error is PplNixError {
  return error instanceof PplNixError && (kind === undefined || error.kind === kind);
}
