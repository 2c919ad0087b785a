import { and, eq } from 'drizzle-orm';
import type { Db } from './open-store.js';
import { deltaCursors } from './schema.js';

export interface DeltaCursor {
  deltaLink: string;
  queryHash: string;
  roundStartedAt: Date;
}

export async function loadDeltaCursor(db: Db, tenantId: number, stream: string): Promise<DeltaCursor | null> {
  const [row] = await db
    .select({ deltaLink: deltaCursors.deltaLink, queryHash: deltaCursors.queryHash, roundStartedAt: deltaCursors.roundStartedAt })
    .from(deltaCursors)
    .where(and(eq(deltaCursors.tenantId, tenantId), eq(deltaCursors.stream, stream)));
  return row ?? null;
}

/** Saved in the same transaction as a round's last page, so a crash replays pages rather than losing them. */
export async function saveDeltaCursor(db: Db, tenantId: number, stream: string, cursor: DeltaCursor): Promise<void> {
  await db
    .insert(deltaCursors)
    .values({ tenantId, stream, ...cursor, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: [deltaCursors.tenantId, deltaCursors.stream],
      set: { deltaLink: cursor.deltaLink, queryHash: cursor.queryHash, roundStartedAt: cursor.roundStartedAt, updatedAt: new Date() },
    });
}

/** Drops cursors of streams the current mappings no longer need (a different set of groups). */
export async function deleteDeltaCursor(db: Db, tenantId: number, stream: string): Promise<void> {
  await db.delete(deltaCursors).where(and(eq(deltaCursors.tenantId, tenantId), eq(deltaCursors.stream, stream)));
}
