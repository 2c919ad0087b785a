import { sql } from 'drizzle-orm';
import type { Db, Store } from './open-store.js';

/**
 * Rules out sequential and bitmap scans for the rest of the transaction. Each batch of the decide
 * step looks up 2,000 object ids, emails and members: 2,000 index probes each, a few milliseconds.
 * But PostgreSQL hashes a long `= any(...)` list and then prices "scan the tenant's whole index
 * range (or table) and filter" below the probes for tables of ~20k-200k rows, so each lookup read
 * the whole tenant: up to 300 ms a batch inside a 300k-user import, growing with the tenant. Every
 * read of the decide step is keyed, so scans are ruled out; `set_config(…, true)` ends with the
 * transaction. The decide step used to ANALYZE the mirror and the growing insync_users inside its
 * transaction (at batches 1, 2, 4, 8, …) instead, which cost 28 % of the decide step at 300k users
 * and changed no plan. (Joins are another matter: see analyzeInsyncUsers.)
 */
export async function preferKeyedPlans(store: Store, db: Db): Promise<void> {
  await store.rows(db, sql`select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`);
}
