/**
 * Runs tasks at most `limit` at a time, in order, and returns their results in the same order.
 * After a failure no new task is started, but the running ones are waited for before the first
 * failure is thrown, so that no stream is still writing when the caller releases its lock.
 */
export async function runPooled<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < tasks.length) {
      const index = next;
      next += 1;
      const task = tasks[index];
      if (!task) continue;
      try {
        results[index] = await task();
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
  return results;
}
