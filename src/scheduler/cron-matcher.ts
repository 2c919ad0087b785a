import cron from 'node-cron';

/** True when the schedule fires at this instant (to the second). */
export type CronMatcher = (date: Date) => boolean;

/**
 * node-cron's own matcher, so that the cluster tick and the local daemon read an expression the
 * same way (day-of-month/day-of-week rules, `L`, names). The task is never started; destroying it
 * at once keeps node-cron's global task list clean while its `match` still works.
 */
export function cronMatcher(expression: string, timezone?: string): CronMatcher {
  const task = cron.createTask(expression, () => undefined, timezone ? { timezone } : {});
  void task.destroy();
  return (date) => task.match(date);
}

/** Six fields means the expression has a seconds field (node-cron's extension). */
export function hasSecondsField(expression: string): boolean {
  return expression.trim().split(/\s+/).length === 6;
}
