// Long Nix work under a cancellable notification: VS Code's cancellation token becomes the
// AbortSignal the process layer understands (cancelling kills the whole process tree).
import * as vscode from 'vscode';

/** The token's cancellation as an AbortSignal; dispose the result to drop the listener. */
export function abortOn(token: vscode.CancellationToken): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const listener = token.onCancellationRequested(() => controller.abort());
  if (token.isCancellationRequested) controller.abort();
  return { signal: controller.signal, dispose: () => listener.dispose() };
}

/**
 * Runs work under a cancellable notification; `report` updates its message (Nix's current line).
 * `lifetime` is the extension's: deactivating stops the work too.
 */
export function withNixProgress<T>(
  lifetime: AbortSignal,
  title: string,
  work: (signal: AbortSignal, report: (message: string) => void) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const abort = abortOn(token);
      try {
        return await work(AbortSignal.any([lifetime, abort.signal]), (message) => progress.report({ message }));
      } finally {
        abort.dispose();
      }
    },
  );
}
