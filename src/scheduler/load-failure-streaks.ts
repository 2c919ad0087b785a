import { sql } from 'drizzle-orm';
import type { Store } from '../store/open-store.js';
import type { FailureStreak } from './decide-attempt.js';

interface StreakRow extends Record<string, unknown> {
  tenant_id: number;
  failures: number;
  first_failed_at: Date | string | null;
  last_failed_at: Date | string | null;
  last_failed_run_id: number | null;
  last_succeeded_at: Date | string | null;
}

/**
 * The failure streak of every tenant (or one), from sync_runs: failed and refused runs after the
 * last succeeded one. ABORTED (our own shutdown) and ABANDONED (a dead process, see
 * sync/close-abandoned-runs.ts) say nothing about the tenant, so they neither count nor break a streak.
 */
export async function loadFailureStreaks(store: Store, tenantId?: number): Promise<Map<number, FailureStreak>> {
  const only = tenantId === undefined ? sql`true` : sql`t.id = ${tenantId}`;
  const rows = await store.rows<StreakRow>(store.db, sql`
    with last_ok as (
      select tenant_id, max(id) as id, max(finished_at) as at from sync_runs where status = 'succeeded' group by tenant_id
    )
    select t.id as tenant_id, l.at as last_succeeded_at, count(r.id)::int as failures,
           min(r.started_at) as first_failed_at, max(coalesce(r.finished_at, r.started_at)) as last_failed_at,
           max(r.id) as last_failed_run_id
    from tenants t
    left join last_ok l on l.tenant_id = t.id
    left join sync_runs r on r.tenant_id = t.id and r.id > coalesce(l.id, 0)
      and r.status in ('failed', 'refused') and coalesce(r.error_code, '') not in ('ABORTED', 'ABANDONED')
    where ${only}
    group by t.id, l.at`);
  return new Map(rows.map((r) => [Number(r.tenant_id), {
    failures: Number(r.failures),
    firstFailedAt: toDate(r.first_failed_at),
    lastFailedAt: toDate(r.last_failed_at),
    lastFailedRunId: r.last_failed_run_id === null ? null : Number(r.last_failed_run_id),
    lastSucceededAt: toDate(r.last_succeeded_at),
  }]));
}

// Raw queries hand timestamps back as Date (postgres.js) or as text, depending on the driver.
function toDate(value: Date | string | null): Date | null {
  if (value === null) return null;
  return value instanceof Date ? value : new Date(value);
}
