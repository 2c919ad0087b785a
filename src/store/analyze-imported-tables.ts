import { sql } from 'drizzle-orm';
import type { Store } from './open-store.js';

/**
 * Gives the planner statistics for the tables a tenant's first import filled, once it has
 * committed: PostgreSQL's own advice after a bulk load. Until autovacuum gets to them (a minute
 * or more later) the planner has none for the new rows, and joins a batch's rows to a whole
 * tenant's: right after a 300k-user import, a churn's update of 1,200 inSync users (applyActions
 * joins its rows to insync_users by id) hashed all 280k of them, read through a full index scan,
 * in 540-600 ms, where probing the 1,200 ids took 60-75 ms. With statistics it probes.
 *
 * ANALYZE reads a sample of each table (30,000 rows), not the whole, and does not block writes.
 */
export async function analyzeImportedTables(store: Store): Promise<void> {
  await store.rows(store.db, sql`analyze entra_users, entra_group_members, insync_users`);
}
