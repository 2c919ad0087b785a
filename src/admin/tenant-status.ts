import { desc, eq, sql } from 'drizzle-orm';
import type { Store } from '../store/open-store.js';
import { deltaCursors, insyncUsers, syncRuns, type Encryption, type ProvisioningMethod, type TenantState } from '../store/schema.js';
import { findTenant } from './find-tenant.js';
import { nextScheduledRun } from './next-scheduled-run.js';

/** Graph keeps directory delta state for 7 days (graph-semantics §1.5, B1); warn with two days to spare. */
export const CURSOR_WARN_DAYS = 5;
const DAY_MS = 86_400_000;

/** The shape `status --json` prints. */
export interface TenantStatus {
  tenant: string;
  state: TenantState;
  stateReason: string | null;
  encryption: Encryption;
  provisioningMethod: ProvisioningMethod;
  schedule: string;
  /** ISO time of the next scheduled run; null when the tenant would not run (the warnings say why). */
  nextRunAt: string | null;
  /** Mappings changed since the last successful run: the next one decides every user again. */
  mappingsChangedSinceLastRun: boolean;
  lastRun: {
    id: number; status: string; mode: string; trigger: string; startedAt: string; finishedAt: string | null;
    counts: Record<string, unknown> | null; errorCode: string | null; errorMessage: string | null;
  } | null;
  cursors: { stream: string; savedAt: string; ageDays: number; stale: boolean }[];
  users: { byStatus: Record<'active' | 'preserved', number>; bySource: Record<'auto' | 'manual', number>; total: number };
  warnings: string[];
}

export async function tenantStatus(store: Store, tenantName: string, now: Date = new Date()): Promise<TenantStatus> {
  const { db } = store;
  const tenant = await findTenant(db, tenantName);
  const [last] = await db.select().from(syncRuns).where(eq(syncRuns.tenantId, tenant.id)).orderBy(desc(syncRuns.id)).limit(1);
  const cursorRows = await db.select({ stream: deltaCursors.stream, updatedAt: deltaCursors.updatedAt })
    .from(deltaCursors).where(eq(deltaCursors.tenantId, tenant.id)).orderBy(deltaCursors.stream);
  const counts = await db
    .select({ status: insyncUsers.status, source: insyncUsers.source, n: sql<number>`count(*)::int` })
    .from(insyncUsers).where(eq(insyncUsers.tenantId, tenant.id)).groupBy(insyncUsers.status, insyncUsers.source);

  const users = { byStatus: { active: 0, preserved: 0 }, bySource: { auto: 0, manual: 0 }, total: 0 };
  for (const c of counts) {
    users.byStatus[c.status] += Number(c.n);
    users.bySource[c.source] += Number(c.n);
    users.total += Number(c.n);
  }
  const warnings: string[] = [];
  const cursors = cursorRows.map((c) => {
    const ageDays = Math.max(0, (now.getTime() - c.updatedAt.getTime()) / DAY_MS);
    const stale = ageDays > CURSOR_WARN_DAYS;
    if (stale) {
      warnings.push(`delta link "${c.stream}" is ${ageDays.toFixed(1)} days old; Graph forgets delta state after 7 days, `
        + 'after which the next run has to read the whole directory again');
    }
    return { stream: c.stream, savedAt: c.updatedAt.toISOString(), ageDays: Math.round(ageDays * 100) / 100, stale };
  });
  const blocked = blockers(tenant);
  warnings.unshift(...blocked);
  const next = blocked.length === 0 ? nextScheduledRun(tenant.schedule) : null;
  return {
    tenant: tenant.name, state: tenant.state, stateReason: tenant.stateReason, encryption: tenant.encryption,
    provisioningMethod: tenant.provisioningMethod, schedule: tenant.schedule, nextRunAt: next?.toISOString() ?? null,
    mappingsChangedSinceLastRun: tenant.mappingsVersion !== tenant.decidedMappingsVersion,
    lastRun: last ? {
      id: last.id, status: last.status, mode: last.mode, trigger: last.trigger, startedAt: last.startedAt.toISOString(),
      finishedAt: last.finishedAt?.toISOString() ?? null, counts: last.counts, errorCode: last.errorCode, errorMessage: last.errorMessage,
    } : null,
    cursors, users, warnings,
  };
}

/** Why scheduled runs would not import anything (the same conditions the sync refuses on). */
function blockers(tenant: Awaited<ReturnType<typeof findTenant>>): string[] {
  const out: string[] = [];
  if (tenant.state !== 'active') out.push(`tenant is ${tenant.state}${tenant.stateReason ? `: ${tenant.stateReason}` : ''}; scheduled runs are off`);
  if (tenant.provisioningMethod !== 'entra-import') out.push(`provisioning method is ${tenant.provisioningMethod}; the import does not run`);
  if (tenant.encryption !== 'kms' && tenant.encryption !== 'byok') out.push(`encryption is ${tenant.encryption}; the import needs KMS or BYOK`);
  return out;
}
