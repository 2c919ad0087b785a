import { describe, expect, it } from 'vitest';
import { runPooled } from '../../../src/sync/run-pooled.js';

/** A task that resolves (or rejects) when told to, and records how many ran at once. */
function gate() {
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const releases = new Map<number, (fail: boolean) => void>();
  const task = (i: number) => () =>
    new Promise<number>((resolve, reject) => {
      running += 1;
      peak = Math.max(peak, running);
      started.push(i);
      releases.set(i, (fail) => {
        running -= 1;
        if (fail) reject(new Error(`task ${i} failed`));
        else resolve(i * 10);
      });
    });
  return { task, started, releases, peak: () => peak };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('runPooled', () => {
  it('runs at most `limit` tasks at once and keeps results in task order', async () => {
    const g = gate();
    const done = runPooled([0, 1, 2, 3, 4].map(g.task), 2);
    await tick();
    expect(g.started).toEqual([0, 1]);
    g.releases.get(1)?.(false);
    await tick();
    expect(g.started).toEqual([0, 1, 2]);
    for (const i of [0, 2]) g.releases.get(i)?.(false);
    await tick();
    for (const i of [3, 4]) g.releases.get(i)?.(false);
    expect(await done).toEqual([0, 10, 20, 30, 40]);
    expect(g.peak()).toBe(2);
  });

  it('starts nothing new after a failure, waits for the running tasks, then throws the first failure', async () => {
    const g = gate();
    let settled = false;
    const done = runPooled([0, 1, 2, 3].map(g.task), 2).finally(() => { settled = true; });
    await tick();
    g.releases.get(0)?.(true);
    await tick();
    expect(g.started).toEqual([0, 1]);
    expect(settled).toBe(false); // task 1 is still running
    g.releases.get(1)?.(false);
    await expect(done).rejects.toThrow('task 0 failed');
    expect(g.started).toEqual([0, 1]);
  });

  it('with a limit of one runs tasks one after another', async () => {
    const order: number[] = [];
    const tasks = [0, 1, 2].map((i) => async () => { order.push(i); await tick(); order.push(i); return i; });
    expect(await runPooled(tasks, 1)).toEqual([0, 1, 2]);
    expect(order).toEqual([0, 0, 1, 1, 2, 2]);
  });
});
