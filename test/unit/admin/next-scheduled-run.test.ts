import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextScheduledRun } from '../../../src/admin/next-scheduled-run.js';

// node-cron computes from the current time; fixing the system clock makes it deterministic.
afterEach(() => {
  vi.useRealTimers();
});

function at(iso: string): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
}

describe('nextScheduledRun', () => {
  it('is the next whole hour for the hourly default', () => {
    at('2025-03-10T10:17:42');
    expect(nextScheduledRun('0 * * * *')).toEqual(new Date('2025-03-10T11:00:00'));
  });

  it('is strictly after now, even on the minute itself', () => {
    at('2025-03-10T11:00:00');
    expect(nextScheduledRun('0 * * * *')).toEqual(new Date('2025-03-10T12:00:00'));
  });

  it('follows day-of-week and month boundaries', () => {
    at('2025-12-31T23:30:00'); // a Wednesday
    expect(nextScheduledRun('15 2 * * 1')).toEqual(new Date('2026-01-05T02:15:00')); // the next Monday
    expect(nextScheduledRun('*/20 * * * *')).toEqual(new Date('2025-12-31T23:40:00'));
  });

  it('is null for an expression node-cron cannot read', () => {
    expect(nextScheduledRun('every hour')).toBeNull();
  });
});
