// "Newest enter wins": when the user switches environments quickly, only the newest enter of a
// folder may change what the folder uses, and every pending enter answers with the newest one's
// result, so no caller (the status bar, a command, the API) acts on a superseded environment.
// Pure: no VS Code, no timers.

export class NewestWins<T> {
  private generation = 0;
  private newest: Promise<T> | undefined;

  /**
   * Starts task. `isCurrent()` tells the task, at any await, whether it is still the newest
   * (a superseded task must not apply its result). Resolves with the task's result, or with the
   * newest task's when a newer one started meanwhile (after cancelAll, with its own).
   */
  run(task: (isCurrent: () => boolean) => Promise<T>): Promise<T> {
    const mine = ++this.generation;
    const isCurrent = (): boolean => this.generation === mine;
    const run: Promise<T> = task(isCurrent).then((result) => (isCurrent() || this.newest === run ? result : this.newest!));
    this.newest = run;
    return run;
  }

  /** Supersedes every running task without starting a new one (e.g. "Disable for this workspace"). */
  cancelAll(): void {
    this.generation++;
  }
}
