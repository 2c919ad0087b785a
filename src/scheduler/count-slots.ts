import type { CronMatcher } from './cron-matcher.js';

/**
 * How many times a schedule fired in (from, to], counting no further than `limit`: the backoff
 * only needs "at least n". Steps by the schedule's resolution (a second for six-field
 * expressions, else a minute), so a few days of an hourly schedule is a few thousand checks.
 */
export function countSlots(matches: CronMatcher, from: Date, to: Date, limit: number, stepMs: 1_000 | 60_000): number {
  let count = 0;
  // The first whole step after `from`: a failure at 10:00:30 does not count the 10:00 slot.
  let t = Math.floor(from.getTime() / stepMs) * stepMs + stepMs;
  for (; t <= to.getTime() && count < limit; t += stepMs) {
    if (matches(new Date(t))) count += 1;
  }
  return count;
}

/** Whether the schedule fires anywhere in the minute starting at `minuteStart` (cluster ticks are per minute). */
export function firesInMinute(matches: CronMatcher, minuteStart: Date, seconds: boolean): boolean {
  const start = Math.floor(minuteStart.getTime() / 60_000) * 60_000;
  if (!seconds) return matches(new Date(start));
  for (let s = 0; s < 60; s += 1) if (matches(new Date(start + s * 1_000))) return true;
  return false;
}
