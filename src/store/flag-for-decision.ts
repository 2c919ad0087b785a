import { sql } from 'drizzle-orm';
import type { Db } from './open-store.js';
import { textArray } from './unnest.js';

/** The SQL that stamps a mirrored user as changed (see entra_users.changed_seq). */
export const NEXT_CHANGE = sql`nextval('entra_change_seq')`;

/**
 * Makes the next run decide these users again (membership changes, admin actions). Rows are locked
 * in id order, the order every mirror writer uses, so concurrent streams cannot deadlock.
 */
export async function flagUsersForDecision(db: Db, tenantId: number, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`
    update entra_users u set changed_seq = ${NEXT_CHANGE}
    from (select id from entra_users where tenant_id = ${tenantId} and id = any(${textArray([...new Set(ids)])})
          order by id collate "C" for update) x
    where u.tenant_id = ${tenantId} and u.id = x.id`);
}
