import { AppError } from '../core/app-error.js';
import type { Db, Store } from '../store/open-store.js';

/**
 * Runs an admin change in one transaction under the sync's tenant lock, so that it never
 * interleaves with a run deciding the same users; while a sync holds the lock it refuses with
 * TENANT_LOCKED (exit 3), saying to `retry` (e.g. "adopt") when the sync finishes.
 */
export async function inTenantTransaction<T>(store: Store, tenant: { id: number; name: string }, retry: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const locked = await store.withTenantLock(tenant.id, () => store.db.transaction(fn));
  if (!locked.ran) throw new AppError('TENANT_LOCKED', `a sync of tenant "${tenant.name}" is running; ${retry} when it finishes`);
  return locked.value;
}
