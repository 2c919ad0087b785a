import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../src/graph/retry-after.js';

const NOW = new Date('2026-03-10T12:00:00.000Z');

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['2', 2_000],
    ['120', 120_000],
    [' 7 ', 7_000],
  ])('reads whole seconds %j as %d ms (D7, J1)', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it.each([
    ['2.128', 2_128],
    ['0.5', 500],
    ['1.0004', 1_000],
    ['3.9996', 4_000],
  ])('honours a fractional Retry-After %j as %d ms (D7)', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it.each([
    ['Tue, 10 Mar 2026 12:00:30 GMT', 30_000],
    ['Tue, 10 Mar 2026 12:05:00 GMT', 300_000],
    ['Tue, 10 Mar 2026 13:00:00 GMT', 3_600_000],
  ])('reads an HTTP-date %j relative to now (J1)', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it('measures an HTTP-date against the injected now, not the wall clock (J1)', () => {
    const later = new Date(NOW.getTime() + 10_000);
    expect(parseRetryAfter('Tue, 10 Mar 2026 12:00:30 GMT', later)).toBe(20_000);
  });

  it.each([
    ['Tue, 10 Mar 2026 11:59:00 GMT'],
    ['Tue, 10 Mar 2026 12:00:00 GMT'],
    ['Thu, 01 Jan 2015 00:00:00 GMT'],
  ])('turns a date in the past (or now) %j into 0 (J1)', (value) => {
    expect(parseRetryAfter(value, NOW)).toBe(0);
  });

  it.each([
    [null],
    [undefined],
    [''],
    ['   '],
    ['soon'],
    ['abc'],
    ['1e3'],
    ['Infinity'],
    ['0x10'],
  ])('returns null for an absent or unreadable header %j so the caller backs off (J1)', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeNull();
  });

  // V8's Date.parse is lenient: it reads these as dates in 2001, which the function then turns into
  // "retry immediately" (0 ms) instead of null (fall back to backoff). Neither is seconds nor an
  // HTTP-date (RFC 9110 §10.2.3), so they must be rejected.
  it.each([
    ['-1'],
    ['+5'],
    ['2.'],
    ['retry in 12'],
  ])('returns null, not 0, for garbage %j that Date.parse happens to accept (J1)', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeNull();
  });
});
