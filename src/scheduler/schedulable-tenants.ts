import { asc } from 'drizzle-orm';
import type { Store } from '../store/open-store.js';
import { tenants } from '../store/schema.js';

export type TenantRow = typeof tenants.$inferSelect;

export type SchedulingVerdict = { schedule: true } | { schedule: false; reason: string };

/**
 * Which tenants the daemon schedules. Tenants that runSync would refuse for their configuration
 * (method, encryption) are not scheduled at all: a refusal every slot would fill the run history
 * and page someone every hour for a tenant that is simply not ours to import. Paused and
 * quarantined tenants wait for an admin. Missing secrets and mappings are left to runSync, whose
 * refusal is recorded, counted in the failure streak and notified.
 */
export function schedulingVerdict(tenant: Pick<TenantRow, 'state' | 'stateReason' | 'provisioningMethod' | 'encryption'>): SchedulingVerdict {
  if (tenant.state === 'paused') return { schedule: false, reason: `paused${tenant.stateReason ? `: ${tenant.stateReason}` : ''}` };
  if (tenant.state === 'quarantined') return { schedule: false, reason: `quarantined${tenant.stateReason ? `: ${tenant.stateReason}` : ''}` };
  if (tenant.provisioningMethod !== 'entra-import') {
    return { schedule: false, reason: `provisioning method is ${tenant.provisioningMethod}, not entra-import` };
  }
  if (tenant.encryption === 'none') return { schedule: false, reason: 'encryption is none; the import needs KMS or BYOK' };
  return { schedule: true };
}

export interface TenantPlan {
  tenant: TenantRow;
  verdict: SchedulingVerdict;
}

export async function loadTenantPlans(store: Store): Promise<TenantPlan[]> {
  const rows = await store.db.select().from(tenants).orderBy(asc(tenants.name));
  return rows.map((tenant) => ({ tenant, verdict: schedulingVerdict(tenant) }));
}
