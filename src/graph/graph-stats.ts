/** Counters one Graph client keeps for the run record and the logs. */
export interface GraphStats {
  /** HTTP attempts sent, retries included. */
  requests: number;
  retries: number;
  /** Answers that were 429. */
  throttled: number;
}

export function emptyGraphStats(): GraphStats {
  return { requests: 0, retries: 0, throttled: 0 };
}
