import { describe, expect, it } from 'vitest';
import { applyHeapGrowth } from '../../src/core/heap-growth.js';

describe('applyHeapGrowth', () => {
  it('sets V8\'s heap growing percent, and leaves V8 alone for 0', () => {
    const flags: string[] = [];
    applyHeapGrowth(100, (f) => flags.push(f));
    applyHeapGrowth(0, (f) => flags.push(f));
    applyHeapGrowth(250, (f) => flags.push(f));
    expect(flags).toEqual(['--heap-growing-percent=100', '--heap-growing-percent=250']);
  });
});
