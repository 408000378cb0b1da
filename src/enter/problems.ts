// Nix's errors in the Problems panel: an enter that fails publishes the error on the file, at
// the line Nix names (or, for errors nixpkgs raises without a position, at the package or pin
// they are about); the next successful enter of that file clears it.
import * as vscode from 'vscode';
import { isPplNixError, type PplNixError, type PplNixErrorData } from '../core/errors';
import { errorFile, placesOf, withLocation, type ErrorPlace } from '../core/shellNix/errorPlaces';
import { readNixFile } from '../core/shellNix/reader';
import { readIfExists } from '../host/files';

/** The diagnostics' source: what the user sees after the message in the Problems panel. */
export const NIX_PROBLEM_SOURCE = 'nix-shell';

export class NixProblems implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(NIX_PROBLEM_SOURCE);
  /** The files each environment file's failure was published on (the file itself, or one it imports). */
  private readonly published = new Map<string, vscode.Uri[]>();

  /**
   * Publishes a failed enter of `file` (its text as the enter read it); returns the error's data with the place found where Nix
   * named none (so "Open File at Error" works for a renamed or broken package too).
   */
  async report(file: vscode.Uri, text: string | undefined, error: unknown): Promise<PplNixErrorData | undefined> {
    this.clear(file);
    if (!isPplNixError(error)) return undefined;
    const data = error.data;
    // Nix may name a file the environment imports: the problem goes there (read it); else the
    // environment's own file, whose text the enter read already.
    const target = vscode.Uri.file(errorFile(data, file.fsPath));
    const targetText = target.fsPath === file.fsPath ? text : await readIfExists(target.fsPath).catch(() => undefined);
    if (targetText === undefined) return data;
    const places = placesOf(data, target.fsPath, readNixFile(targetText));
    if (places.length === 0) return data;
    this.collection.set(
      target,
      places.map((place) => diagnostic(targetText, place, error)),
    );
    this.published.set(file.toString(), [target]);
    return withLocation(data, target.fsPath, places);
  }

  /** The file entered: what its last failure published goes. */
  clear(file: vscode.Uri): void {
    for (const uri of this.published.get(file.toString()) ?? []) this.collection.delete(uri);
    this.published.delete(file.toString());
  }

  /** PPL Nix disabled: no environment, no errors of one. */
  clearAll(): void {
    this.collection.clear();
    this.published.clear();
  }

  dispose(): void {
    this.collection.dispose();
  }
}

function diagnostic(text: string, place: ErrorPlace, error: PplNixError): vscode.Diagnostic {
  const range = new vscode.Range(positionOf(text, place.start), positionOf(text, place.end));
  const item = new vscode.Diagnostic(range, messageOf(error), vscode.DiagnosticSeverity.Error);
  item.source = NIX_PROBLEM_SOURCE;
  item.code = error.kind;
  return item;
}

/** Nix's own words where PPL Nix has them (a throw's message), else the typed error's sentence. */
function messageOf(error: PplNixError): string {
  return error.data.kind === 'nixFailed' ? error.data.detail : error.message;
}

function positionOf(text: string, offset: number): vscode.Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return new vscode.Position(line, offset - (before.lastIndexOf('\n') + 1));
}
