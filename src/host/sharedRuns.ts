// One run per key, shared by everyone who asks for it: captures of the same environment while
// the user switches back and forth. A waiter can stop waiting in two ways:
//   - cancel (its `signal`: the Cancel button, the extension stopping): when nobody else waits,
//     the run stops now;
//   - detach (its `detach`: a newer enter of the folder superseded it): when nobody else waits,
//     the run goes on for a grace period, so switching back joins it instead of starting over,
//     and a run that ends in that time still fills the cache.
import { PplNixError } from '../core/errors';

export interface Waiter {
  readonly signal?: AbortSignal;
  readonly detach?: AbortSignal;
  readonly onProgress?: (line: string) => void;
}

interface Run<T> {
  readonly result: Promise<T>;
  readonly abort: AbortController;
  readonly listeners: Set<(line: string) => void>;
  waiters: number;
  idle?: ReturnType<typeof setTimeout> | undefined;
}

export class SharedRuns<T> {
  private readonly runs = new Map<string, Run<T>>();

  constructor(
    /** How long a run nobody waits for (all detached) goes on. */
    private readonly graceMs: number,
    private readonly what = 'capture',
  ) {}

  /** Joins the run for key, starting it when there is none; `start` gets the run's own signal and progress. */
  join(key: string, waiter: Waiter, start: (signal: AbortSignal, onProgress: (line: string) => void) => Promise<T>): Promise<T> {
    if (waiter.signal?.aborted === true || waiter.detach?.aborted === true) {
      return Promise.reject(new PplNixError({ kind: 'cancelled', command: this.what }, `The ${this.what} was cancelled.`));
    }
    let run = this.runs.get(key);
    if (run === undefined) {
      const abort = new AbortController();
      const listeners = new Set<(line: string) => void>();
      const result = start(abort.signal, (line) => listeners.forEach((listener) => listener(line)));
      const created: Run<T> = { result, abort, listeners, waiters: 0 };
      run = created;
      this.runs.set(key, created);
      const forget = (): void => {
        clearTimeout(created.idle);
        if (this.runs.get(key) === created) this.runs.delete(key);
      };
      result.then(forget, forget);
    }
    return this.wait(run, waiter);
  }

  /** Stops the runs nobody waits for (detached, in their grace period): disabling, shutting down. */
  stopDetached(): void {
    for (const run of this.runs.values()) if (run.waiters === 0) run.abort.abort();
  }

  /** How many runs are going on (for tests and the log). */
  get size(): number {
    return this.runs.size;
  }

  private wait(run: Run<T>, waiter: Waiter): Promise<T> {
    run.waiters++;
    clearTimeout(run.idle);
    run.idle = undefined;
    if (waiter.onProgress !== undefined) run.listeners.add(waiter.onProgress);
    return new Promise<T>((resolve, reject) => {
      let left = false;
      const leave = (how: 'done' | 'cancel' | 'detach'): void => {
        if (left) return;
        left = true;
        waiter.signal?.removeEventListener('abort', onCancel);
        waiter.detach?.removeEventListener('abort', onDetach);
        if (waiter.onProgress !== undefined) run.listeners.delete(waiter.onProgress);
        run.waiters--;
        if (run.waiters > 0 || how === 'done') return;
        if (how === 'cancel') run.abort.abort();
        else {
          run.idle = setTimeout(() => run.abort.abort(), this.graceMs);
          run.idle.unref?.(); // a grace period never keeps a process (the CLI) alive
        }
      };
      const stopped = (): PplNixError => new PplNixError({ kind: 'cancelled', command: this.what }, `The ${this.what} was cancelled.`);
      const onCancel = (): void => (leave('cancel'), reject(stopped()));
      const onDetach = (): void => (leave('detach'), reject(stopped()));
      waiter.signal?.addEventListener('abort', onCancel, { once: true });
      waiter.detach?.addEventListener('abort', onDetach, { once: true });
      run.result.then(
        (value) => (leave('done'), resolve(value)),
        (error: unknown) => (leave('done'), reject(error)),
      );
    });
  }
}
