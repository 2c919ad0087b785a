import { describe, expect, it } from 'vitest';
import { measureFreshPageCost } from '../../../src/bench/fresh-page-cost.js';

describe('measureFreshPageCost', () => {
  it('prices a fault by the time a fresh buffer took over the faults it caused', () => {
    // A counter that says each fill took 1,000 faults: each costs at most the whole call's time over 1,000.
    let faults = 0;
    let reads = 0;
    const counter = () => {
      reads += 1;
      if (reads % 2 === 0) faults += 1000;
      return faults;
    };
    const started = performance.now();
    const cost = measureFreshPageCost(3, 2 ** 20, counter);
    const callMicros = (performance.now() - started) * 1000;
    expect(reads).toBe(6);
    expect(cost).toBeGreaterThan(0);
    expect(cost).toBeLessThanOrEqual(callMicros / 1000);
  });

  it('says nothing when the counter saw no fault', () => {
    expect(measureFreshPageCost(2, 2 ** 20, () => 42)).toBeNull();
  });

  it.runIf(process.platform === 'linux')('sees the faults of a fresh 64 MB buffer on Linux', () => {
    const cost = measureFreshPageCost(1);
    expect(cost).not.toBeNull();
    expect(cost).toBeGreaterThan(0);
  });
});
