import { describe, expect, it } from 'vitest';
import { BloomFilter } from '../../src/core/bloom-filter.js';

const email = (n: number) => `user.${n}@contoso${n % 13}.example`;

describe('BloomFilter', () => {
  it('holds every email added to it', () => {
    const filter = new BloomFilter();
    for (let n = 0; n < 50_000; n += 1) filter.add(email(n));
    for (let n = 0; n < 50_000; n += 1) expect(filter.mightHold(email(n))).toBe(true);
  });

  it('says no for almost every email it never saw', () => {
    const filter = new BloomFilter();
    for (let n = 0; n < 100_000; n += 1) filter.add(email(n));
    let maybes = 0;
    for (let n = 100_000; n < 200_000; n += 1) if (filter.mightHold(email(n))) maybes += 1;
    // Practically none expected at this fill (about 170 bits an email, 7 probes); a broken hash
    // (one that ignores characters, or two probes that coincide) answers "maybe" far more often.
    expect(maybes).toBeLessThan(20);
  });

  it('starts empty', () => {
    const filter = new BloomFilter();
    expect([0, 1, 2, 3].some((n) => filter.mightHold(email(n)))).toBe(false);
  });

  it('overfull, it answers "maybe" more often but still never "no" for an added email', () => {
    const filter = new BloomFilter(10);
    for (let n = 0; n < 5_000; n += 1) filter.add(email(n));
    for (let n = 0; n < 5_000; n += 1) expect(filter.mightHold(email(n))).toBe(true);
    expect(filter.mightHold('nobody@fabrikam.example')).toBe(true);
  });
});
