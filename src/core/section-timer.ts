/**
 * Where a run spends its time, for `npm run bench -- --profile`. The engine reports how long each
 * section took; a section that runs in several streams side by side is summed over them, so the
 * sums may exceed the wall time. Durations only: nothing decides anything from them, so they come
 * from the monotonic performance clock rather than the injected Clock.
 */
export type Section =
  /** Waiting for the next Graph page (request and JSON parse not hidden behind the previous write). */
  | 'graph-wait'
  /** Validating and flattening Graph items into directory changes. */
  | 'parse'
  /** Writing pages into the mirror (entra_users, entra_groups, memberships), commit included. */
  | 'mirror-write'
  /** Reading a decide batch back: mirrored users, their memberships, their inSync rows. */
  | 'decide-read'
  /** The decision engine and the planner, in memory. */
  | 'decide'
  /** Creating and updating inSync users. */
  | 'insync-write'
  /** Writing the provisioning log. */
  | 'log-write'
  /** Committing the one apply transaction. */
  | 'commit';

export interface SectionTimer {
  add(section: Section, ms: number): void;
}

export const NO_TIMER: SectionTimer = { add: () => undefined };

export async function timed<T>(timer: SectionTimer, section: Section, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await fn();
  } finally {
    timer.add(section, performance.now() - started);
  }
}

export function timedSync<T>(timer: SectionTimer, section: Section, fn: () => T): T {
  const started = performance.now();
  try {
    return fn();
  } finally {
    timer.add(section, performance.now() - started);
  }
}
