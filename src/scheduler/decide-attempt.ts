/**
 * The backoff and quarantine rules, as pure functions of the failure streak (loaded from
 * sync_runs, so they survive restarts and hold across a cluster).
 *
 * - After n consecutive failures the next 2^n − 1 scheduled slots are skipped (1, 3, 7, 15 …),
 *   never more than `maxSkippedSlots`; the slot after that is attempted.
 * - When a run fails and the streak's first failure is `quarantineAfterMs` old or older, the
 *   tenant is quarantined (like the Entra provisioning service's quarantine): no more scheduled
 *   runs until an admin sets it active again.
 * - A success ends the streak.
 */
export interface BackoffPolicy {
  /** Cap on skipped slots; default 15 (an hourly tenant that keeps failing is tried every 16 h). */
  maxSkippedSlots: number;
  /** Continuous failure this long quarantines the tenant; default 3 days. */
  quarantineAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { maxSkippedSlots: 15, quarantineAfterMs: 3 * 24 * 3_600_000 };

/** Failed or refused runs since the last success (runs stopped by a shutdown or a dead worker do not count). */
export interface FailureStreak {
  failures: number;
  firstFailedAt: Date | null;
  lastFailedAt: Date | null;
  lastFailedRunId: number | null;
  lastSucceededAt: Date | null;
}

export const NO_STREAK: FailureStreak = { failures: 0, firstFailedAt: null, lastFailedAt: null, lastFailedRunId: null, lastSucceededAt: null };

export type AttemptDecision =
  | { run: true }
  | { run: false; failures: number; skip: number; slotsSinceFailure: number };

export function slotsToSkip(failures: number, policy: BackoffPolicy): number {
  if (failures <= 0) return 0;
  // 2^31 overflows nothing here, but the cap is what matters; clamp the exponent anyway.
  return Math.min(2 ** Math.min(failures, 30) - 1, policy.maxSkippedSlots);
}

/**
 * Whether the slot that just fired should run. `slotsSinceFailure` counts the schedule's slots in
 * (last failure, now], this one included.
 */
export function decideAttempt(streak: FailureStreak, slotsSinceFailure: number, policy: BackoffPolicy): AttemptDecision {
  const skip = slotsToSkip(streak.failures, policy);
  if (skip === 0 || slotsSinceFailure > skip) return { run: true };
  return { run: false, failures: streak.failures, skip, slotsSinceFailure };
}

/** Called after a failed run, with the streak that includes it. */
export function shouldQuarantine(streak: FailureStreak, now: Date, policy: BackoffPolicy): boolean {
  if (streak.failures === 0 || !streak.firstFailedAt) return false;
  return now.getTime() - streak.firstFailedAt.getTime() >= policy.quarantineAfterMs;
}
