import cron, { type ScheduledTask } from 'node-cron';
import { eq } from 'drizzle-orm';
import { toAppError } from '../core/app-error.js';
import { tenants } from '../store/schema.js';
import { attemptSlot } from './attempt-slot.js';
import type { Limiter } from './create-limiter.js';
import { runTenant, type TenantRunDeps } from './run-tenant.js';
import { loadTenantPlans, schedulingVerdict } from './schedulable-tenants.js';
import { loadFailureStreaks } from './load-failure-streaks.js';

export interface LocalSchedulerDeps extends TenantRunDeps {
  limit: Limiter;
  /** How often the tenants table is read again; default 30 s. */
  refreshIntervalMs: number;
  timezone?: string;
}

export interface LocalScheduler {
  /** Reads the tenants table and brings the node-cron tasks in line with it. */
  refresh(): Promise<void>;
  /** Stops scheduling (no new runs); runs in progress carry on until aborted through the signal. */
  stop(): Promise<void>;
  /** Runs in progress, to wait for on shutdown. */
  inFlight(): Promise<unknown>[];
}

interface Scheduled {
  task: ScheduledTask;
  schedule: string;
}

/**
 * The single-process daemon: one node-cron task per schedulable tenant. `noOverlap` keeps a
 * tenant's slow run from being started again by its next slot in this process; the store's
 * tenant lock keeps other processes (another daemon, a manual `sync`) out.
 */
export function startLocalScheduler(deps: LocalSchedulerDeps): LocalScheduler {
  const tasks = new Map<number, Scheduled>();
  const lastVerdict = new Map<number, string>();
  const running = new Set<Promise<unknown>>();
  const stopLoop = new AbortController();
  let stopped = false;

  async function fire(tenantId: number): Promise<void> {
    // Read the row again: it may have been paused or quarantined since the last refresh.
    const [tenant] = await deps.store.db.select().from(tenants).where(eq(tenants.id, tenantId));
    if (!tenant || stopped || !schedulingVerdict(tenant).schedule) return;
    const decision = await attemptSlot(deps.store, tenant, deps.clock, deps.policy);
    if (!decision.run) {
      deps.logger.info({ tenant: tenant.name, ...decision }, 'slot skipped: backing off after consecutive failures');
      return;
    }
    await deps.limit(() => (stopped ? Promise.resolve(null) : runTenant(tenant, 'schedule', deps)));
  }

  function track(tenantId: number): Promise<void> {
    const p = fire(tenantId).catch((err: unknown) => deps.logger.error({ tenantId, err: toAppError(err).message }, 'scheduled run crashed'));
    running.add(p);
    void p.finally(() => running.delete(p));
    return p;
  }

  async function drop(tenantId: number): Promise<void> {
    const current = tasks.get(tenantId);
    if (!current) return;
    tasks.delete(tenantId);
    await current.task.destroy();
  }

  async function refresh(): Promise<void> {
    if (stopped) return;
    const plans = await loadTenantPlans(deps.store);
    const streaks = await loadFailureStreaks(deps.store);
    const seen = new Set<number>();
    for (const { tenant, verdict } of plans) {
      seen.add(tenant.id);
      const streak = streaks.get(tenant.id);
      deps.metrics.setFailureStreak(tenant.name, streak?.failures ?? 0);
      if (streak?.lastSucceededAt) deps.metrics.setLastSuccess(tenant.name, streak.lastSucceededAt);
      const said = verdict.schedule ? `scheduled ${tenant.schedule}` : verdict.reason;
      if (lastVerdict.get(tenant.id) !== said) {
        lastVerdict.set(tenant.id, said);
        if (verdict.schedule) deps.logger.info({ tenant: tenant.name, schedule: tenant.schedule }, 'tenant scheduled');
        else deps.logger.warn({ tenant: tenant.name, reason: verdict.reason }, 'tenant not scheduled');
      }
      const current = tasks.get(tenant.id);
      if (!verdict.schedule) { await drop(tenant.id); continue; }
      if (current?.schedule === tenant.schedule) continue;
      await drop(tenant.id);
      const task = cron.createTask(tenant.schedule, () => track(tenant.id), {
        name: `entra-import:${tenant.name}`, noOverlap: true, ...(deps.timezone ? { timezone: deps.timezone } : {}),
      });
      task.on('execution:overlap', () => deps.logger.info({ tenant: tenant.name }, 'slot skipped: the previous run is still going'));
      tasks.set(tenant.id, { task, schedule: tenant.schedule });
      await task.start();
    }
    for (const id of [...tasks.keys()]) if (!seen.has(id)) await drop(id);
  }

  void (async () => {
    while (!stopped) {
      try {
        await deps.clock.sleep(deps.refreshIntervalMs, stopLoop.signal);
      } catch {
        break;
      }
      await refresh().catch((err: unknown) => deps.logger.error({ err: toAppError(err).message }, 'could not re-read the tenants'));
    }
  })();

  return {
    refresh,
    async stop() {
      stopped = true;
      stopLoop.abort();
      for (const id of [...tasks.keys()]) await drop(id);
    },
    inFlight: () => [...running],
  };
}
