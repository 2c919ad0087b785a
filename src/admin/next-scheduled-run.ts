import cron from 'node-cron';

/**
 * When the cron schedule fires next after now, in the process's time zone as the daemon's
 * node-cron schedules do; null when node-cron cannot read the expression. node-cron computes it
 * from the current time (it takes no reference date), so tests fix the system time.
 */
export function nextScheduledRun(schedule: string): Date | null {
  if (!cron.validate(schedule)) return null;
  // A stopped task never starts a timer; it is only asked for its next match, then destroyed.
  const task = cron.createTask(schedule, () => {});
  try {
    return task.getNextRuns(1)[0] ?? null;
  } finally {
    void task.destroy();
  }
}
