import { describe, expect, it } from 'vitest';
import { activeEnough, judgeSafety } from '../../../src/sync/safety-limit.js';

const limits = { maxPreserve: 500, maxPreservePercent: 20 };

describe('judgeSafety', () => {
  it.each([
    [0, 0, false],
    [0, 1000, false],
    [200, 1000, false], // exactly 20%: allowed
    [201, 1000, true], // just over 20%
    [500, 10_000, false], // exactly the count
    [501, 10_000, true], // over the count, well under 20%
    [1, 4, true], // 25% of a tiny tenant
    [1, 5, false], // 20% of five
    [1, 0, true], // nothing active: any preserve is over the percentage
  ])('%i preserves of %i active → tripped %s', (preserves, active, tripped) => {
    expect(judgeSafety(preserves, active, limits).tripped).toBe(tripped);
  });

  it('names the limit that tripped', () => {
    expect(judgeSafety(501, 10_000, limits).reason).toBe('it would preserve 501 users, more than the limit of 500');
    expect(judgeSafety(3, 13, limits).reason).toBe('it would preserve 3 of 13 active users (23.1%), more than the limit of 20%');
    expect(judgeSafety(1, 13, limits).reason).toBeNull();
  });

  it('needs no count of active users when nobody is preserved', () => {
    expect(judgeSafety(0, null, limits)).toEqual({ preserves: 0, activeBefore: null, limits, tripped: false, reason: null });
  });
});

describe('activeEnough', () => {
  // A count of active users may stop there: with that many the percentage holds, with fewer it may not.
  it.each([
    [1, 20], [3, 20], [939, 20], [200, 20], [1, 100], [7, 33.3], [10, 0.5], [499, 12.5],
  ])('%i preserves at %d %% is within the percentage at the bound and not far below it', (preserves, percent) => {
    const limits = { maxPreserve: Number.MAX_SAFE_INTEGER, maxPreservePercent: percent };
    const enough = activeEnough(preserves, limits);
    if (enough === null) throw new Error('expected a bound');
    expect(judgeSafety(preserves, enough, limits).tripped).toBe(false);
    expect(judgeSafety(preserves, enough - 2, limits).tripped).toBe(true);
  });

  it('has no bound at 0 %, where every preserve trips whatever the count', () => {
    expect(activeEnough(5, { maxPreserve: 500, maxPreservePercent: 0 })).toBeNull();
  });
});
