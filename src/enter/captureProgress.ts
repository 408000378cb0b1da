// What a user sees while Nix builds an environment: the status item spins with Nix's current
// line at once, and after 1.5 s a cancellable notification shows the same line. Cancelling
// it cancels the enter (which kills the whole process tree).
import * as vscode from 'vscode';

const NOTIFY_AFTER_MS = 1500;

export class CaptureProgress implements vscode.Disposable {
  private report: ((line: string) => void) | undefined;
  private finish: () => void = () => undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param title the notification's title ("Building bayes environment")
   * @param onLine called with each shortened line (the status item shows it)
   * @param cancel called when the user cancels from the notification
   */
  constructor(
    private readonly title: string,
    private readonly onLine: (line?: string) => void,
    private readonly cancel: () => void,
  ) {}

  /** The capture starts (a cache miss): spin now, notify if it takes a while. */
  readonly start = (): void => {
    this.onLine();
    const done = new Promise<void>((resolve) => (this.finish = resolve));
    this.timer = setTimeout(() => {
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: this.title, cancellable: true },
        (progress, token) => {
          const listener = token.onCancellationRequested(() => this.cancel());
          this.report = (line) => progress.report({ message: line });
          return done.finally(() => listener.dispose());
        },
      );
    }, NOTIFY_AFTER_MS);
  };

  /** One line of Nix's stderr: store hashes dropped, so "building 'pymc-5.19.1.drv'" fits. */
  readonly line = (raw: string): void => {
    const short = raw.replace(/\/nix\/store\/[0-9a-z]{32}-/g, '').slice(0, 120);
    this.onLine(short);
    this.report?.(short);
  };

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.finish();
  }
}
