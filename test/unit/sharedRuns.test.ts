import { strict as assert } from 'node:assert';
import { isPplNixError } from '../../src/core/errors';
import { SharedRuns } from '../../src/host/sharedRuns';

/** A run that ends when told to, and records how it ended. */
function controllable(): {
  start: (signal: AbortSignal, onProgress: (line: string) => void) => Promise<string>;
  finish: (value: string) => void;
  progress: (line: string) => void;
  starts: number;
  aborted: () => boolean;
} {
  let finish: (value: string) => void = () => undefined;
  let progress: (line: string) => void = () => undefined;
  let signal: AbortSignal | undefined;
  const self = {
    starts: 0,
    start: (s: AbortSignal, onProgress: (line: string) => void): Promise<string> => {
      self.starts++;
      signal = s;
      progress = onProgress;
      return new Promise<string>((resolve, reject) => {
        finish = resolve;
        s.addEventListener('abort', () => reject(new Error('killed')), { once: true });
      });
    },
    finish: (value: string) => finish(value),
    progress: (line: string) => progress(line),
    aborted: () => signal?.aborted === true,
  };
  return self;
}

const rejectsCancelled = async (promise: Promise<unknown>): Promise<void> => {
  await assert.rejects(promise, (error: unknown) => isPplNixError(error, 'cancelled'));
};

describe('shared captures (switching back joins the running capture)', () => {
  it('two enters of the same environment share one run and both get its result', async () => {
    const runs = new SharedRuns<string>(1000);
    const work = controllable();
    const a = runs.join('k', {}, work.start);
    const b = runs.join('k', {}, work.start);
    work.finish('env');
    assert.deepEqual(await Promise.all([a, b]), ['env', 'env']);
    assert.equal(work.starts, 1);
    assert.equal(runs.size, 0, 'a finished run is forgotten: the next enter starts anew');
  });

  it('a superseded enter detaches: the run goes on, and switching back joins it', async () => {
    const runs = new SharedRuns<string>(60_000);
    const work = controllable();
    const detach = new AbortController();
    const first = runs.join('k', { detach: detach.signal }, work.start);
    detach.abort();
    await rejectsCancelled(first);
    assert.equal(work.aborted(), false, 'not killed');
    const again = runs.join('k', {}, work.start);
    work.finish('env');
    assert.equal(await again, 'env');
    assert.equal(work.starts, 1);
  });

  it('a run nobody comes back for is stopped after the grace period', async () => {
    const runs = new SharedRuns<string>(20);
    const work = controllable();
    const detach = new AbortController();
    const first = runs.join('k', { detach: detach.signal }, work.start);
    detach.abort();
    await rejectsCancelled(first);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(work.aborted(), true);
    assert.equal(runs.size, 0);
  });

  it('Cancel stops the run at once when nobody else waits; not while someone does', async () => {
    const runs = new SharedRuns<string>(60_000);
    const work = controllable();
    const cancelA = new AbortController();
    const cancelB = new AbortController();
    const a = runs.join('k', { signal: cancelA.signal }, work.start);
    const b = runs.join('k', { signal: cancelB.signal }, work.start);
    cancelA.abort();
    await rejectsCancelled(a);
    assert.equal(work.aborted(), false, 'b still waits');
    cancelB.abort();
    await rejectsCancelled(b);
    assert.equal(work.aborted(), true);
  });

  it('progress goes to whoever waits now; stopDetached stops only runs nobody waits for', async () => {
    const runs = new SharedRuns<string>(60_000);
    const work = controllable();
    const other = controllable();
    const lines: string[] = [];
    const detach = new AbortController();
    const first = runs.join('k', { detach: detach.signal, onProgress: (line) => lines.push(`first ${line}`) }, work.start);
    work.progress('copying');
    detach.abort();
    await rejectsCancelled(first);
    work.progress('building');
    const waited = runs.join('other', {}, other.start);
    runs.stopDetached();
    assert.equal(work.aborted(), true, 'the detached one');
    assert.equal(other.aborted(), false, 'the one waited for');
    other.finish('ok');
    assert.equal(await waited, 'ok');
    assert.deepEqual(lines, ['first copying']);
  });

  it('a signal already aborted: no run starts', async () => {
    const runs = new SharedRuns<string>(60_000);
    const work = controllable();
    await rejectsCancelled(runs.join('k', { signal: AbortSignal.abort() }, work.start));
    assert.equal(work.starts, 0);
    assert.equal(runs.size, 0);
  });
});
