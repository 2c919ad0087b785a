import { describe, expect, it } from 'vitest';
import { formatQuota, parseQuota, QuotaError } from '../../src/config/parse-quota.js';

const GiB = 2 ** 30;

describe('parseQuota (insync-behaviour "Quota": binary units)', () => {
  it.each<[string | number, number | null]>([
    ['100GB', 100 * GiB],
    ['100 GB', 100 * GiB],
    ['100gb', 100 * GiB],
    ['1.5TB', 1.5 * 2 ** 40],
    ['500MB', 500 * 2 ** 20],
    ['50GiB', 50 * GiB],
    ['2 TiB', 2 * 2 ** 40],
    ['10MiB', 10 * 2 ** 20],
    ['unlimited', null],
    [' Unlimited ', null],
    [1073741824, GiB],
    ['1073741824', GiB],
    [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  ])('%j → %j', (input, bytes) => {
    expect(parseQuota(input)).toBe(bytes);
  });

  it.each<[string | number, RegExp]>([
    ['-5GB', /negative/],
    [-1, /negative/],
    ['0GB', /zero.*unlimited/],
    [0, /zero/],
    [Number.NaN, /not a number/],
    [Number.POSITIVE_INFINITY, /not a number/],
    [1.5, /whole number/],
    ['50 parsecs', /unknown unit "parsecs"/],
    ['50KB', /unknown unit "KB"/],
    ['lots', /not a size/],
    ['', /not a size/],
    ['1e3GB', /not a size/],
    ['9007199254740992', /too large/],
    ['8192TB', /too large/],
  ])('%j is refused (%s)', (input, why) => {
    expect(() => parseQuota(input)).toThrow(QuotaError);
    expect(() => parseQuota(input)).toThrow(why);
  });

  it('gives an example in the message', () => {
    expect(() => parseQuota('lots')).toThrow(/"100GB"/);
  });
});

describe('formatQuota', () => {
  it.each<[number | null, string]>([
    [null, 'unlimited'],
    [100 * GiB, '100 GB'],
    [1.5 * 2 ** 40, '1.5 TB'],
    [500 * 2 ** 20, '500 MB'],
    [1536 * 2 ** 20, '1.5 GB'],
    [1000, '1000 B'],
  ])('%j → %s', (bytes, text) => {
    expect(formatQuota(bytes)).toBe(text);
  });

  it.each(['100GB', '1.5TB', '500MB', '7 GB', 'unlimited'])('round-trips %s', (text) => {
    const bytes = parseQuota(text);
    expect(parseQuota(formatQuota(bytes))).toBe(bytes);
  });
});
