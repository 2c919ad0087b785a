import { sql } from 'drizzle-orm';
import { sendQuery } from './send-query.js';
import type { Db } from './open-store.js';
import { uuidArray } from './unnest.js';

/** The SQL that stamps a mirrored user as changed (see entra_users.changed_seq). */
export const NEXT_CHANGE = sql`nextval('entra_change_seq')`;

/**
 * Serialises writes to one tenant's mirrored users across the transactions of a run's parallel
 * streams, until the transaction ends. Sorting rows was not enough: one transaction may write
 * users in several statements (upserts, then removals; removed members, then added ones), and two
 * such transactions could still take row locks in crossing orders and deadlock (seen in the 1%
 * churn benchmark). Take it before the first write to entra_users in a transaction.
 */
export async function lockUsersMirror(db: Db, tenantId: number): Promise<void> {
  await sendQuery(db, sql`select pg_advisory_xact_lock(${0x45550000 + tenantId})`);
}

/** Makes the next run decide these users again (membership changes, admin actions). */
export async function flagUsersForDecision(db: Db, tenantId: number, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await lockUsersMirror(db, tenantId);
  await sendQuery(db, sql`
    update entra_users u set changed_seq = ${NEXT_CHANGE}
    from (select id from entra_users where tenant_id = ${tenantId} and id = any(${uuidArray([...new Set(ids)])})
          order by id for update) x
    where u.tenant_id = ${tenantId} and u.id = x.id`);
}
