import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from './open-store.js';
import { insyncUsers, mappings } from './schema.js';

/**
 * Deletes a tenant's mappings matching `which` and detaches their inSync users, as ON DELETE SET
 * NULL did before insync_users.mapping_id lost its foreign key (PostgreSQL checked it once per
 * created user). The users keep their accounts; the next sync decides them again. Every code path
 * that deletes mappings goes through here. Returns the deleted ids.
 */
export async function deleteMappings(db: Db, tenantId: number, which: SQL | undefined): Promise<number[]> {
  const gone = await db.delete(mappings).where(and(eq(mappings.tenantId, tenantId), which)).returning({ id: mappings.id });
  const ids = gone.map((m) => m.id);
  if (ids.length > 0) {
    await db.update(insyncUsers).set({ mappingId: null })
      .where(and(eq(insyncUsers.tenantId, tenantId), inArray(insyncUsers.mappingId, ids)));
  }
  return ids;
}
