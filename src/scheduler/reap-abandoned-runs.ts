import { sql } from 'drizzle-orm';
import type { Store } from '../store/open-store.js';

/**
 * Closes sync_runs rows left 'running' by a process that died (a killed worker, a crashed host).
 * A run writes its row and its result while holding the tenant lock, so a later run that finished
 * proves the earlier one no longer holds it: it is marked failed with code ABANDONED, finishing
 * when the next run started (the latest it can have stopped). Call it after a run of the tenant.
 */
export async function reapAbandonedRuns(store: Store, tenantId: number): Promise<number> {
  const rows = await store.rows<{ id: number }>(store.db, sql`
    update sync_runs r set status = 'failed', error_code = 'ABANDONED',
      error_message = 'the process running it stopped before it finished; a later run carried on',
      finished_at = (select min(n.started_at) from sync_runs n where n.tenant_id = r.tenant_id and n.id > r.id and n.status <> 'refused')
    where r.tenant_id = ${tenantId} and r.status = 'running'
      and exists (select 1 from sync_runs l where l.tenant_id = r.tenant_id and l.id > r.id
                  and l.status in ('succeeded', 'failed') and coalesce(l.error_code, '') <> 'ABANDONED')
    returning r.id`);
  return rows.length;
}
