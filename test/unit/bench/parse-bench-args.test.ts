import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchArgs } from '../../../src/bench/parse-bench-args.js';

describe('parseBenchArgs', () => {
  it('reads the id order, random unless told', () => {
    expect(parseBenchArgs(['--users', '10']).options.idOrder).toBe('random');
    expect(parseBenchArgs(['--users', '10', '--id-order', 'listed']).options.idOrder).toBe('listed');
  });

  it('refuses an id order it does not know, naming the ones it does', () => {
    expect(() => parseBenchArgs(['--id-order', 'sorted'])).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['--id-order', 'sorted'])).toThrow('--id-order must be random or listed');
  });

  it('measures the heap growth the CLI would use: 100 % unless the environment says otherwise', () => {
    expect(parseBenchArgs([]).options.heapGrowthPercent).toBe(100);
    expect(parseBenchArgs([], { ENTRA_IMPORT_HEAP_GROWTH_PERCENT: '0' }).options.heapGrowthPercent).toBe(0);
    expect(() => parseBenchArgs([], { ENTRA_IMPORT_HEAP_GROWTH_PERCENT: 'lots' })).toThrow(/ENTRA_IMPORT_HEAP_GROWTH_PERCENT must be 0/);
  });
});
