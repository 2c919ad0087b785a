/**
 * Exponential backoff with "full jitter": a random wait between 0 and base·2^attempt, capped.
 * Jitter spreads the retries of many workers so that they do not hit a throttled tenant in step
 * (graph-semantics D7: "use exponential backoff" when there is no Retry-After).
 */
export function backoffDelay(attempt: number, random: () => number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  // Never less than a tenth of the ceiling: a zero wait would just spend another attempt.
  return Math.round(ceiling * (0.1 + 0.9 * random()));
}
