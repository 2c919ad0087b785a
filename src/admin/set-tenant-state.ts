import { eq } from 'drizzle-orm';
import type { Store } from '../store/open-store.js';
import { tenants, type TenantState } from '../store/schema.js';
import { findTenant } from './find-tenant.js';
import { recordAudit } from '../store/record-audit.js';

export interface TenantStateChange {
  tenant: string;
  from: TenantState;
  to: TenantState;
  outcome: 'changed' | 'unchanged';
}

/**
 * Pauses a tenant (no scheduled or manual runs) or resumes it, which also lifts a quarantine set by
 * the daemon after days of failure or by a tripped safety limit. Audited with the reason it ends.
 */
export async function setTenantState(store: Store, tenantName: string, to: 'active' | 'paused', actor: string, reason: string | null): Promise<TenantStateChange> {
  return store.db.transaction(async (db) => {
    const tenant = await findTenant(db, tenantName);
    if (tenant.state === to) return { tenant: tenant.name, from: tenant.state, to, outcome: 'unchanged' as const };
    await db.update(tenants).set({ state: to, stateReason: to === 'paused' ? reason : null, updatedAt: new Date() }).where(eq(tenants.id, tenant.id));
    await recordAudit(db, {
      tenantId: tenant.id, actor, action: to === 'paused' ? 'tenant.pause' : 'tenant.resume', target: tenant.name,
      before: { state: tenant.state, stateReason: tenant.stateReason }, after: { state: to, stateReason: to === 'paused' ? reason : null },
    });
    return { tenant: tenant.name, from: tenant.state, to, outcome: 'changed' as const };
  });
}
