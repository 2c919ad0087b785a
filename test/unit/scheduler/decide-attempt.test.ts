import { describe, expect, it } from 'vitest';
import { countSlots, firesInMinute } from '../../../src/scheduler/count-slots.js';
import { cronMatcher } from '../../../src/scheduler/cron-matcher.js';
import {
  decideAttempt, DEFAULT_BACKOFF, NO_STREAK, shouldQuarantine, slotsToSkip, type FailureStreak,
} from '../../../src/scheduler/decide-attempt.js';

const at = (iso: string) => new Date(iso);
const streak = (failures: number, first = '2026-01-01T00:00:00Z', last = '2026-01-01T05:00:00Z'): FailureStreak => ({
  failures, firstFailedAt: at(first), lastFailedAt: at(last), lastFailedRunId: 9, lastSucceededAt: null,
});

describe('backoff', () => {
  it.each([[0, 0], [1, 1], [2, 3], [3, 7], [4, 15], [5, 15], [40, 15]])('after %i failures skips %i slots', (failures, skip) => {
    expect(slotsToSkip(failures, DEFAULT_BACKOFF)).toBe(skip);
  });

  it('runs every slot without a streak, and the slot after the skipped ones with one', () => {
    expect(decideAttempt(NO_STREAK, 0, DEFAULT_BACKOFF)).toEqual({ run: true });
    expect(decideAttempt(streak(2), 1, DEFAULT_BACKOFF)).toEqual({ run: false, failures: 2, skip: 3, slotsSinceFailure: 1 });
    expect(decideAttempt(streak(2), 3, DEFAULT_BACKOFF).run).toBe(false);
    expect(decideAttempt(streak(2), 4, DEFAULT_BACKOFF)).toEqual({ run: true });
  });

  it('honours a smaller cap', () => {
    expect(decideAttempt(streak(6), 3, { ...DEFAULT_BACKOFF, maxSkippedSlots: 2 })).toEqual({ run: true });
  });
});

describe('quarantine', () => {
  const policy = { ...DEFAULT_BACKOFF, quarantineAfterMs: 3 * 86_400_000 };
  it('after the configured time of continuous failure, not before', () => {
    expect(shouldQuarantine(streak(5), at('2026-01-03T23:59:59Z'), policy)).toBe(false);
    expect(shouldQuarantine(streak(5), at('2026-01-04T00:00:00Z'), policy)).toBe(true);
  });
  it('never without failures', () => {
    expect(shouldQuarantine(NO_STREAK, at('2030-01-01T00:00:00Z'), policy)).toBe(false);
  });
});

describe('slots of a schedule', () => {
  it('counts the hourly slots after a failure, the current one included, up to the limit', () => {
    const hourly = cronMatcher('0 * * * *');
    expect(countSlots(hourly, at('2026-01-01T10:00:30'), at('2026-01-01T13:00:00'), 100, 60_000)).toBe(3);
    expect(countSlots(hourly, at('2026-01-01T10:00:00'), at('2026-01-01T10:59:59'), 100, 60_000)).toBe(0);
    expect(countSlots(hourly, at('2026-01-01T10:00:00'), at('2026-01-05T10:00:00'), 5, 60_000)).toBe(5);
  });

  it('counts seconds-level slots by the second', () => {
    expect(countSlots(cronMatcher('*/10 * * * * *'), at('2026-01-01T10:00:00'), at('2026-01-01T10:01:00'), 100, 1_000)).toBe(6);
  });

  it('knows whether a schedule fires in a given minute', () => {
    expect(firesInMinute(cronMatcher('*/15 * * * *'), at('2026-01-01T10:15:40'), false)).toBe(true);
    expect(firesInMinute(cronMatcher('*/15 * * * *'), at('2026-01-01T10:16:00'), false)).toBe(false);
    expect(firesInMinute(cronMatcher('30 16 10 * * *'), at('2026-01-01T10:16:00'), true)).toBe(true);
  });
});
