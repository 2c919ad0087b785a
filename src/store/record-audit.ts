import { eq, sql } from 'drizzle-orm';
import type { Db } from './open-store.js';
import { auditEvents, tenants } from './schema.js';

export interface AuditEvent {
  tenantId: number;
  /** Who did it: `cli:<os user>`, later `api:<principal>`. */
  actor: string;
  /** Dotted verb such as `mapping.move` or `tenant.set-method`. */
  action: string;
  target: string;
  before: unknown;
  after: unknown;
}

/** One audit_events row; call it inside the transaction that makes the change. */
export async function recordAudit(db: Db, event: AuditEvent): Promise<void> {
  await db.insert(auditEvents).values({
    tenantId: event.tenantId, actor: event.actor, action: event.action, target: event.target,
    before: event.before ?? null, after: event.after ?? null,
  });
}

/**
 * Marks the tenant's mappings as changed, so the next sync decides every user again
 * (run-sync.ts `decideAll` compares mappings_version with decided_mappings_version).
 */
export async function bumpMappingsVersion(db: Db, tenantId: number): Promise<void> {
  await db.update(tenants)
    .set({ mappingsVersion: sql`${tenants.mappingsVersion} + 1`, updatedAt: new Date() })
    .where(eq(tenants.id, tenantId));
}
