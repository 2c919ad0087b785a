import { sql } from 'drizzle-orm';
import type { Store } from './open-store.js';

/**
 * Gives the planner statistics for insync_users once a tenant's first import has committed:
 * PostgreSQL's own advice after a bulk load. Until autovacuum gets to it (a minute or more later;
 * never on PGlite, which has none) the planner has none for the new rows, and joins a batch's rows
 * to the whole tenant's: right after a 300k-user import, a churn's update of 1,200 inSync users
 * (applyActions joins its rows to insync_users by id) hashed all 280k of them, read through a full
 * index scan, in 540-600 ms, where probing the 1,200 ids took 60-75 ms. With statistics it probes.
 *
 * Only this table: the mirror's statements join by keys a subquery or an array already narrows,
 * and were as fast without statistics (at 1M users, the churn's mirror writes took 3.8 s summed
 * either way), while ANALYZE samples 30,000 rows a table however large: the mirror's two tables
 * as well took 1.1 s at the end of a 1M import instead of 0.5 s.
 *
 * Only where autovacuum would analyze too: when the import's users are more than 50 plus 10 % of
 * the rows the table had at its last analysis (autovacuum_analyze_threshold and _scale_factor,
 * PostgreSQL's defaults), or it never had one. A small tenant joining a database that holds large
 * ones changes no plan and need not pay for it. The import's own users count, not
 * pg_stat_user_tables: the inSync writes of a run are one transaction, whose counts reach the
 * shared statistics only some time after it commits. ANALYZE blocks no writes. Returns whether it
 * analyzed.
 */
export async function analyzeInsyncUsers(store: Store, importedUsers: number): Promise<boolean> {
  const [table] = await store.rows<{ tuples: number | string | null }>(store.db, sql`
    select reltuples::float8 as tuples from pg_class where oid = to_regclass('insync_users')`);
  const analyzed = Number(table?.tuples ?? -1);
  if (analyzed >= 0 && importedUsers <= 50 + 0.1 * analyzed) return false;
  await store.rows(store.db, sql`analyze insync_users`);
  return true;
}
