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
 * Only where autovacuum would analyze too: when the import's users are more than 50 plus 10 % of
 * the rows the mirror had at its last analysis (autovacuum_analyze_threshold and _scale_factor,
 * PostgreSQL's defaults), or it never had one. A small tenant joining a database that holds large
 * ones changes no plan and need not pay for it: ANALYZE samples 30,000 rows a table however
 * small the import was (0.8 s for the three tables at 300k users, 1.1 s at a million). It blocks
 * no writes.
 * The import's own users count, not pg_stat_user_tables: the inSync writes of a run are one
 * transaction, whose counts reach the shared statistics only some time after it commits.
 * Returns whether it analyzed.
 */
export async function analyzeImportedTables(store: Store, importedUsers: number): Promise<boolean> {
  const [mirror] = await store.rows<{ tuples: number | string | null }>(store.db, sql`
    select reltuples::float8 as tuples from pg_class where oid = to_regclass('entra_users')`);
  const analyzed = Number(mirror?.tuples ?? -1);
  if (analyzed >= 0 && importedUsers <= 50 + 0.1 * analyzed) return false;
  await store.rows(store.db, sql`analyze entra_users, entra_group_members, insync_users`);
  return true;
}
