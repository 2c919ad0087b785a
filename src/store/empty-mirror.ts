import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './open-store.js';

/**
 * Whether a tenant has nothing mirrored yet: its first import, whose rows are all new. Each is one
 * probe of a primary key.
 */
export async function emptyMirror(
  rows: <R extends Record<string, unknown>>(db: Db, query: SQL) => Promise<R[]>,
  db: Db,
  tenantId: number,
): Promise<{ users: boolean; memberships: boolean }> {
  const [row] = await rows<{ users: boolean; memberships: boolean }>(db, sql`
    select not exists (select 1 from entra_users where tenant_id = ${tenantId}) as users,
           not exists (select 1 from entra_group_members where tenant_id = ${tenantId}) as memberships`);
  return { users: row?.users ?? false, memberships: row?.memberships ?? false };
}
