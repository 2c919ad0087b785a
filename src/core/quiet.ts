/**
 * Returns the promise itself, marked as handled: it may reject while nobody awaits it yet (a
 * statement sent ahead on a transaction, say) without being reported as an unhandled rejection.
 * Whoever awaits it later still gets the rejection.
 */
export function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
