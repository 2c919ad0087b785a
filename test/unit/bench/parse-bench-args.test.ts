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
});
