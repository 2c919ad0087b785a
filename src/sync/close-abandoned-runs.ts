import { sql } from 'drizzle-orm';
import type { Db, Store } from '../store/open-store.js';

/**
 * Closes sync_runs rows left 'running' by a process that died (a killed worker, a crashed host).
 * Run rows are written only while holding the tenant lock, so whoever holds it now knows that any
 * other 'running' row is dead: it is marked failed with code ABANDONED, finishing now (the latest
 * it can have stopped).
 */
export async function closeAbandonedRuns(store: Store, db: Db, tenantId: number, now: Date): Promise<number> {
  const rows = await store.rows<{ id: number }>(db, sql`
    update sync_runs set status = 'failed', error_code = 'ABANDONED', finished_at = ${now.toISOString()}::timestamptz,
      error_message = 'the process running it stopped before it finished; a later run carried on'
    where tenant_id = ${tenantId} and status = 'running'
    returning id`);
  return rows.length;
}
