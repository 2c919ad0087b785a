import { eq } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import { AppError, toAppError } from '../core/app-error.js';
import type { Clock } from '../core/clock.js';
import { tenants } from '../store/schema.js';
import { attemptSlot } from './attempt-slot.js';
import { firesInMinute } from './count-slots.js';
import { cronMatcher, hasSecondsField } from './cron-matcher.js';
import { loadFailureStreaks } from './load-failure-streaks.js';
import { runTenant, type TenantRunDeps } from './run-tenant.js';
import { loadTenantPlans, schedulingVerdict } from './schedulable-tenants.js';

/** Queue names; pg-boss keeps its own tables in the `pgboss` schema of the same database. */
export const SYNC_QUEUE = 'entra-import-sync';
export const DEAD_QUEUE = 'entra-import-sync-dead';
export const TICK_QUEUE = 'entra-import-tick';

export interface ClusterOptions {
  connectionString: string;
  /** Sync jobs this process runs at once. */
  concurrency: number;
  /** A job not finished this long after it started is failed and retried elsewhere (a dead worker). */
  jobTimeoutSeconds: number;
  retryLimit: number;
  retryDelaySeconds: number;
  pollSeconds: number;
  timezone?: string;
}

export interface ClusterWorker {
  /** Stops fetching, waits for the handlers (already aborted through the signal) up to timeoutMs. */
  stop(timeoutMs: number): Promise<void>;
}

interface SyncJob {
  tenantId: number;
  tenant: string;
}

/**
 * Cluster mode on pg-boss 10. One pg-boss schedule, `entra-import-tick`, fires every minute
 * (pg-boss makes that once per minute across all daemons); whichever daemon takes the tick reads
 * the tenants table and enqueues a sync job for each tenant whose schedule fires that minute and
 * whose backoff allows it. Sync jobs carry singletonKey = tenant: the 'short' queue policy keeps at
 * most one waiting job per tenant, and the store's advisory lock keeps two from running at once.
 * Failed jobs are retried (retryLimit, retryDelay, backoff) and then land in the dead-letter queue.
 *
 * Why not one pg-boss schedule per tenant: in pg-boss 10 a schedule IS a queue (schedule.name is
 * the queue's key), so that means a queue per tenant and every worker polling every tenant's queue.
 * Why not the 'singleton' policy: in 10.4 a waiting job whose key is already active blocks the
 * jobs behind it (fetch returns nothing), so one long tenant would stall the others.
 */
export async function startClusterWorker(options: ClusterOptions, deps: TenantRunDeps): Promise<ClusterWorker> {
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema: 'pgboss',
    application_name: 'entra-import',
    // Expiry is found by maintenance; check often enough that a dead worker's job moves on in time.
    maintenanceIntervalSeconds: Math.max(1, Math.min(120, Math.floor(options.jobTimeoutSeconds / 4))),
  });
  boss.on('error', (err) => deps.logger.error({ err: err.message }, 'pg-boss error'));
  await boss.start();

  const queue = {
    policy: 'short' as const, retryLimit: options.retryLimit, retryDelay: options.retryDelaySeconds, retryBackoff: true,
    expireInSeconds: options.jobTimeoutSeconds, deadLetter: DEAD_QUEUE,
  };
  await ensureQueue(boss, DEAD_QUEUE, {}, deps.clock);
  await ensureQueue(boss, SYNC_QUEUE, queue, deps.clock);
  await ensureQueue(boss, TICK_QUEUE, { policy: 'short', retryLimit: 0, expireInSeconds: 60 }, deps.clock);
  await boss.schedule(TICK_QUEUE, '* * * * *', {}, { tz: 'UTC' });

  // pg-boss's first tick can be half a minute away (its cron monitor runs every 30 s, once across
  // the cluster); take this minute's due tenants now. The singleton slot makes it harmless when
  // several daemons start together or the tick follows.
  await enqueueDue(boss, deps, options);
  const work = { batchSize: 1, pollingIntervalSeconds: options.pollSeconds };
  await boss.work(TICK_QUEUE, work, () => enqueueDue(boss, deps, options));
  for (let i = 0; i < options.concurrency; i += 1) {
    await boss.work<SyncJob>(SYNC_QUEUE, work, async ([job]) => (job ? runJob(job.data, deps) : null));
  }
  deps.logger.info({ concurrency: options.concurrency, jobTimeoutSeconds: options.jobTimeoutSeconds }, 'cluster worker started');

  return {
    stop: (timeoutMs) => boss.stop({ graceful: true, wait: true, timeout: Math.max(1_000, timeoutMs) }),
  };
}

async function ensureQueue(boss: PgBoss, name: string, options: Omit<PgBoss.Queue, 'name'>, clock: Clock): Promise<void> {
  // Daemons starting together race to create the queue (pg-boss 10 creates a partition table per
  // queue and does not guard against that); the loser waits for the winner's commit and updates.
  for (let attempt = 1; ; attempt += 1) {
    try {
      if (await boss.getQueue(name)) return await boss.updateQueue(name, { name, ...options });
      return await boss.createQueue(name, { name, ...options });
    } catch (err) {
      if (attempt >= 5) throw err;
      await clock.sleep(200 * attempt);
    }
  }
}

/** The minute's tick: enqueue every tenant whose schedule fires in this minute and may run. */
async function enqueueDue(boss: PgBoss, deps: TenantRunDeps, options: ClusterOptions): Promise<void> {
  const minute = new Date(Math.floor(deps.clock.now().getTime() / 60_000) * 60_000);
  const plans = await loadTenantPlans(deps.store);
  const streaks = await loadFailureStreaks(deps.store);
  let sent = 0;
  for (const { tenant, verdict } of plans) {
    if (!verdict.schedule) continue;
    if (!firesInMinute(cronMatcher(tenant.schedule, options.timezone), minute, hasSecondsField(tenant.schedule))) continue;
    const decision = await attemptSlot(deps.store, tenant, deps.clock, deps.policy, streaks.get(tenant.id));
    if (!decision.run) {
      deps.logger.info({ tenant: tenant.name, ...decision }, 'slot skipped: backing off after consecutive failures');
      continue;
    }
    // singletonSeconds: a late or repeated tick in the same minute does not enqueue the tenant twice.
    const id = await boss.send(SYNC_QUEUE, { tenantId: tenant.id, tenant: tenant.name } satisfies SyncJob,
      { singletonKey: `tenant-${tenant.id}`, singletonSeconds: 60 });
    if (id) sent += 1;
  }
  deps.logger.info({ minute: minute.toISOString(), sent }, 'tick: due tenants enqueued');
}

/**
 * Runs one sync job. A run that did not succeed fails the job, so pg-boss retries it (a shutdown's
 * ABORTED run is picked up by another worker) and finally dead-letters it; a busy tenant or one
 * no longer schedulable completes it, since there is nothing to retry.
 */
async function runJob(job: SyncJob, deps: TenantRunDeps): Promise<{ outcome: string }> {
  const [tenant] = await deps.store.db.select().from(tenants).where(eq(tenants.id, job.tenantId));
  if (!tenant) return { outcome: 'tenant removed' };
  const verdict = schedulingVerdict(tenant);
  if (!verdict.schedule) return { outcome: `not scheduled: ${verdict.reason}` };
  const run = await runTenant(tenant, 'cluster', deps);
  if (run.outcome === 'succeeded') return { outcome: 'succeeded' };
  if (run.outcome === 'busy') return { outcome: 'busy' };
  throw new AppError(run.error.code, `${run.outcome}: ${run.error.message}`, { cause: toAppError(run.error) });
}
