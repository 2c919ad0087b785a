import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src/graph/backoff-delay.js';

const BASE = 1_000;
const MAX = 180_000;

describe('backoffDelay (D7: exponential backoff with jitter, capped, J1/J2)', () => {
  it.each([
    [0, 1_000],
    [1, 2_000],
    [2, 4_000],
    [3, 8_000],
    [7, 128_000],
    [8, 180_000],
    [20, 180_000],
  ])('attempt %d with random()→1 waits the full ceiling %d ms (D7)', (attempt, ceiling) => {
    // random() is in [0, 1); a value just below 1 gives (almost) the ceiling.
    expect(backoffDelay(attempt, () => 1, BASE, MAX)).toBe(ceiling);
  });

  it.each([
    [0, 100],
    [1, 200],
    [3, 800],
    [8, 18_000],
    [30, 18_000],
  ])('attempt %d with random()→0 waits a tenth of the ceiling, %d ms (D7)', (attempt, floor) => {
    expect(backoffDelay(attempt, () => 0, BASE, MAX)).toBe(floor);
  });

  it.each([
    [0, 550],
    [2, 2_200],
    [10, 99_000],
  ])('attempt %d with random()→0.5 waits %d ms (D7 jitter)', (attempt, expected) => {
    expect(backoffDelay(attempt, () => 0.5, BASE, MAX)).toBe(expected);
  });

  it('treats a negative attempt as the first one (D7)', () => {
    expect(backoffDelay(-3, () => 1, BASE, MAX)).toBe(1_000);
  });

  it('grows with the attempt number for the same random draw (D7)', () => {
    const delays = [0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, () => 0.3, BASE, MAX));
    for (let i = 1; i < delays.length; i += 1) expect(delays[i]).toBeGreaterThan(delays[i - 1] ?? Infinity);
  });

  it('stays within [0.1·ceiling, ceiling] for many random draws and never exceeds maxMs (D7, J1)', () => {
    let seed = 42;
    const lcg = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let attempt = 0; attempt < 15; attempt += 1) {
      const ceiling = Math.min(MAX, BASE * 2 ** attempt);
      for (let i = 0; i < 50; i += 1) {
        const d = backoffDelay(attempt, lcg, BASE, MAX);
        expect(d).toBeGreaterThanOrEqual(Math.round(ceiling * 0.1));
        expect(d).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('draws from the injected random source exactly once per call (D7 jitter)', () => {
    let calls = 0;
    const random = (): number => {
      calls += 1;
      return 0.25;
    };
    expect(backoffDelay(4, random, BASE, MAX)).toBe(Math.round(16_000 * (0.1 + 0.9 * 0.25)));
    expect(calls).toBe(1);
  });

  it('different random draws give different delays (jitter spreads workers, D7)', () => {
    expect(backoffDelay(3, () => 0.1, BASE, MAX)).not.toBe(backoffDelay(3, () => 0.9, BASE, MAX));
  });
});
