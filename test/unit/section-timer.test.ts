import { describe, expect, it } from 'vitest';
import { timedItems, type Section } from '../../src/core/section-timer.js';

describe('timedItems', () => {
  it('counts the waits for items, not the work the consumer does between them, and closes the source early', async () => {
    const spent: number[] = [];
    const timer = { add: (_s: Section, ms: number) => spent.push(ms) };
    let closed = false;
    async function* source() {
      try {
        for (let i = 0; i < 5; i += 1) {
          await new Promise((r) => setTimeout(r, 5));
          yield i;
        }
      } finally {
        closed = true;
      }
    }
    const seen: number[] = [];
    for await (const item of timedItems(timer, 'graph-wait', source())) {
      seen.push(item);
      const busyUntil = performance.now() + 300; // the consumer's own work
      while (performance.now() < busyUntil) { /* spin */ }
      if (item === 1) break;
    }
    expect(seen).toEqual([0, 1]);
    expect(closed).toBe(true);
    expect(spent).toHaveLength(2);
    // Each wait is the ~5 ms sleep, never the 300 ms of work after it.
    for (const ms of spent) expect(ms).toBeLessThan(250);
  });
});
