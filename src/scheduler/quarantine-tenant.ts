import { and, eq } from 'drizzle-orm';
import type { Clock } from '../core/clock.js';
import type { Store } from '../store/open-store.js';
import { recordAudit } from '../store/record-audit.js';
import { tenants } from '../store/schema.js';

/**
 * Sets an active tenant to quarantined with a reason, and audits it. Returns false when the tenant
 * was no longer active (paused or already quarantined by another daemon), so only one notifies.
 */
export async function quarantineTenant(store: Store, tenantId: number, reason: string, clock: Clock): Promise<boolean> {
  return store.db.transaction(async (tx) => {
    const changed = await tx.update(tenants)
      .set({ state: 'quarantined', stateReason: reason, updatedAt: clock.now() })
      .where(and(eq(tenants.id, tenantId), eq(tenants.state, 'active')))
      .returning({ name: tenants.name });
    const row = changed[0];
    if (!row) return false;
    await recordAudit(tx, {
      tenantId, actor: 'daemon', action: 'tenant.quarantine', target: row.name,
      before: { state: 'active' }, after: { state: 'quarantined', stateReason: reason },
    });
    return true;
  });
}
