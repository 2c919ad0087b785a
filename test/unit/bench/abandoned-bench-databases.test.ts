import { describe, expect, it } from 'vitest';
import { abandonedBenchDatabases } from '../../../src/bench/bench-database.js';

describe('abandonedBenchDatabases', () => {
  it('names the bench databases of processes that no longer run, and nothing else', () => {
    const alive = new Set([100, 200]);
    const names = [
      'ei_bench_100_0a1b2c3d', // running bench
      'ei_bench_300_deadbeef', // killed bench
      'ei_bench_4001_00ff00ff', // killed bench
      'ei_bench_c8fbde9af4', // an older naming without a pid: not ours to judge
      'ei_bench_300_notes', // not a bench name
      'test',
      'ei_bench_200_12345678_copy',
    ];
    expect(abandonedBenchDatabases(names, (pid) => alive.has(pid))).toEqual(['ei_bench_300_deadbeef', 'ei_bench_4001_00ff00ff']);
  });
});
