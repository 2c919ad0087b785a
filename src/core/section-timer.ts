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

/**
 * Yields what `source` yields, adding to `section` only the time spent waiting for each item, so
 * that the caller's own work between items is not counted as waiting.
 */
export async function* timedItems<T>(timer: SectionTimer, section: Section, source: AsyncIterable<T>): AsyncGenerator<T> {
  const items = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      const started = performance.now();
      const next = await items.next();
      timer.add(section, performance.now() - started);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await items.return?.();
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
