export interface SafetyLimits {
  maxPreserve: number;
  maxPreservePercent: number;
}

export interface SafetyVerdict {
  /** Users this run would preserve. */
  preserves: number;
  /**
   * Active inSync users before the run, the base of the percentage; null when the run preserves
   * nobody (not counted). Exact when the run trips; otherwise counted only as far as the
   * percentage needs (activeEnough), so it may be a lower bound.
   */
  activeBefore: number | null;
  limits: SafetyLimits;
  tripped: boolean;
  /** Human explanation of which limit was exceeded. */
  reason: string | null;
}

/**
 * A run may preserve at most `maxPreserve` users and at most `maxPreservePercent` of the tenant's
 * active users; exceeding either stops it before it writes (issue 4 "Safety"). A directory that
 * suddenly loses a fifth of its users is far more often a broken mapping, a deleted group or a
 * wrong app registration than a mass leaving.
 */
export function judgeSafety(preserves: number, activeBefore: number | null, limits: SafetyLimits): SafetyVerdict {
  if (preserves === 0) return { preserves, activeBefore, limits, tripped: false, reason: null };
  const base = activeBefore ?? 0;
  const percentCap = (base * limits.maxPreservePercent) / 100;
  let reason: string | null = null;
  if (preserves > limits.maxPreserve) {
    reason = `it would preserve ${preserves} users, more than the limit of ${limits.maxPreserve}`;
  } else if (preserves > percentCap) {
    reason =
      `it would preserve ${preserves} of ${base} active users (${percent(preserves, base)}), ` +
      `more than the limit of ${limits.maxPreservePercent}%`;
  }
  return { preserves, activeBefore, limits, tripped: reason !== null, reason };
}

/**
 * The fewest active users before the run with which `preserves` stays within the percentage: a
 * count of active users that gets there need go no further, so that a run preserving a few users
 * of a large tenant does not read all of its inSync users. null when no count is enough (0 %).
 */
export function activeEnough(preserves: number, limits: SafetyLimits): number | null {
  if (!(limits.maxPreservePercent > 0)) return null;
  // One more than the bound, so that rounding in judgeSafety cannot put it on the wrong side.
  return Math.ceil((preserves * 100) / limits.maxPreservePercent) + 1;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '100%' : `${Math.round((part / whole) * 1000) / 10}%`;
}
