import { describe, expect, it } from 'vitest';
import { atLeast, BatchWriter } from '../../../src/sync/batch-writer.js';

async function* batches<T>(...items: T[][]): AsyncGenerator<T[]> {
  for (const b of items) yield b;
}

describe('atLeast', () => {
  it('joins consecutive batches until each holds enough, and counts what went in', async () => {
    const out: { changes: number[]; parts: number }[] = [];
    for await (const joined of atLeast(batches([1, 2], [3], [4, 5, 6], [7]), 3)) out.push(joined);
    expect(out).toEqual([
      { changes: [1, 2, 3], parts: 2 },
      { changes: [4, 5, 6], parts: 1 },
      { changes: [7], parts: 1 },
    ]);
  });
});

describe('BatchWriter', () => {
  it('keeps one write in flight, starts the next only when it is done, and remembers a nesting change', async () => {
    const log: string[] = [];
    let release: () => void = () => undefined;
    const writes = new BatchWriter();
    await writes.next(() => new Promise<boolean>((resolve) => {
      log.push('start 1');
      release = () => { log.push('end 1'); resolve(true); };
    }));
    log.push('caller goes on');
    const second = writes.next(async () => { log.push('start 2'); return false; });
    await Promise.resolve();
    expect(log).toEqual(['start 1', 'caller goes on']);
    release();
    await second;
    expect(await writes.drain()).toBe(true);
    expect(log).toEqual(['start 1', 'caller goes on', 'end 1', 'start 2']);
  });

  it('surfaces a failed write at the next batch, which is not started', async () => {
    const writes = new BatchWriter();
    await writes.next(() => Promise.reject(new Error('refused')));
    let started = false;
    await expect(writes.next(async () => { started = true; return false; })).rejects.toThrow('refused');
    expect(started).toBe(false);
  });
});
