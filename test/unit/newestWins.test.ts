import { strict as assert } from 'node:assert';
import { NewestWins } from '../../src/core/enter/newestWins';

/** A task the test finishes by hand, recording whether it was still current when it applied. */
function deferred(): { task: (isCurrent: () => boolean) => Promise<string>; finish(value: string): void; applied: boolean[] } {
  let finish: (value: string) => void = () => undefined;
  const applied: boolean[] = [];
  const task = (isCurrent: () => boolean): Promise<string> =>
    new Promise<string>((resolve) => (finish = resolve)).then((value) => {
      applied.push(isCurrent());
      return value;
    });
  return { task, finish: (value) => finish(value), applied };
}

describe('newest enter wins', () => {
  it('an older enter that finishes last answers with the newest result and may not apply its own', async () => {
    const wins = new NewestWins<string>();
    const a = deferred();
    const b = deferred();
    const first = wins.run(a.task);
    const second = wins.run(b.task);
    b.finish('B');
    a.finish('A');
    assert.deepEqual(await Promise.all([first, second]), ['B', 'B']);
    assert.deepEqual([a.applied, b.applied], [[false], [true]]);
  });

  it('an older enter that finishes first still answers with the newest result', async () => {
    const wins = new NewestWins<string>();
    const a = deferred();
    const b = deferred();
    const first = wins.run(a.task);
    const second = wins.run(b.task);
    a.finish('A');
    b.finish('B');
    assert.deepEqual(await Promise.all([first, second]), ['B', 'B']);
  });

  it('three in a row: all answer with the third; after cancelAll none is current and each answers its own', async () => {
    const wins = new NewestWins<string>();
    const tasks = [deferred(), deferred(), deferred()];
    const runs = tasks.map((t) => wins.run(t.task));
    tasks.forEach((t, i) => t.finish(String(i)));
    assert.deepEqual(await Promise.all(runs), ['2', '2', '2']);
    const d = deferred();
    const last = wins.run(d.task);
    wins.cancelAll();
    d.finish('late');
    assert.equal(await last, 'late');
    assert.deepEqual(d.applied, [false], 'a cancelled enter does not apply');
  });
});
