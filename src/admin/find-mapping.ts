import { and, asc, eq } from 'drizzle-orm';
import { AppError } from '../core/app-error.js';
import type { Db } from '../store/open-store.js';
import { mappings } from '../store/schema.js';

export type MappingRow = typeof mappings.$inferSelect;

/** The tenant's mappings, highest priority (1) first. */
export async function mappingsInOrder(db: Db, tenantId: number): Promise<MappingRow[]> {
  return db.select().from(mappings).where(eq(mappings.tenantId, tenantId)).orderBy(asc(mappings.priority), asc(mappings.id));
}

export async function findMapping(db: Db, tenantId: number, tenantName: string, name: string): Promise<MappingRow> {
  const [row] = await db.select().from(mappings).where(and(eq(mappings.tenantId, tenantId), eq(mappings.name, name)));
  if (row) return row;
  const names = (await mappingsInOrder(db, tenantId)).map((m) => m.name);
  throw new AppError('MAPPING_NOT_FOUND', `tenant "${tenantName}" has no mapping named "${name}"; its mappings: ${names.join(', ') || 'none'}`);
}

/**
 * Gives the mappings priorities 1..n in the order of `orderedIds`. Priorities are unique per
 * tenant, so everyone is parked at -id first (as apply-config does): otherwise swapping two
 * neighbours would collide half-way.
 */
export async function writeMappingOrder(db: Db, tenantId: number, orderedIds: readonly number[]): Promise<void> {
  const current = await mappingsInOrder(db, tenantId);
  const wanted = new Map(orderedIds.map((id, i) => [id, i + 1]));
  const moving = current.filter((m) => wanted.get(m.id) !== m.priority);
  for (const m of moving) await db.update(mappings).set({ priority: -m.id }).where(eq(mappings.id, m.id));
  for (const m of moving) {
    await db.update(mappings).set({ priority: wanted.get(m.id) ?? -m.id, updatedAt: new Date() }).where(eq(mappings.id, m.id));
  }
}
