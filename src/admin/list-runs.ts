import { desc, eq } from 'drizzle-orm';
import type { Store } from '../store/open-store.js';
import { syncRuns } from '../store/schema.js';
import { findTenant } from './find-tenant.js';

export async function listRuns(store: Store, tenantName: string, limit: number) {
  const tenant = await findTenant(store.db, tenantName);
  return store.db
    .select({
      id: syncRuns.id, mode: syncRuns.mode, trigger: syncRuns.trigger, status: syncRuns.status, startedAt: syncRuns.startedAt,
      finishedAt: syncRuns.finishedAt, counts: syncRuns.counts, graphRequests: syncRuns.graphRequests,
      errorCode: syncRuns.errorCode, errorMessage: syncRuns.errorMessage,
    })
    .from(syncRuns)
    .where(eq(syncRuns.tenantId, tenant.id))
    .orderBy(desc(syncRuns.id))
    .limit(limit);
}
