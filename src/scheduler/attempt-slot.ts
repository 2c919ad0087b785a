import type { Clock } from '../core/clock.js';
import type { Store } from '../store/open-store.js';
import { countSlots } from './count-slots.js';
import { cronMatcher, hasSecondsField } from './cron-matcher.js';
import { decideAttempt, slotsToSkip, type AttemptDecision, type BackoffPolicy, type FailureStreak } from './decide-attempt.js';
import { loadFailureStreaks } from './load-failure-streaks.js';

/** Applies the backoff to a slot of a tenant's schedule, given its streak (loaded here unless passed). */
export async function attemptSlot(
  store: Store,
  tenant: { id: number; schedule: string },
  clock: Clock,
  policy: BackoffPolicy,
  known?: FailureStreak,
): Promise<AttemptDecision> {
  const streak = known ?? (await loadFailureStreaks(store, tenant.id)).get(tenant.id);
  if (!streak || streak.failures === 0 || !streak.lastFailedAt) return { run: true };
  const limit = slotsToSkip(streak.failures, policy) + 1;
  const step = hasSecondsField(tenant.schedule) ? 1_000 : 60_000;
  const seen = countSlots(cronMatcher(tenant.schedule), streak.lastFailedAt, clock.now(), limit, step);
  return decideAttempt(streak, seen, policy);
}
