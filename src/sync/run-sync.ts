import { NO_TIMER, type SectionTimer } from '../core/section-timer.js';
import { eq, sql } from 'drizzle-orm';
import { AppError, toAppError } from '../core/app-error.js';
import { systemClock, type Clock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { createGraphApi, type GraphApi, type GraphApiDeps } from '../graph/create-graph-api.js';
import { graphSettingsFor } from '../graph/graph-settings-for.js';
import type { GraphSettings } from '../graph/graph-settings.js';
import type { GraphStats } from '../graph/graph-stats.js';
import type { Db, Store } from '../store/open-store.js';
import { mappings, syncRuns, tenants } from '../store/schema.js';
import { checkPreconditions, type TenantRow } from './check-preconditions.js';
import { closeAbandonedRuns } from './close-abandoned-runs.js';
import { executeRun, type Executed } from './execute-run.js';
import type { PlannedAction } from './planned-action.js';
import type { StreamOutcome } from './pull-streams.js';
import { recordQuarantine } from './record-quarantine.js';
import type { SafetyVerdict } from './safety-limit.js';
import { SafetyTripped } from './safety-tripped.js';
import { emptyCounts, type SyncCounts } from './sync-counts.js';
import type { SyncProgress } from './sync-progress.js';

export interface SyncOptions {
  tenant: string;
  /** Do everything, print the plan, and roll every write back. */
  dryRun?: boolean;
  /** Ignore stored delta links: read the whole directory and reconcile everyone. */
  full?: boolean;
  /** Who started the run: cli, schedule, demo, test. */
  trigger?: string;
  /** Apply even if the run preserves more users than the tenant's safety limits allow (once). */
  allowPreserve?: boolean;
}

export interface SyncDeps {
  store: Store;
  logger?: Logger;
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
  /** PEM of an extra CA to trust for Graph and the token host (the mock's self-signed certificate). */
  graphCa?: string | null;
  graph?: Omit<GraphApiDeps, 'clock' | 'logger'>;
  /** Replaces the Graph client factory (tests that count calls). */
  createGraph?: (settings: GraphSettings) => Promise<GraphApi>;
  onAction?: (action: PlannedAction) => void;
  /** Aborting stops the run at the next safe point (between pages or batches) with code ABORTED. */
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
  /** How full rounds read the directory (default 'list', the fast first round of §9b). */
  firstRound?: 'list' | 'delta';
  /** Receives how long each section of the run took (`npm run bench -- --profile`). */
  timer?: SectionTimer;
}

export interface SyncResult {
  runId: number | null;
  tenant: string;
  mode: 'full' | 'incremental';
  dryRun: boolean;
  counts: SyncCounts;
  streams: StreamOutcome[];
  graphRequests: number;
  /** Requests, retries and throttled answers (429) of the run's Graph client. */
  graphStats: GraphStats;
  /** Every action, in a dry run (the plan); empty otherwise. */
  plan: PlannedAction[];
  /** How the run measured against the safety limits (a dry run reports a trip instead of stopping). */
  safety: SafetyVerdict | null;
}

class DryRunRollback extends Error {}

/**
 * One sync run for one tenant: preconditions → lock → pull → mirror → decide → plan → apply,
 * recorded as a sync_runs row (ARCHITECTURE "The flow of one sync run").
 */
export async function runSync(options: SyncOptions, deps: SyncDeps): Promise<SyncResult> {
  const { store } = deps;
  const logger = (deps.logger ?? silentLogger).child({ tenant: options.tenant, dryRun: options.dryRun ?? false });
  const clock = deps.clock ?? systemClock;
  const dryRun = options.dryRun ?? false;
  const trigger = options.trigger ?? 'cli';

  const [tenant] = await store.db.select().from(tenants).where(eq(tenants.name, options.tenant));
  if (!tenant) throw new AppError('TENANT_NOT_FOUND', `no tenant named "${options.tenant}"; add it with \`entra-import apply <file>\``);
  const [mappingCount] = await store.db.select({ n: sql<number>`count(*)::int` }).from(mappings).where(eq(mappings.tenantId, tenant.id));
  let settings: GraphSettings;
  try {
    const refusal = checkPreconditions(tenant, mappingCount?.n ?? 0);
    if (refusal) throw refusal;
    settings = graphSettingsFor(tenant, deps.env ?? process.env, deps.graphCa ?? null);
  } catch (err) {
    const error = toAppError(err);
    if (!dryRun) await recordRefusal(store.db, tenant.id, trigger, error);
    logger.warn({ code: error.code }, error.message);
    throw error;
  }

  const locked = await store.withTenantLock(tenant.id, async (held) => {
    const full = options.full === true || isFullDue(tenant, clock.now());
    const graph = deps.createGraph
      ? await deps.createGraph(settings)
      : await createGraphApi(settings, { ...deps.graph, clock, logger });
    const counts = emptyCounts();
    const plan: PlannedAction[] = [];
    const onAction = (action: PlannedAction) => {
      if (dryRun) plan.push(action);
      deps.onAction?.(action);
    };
    const base = {
      store, tenant, full, graph, counts, onAction, logger, clock, trigger, signal: deps.signal, onProgress: deps.onProgress,
      allowPreserve: options.allowPreserve ?? false, dryRun, firstRound: deps.firstRound ?? 'list',
      timer: deps.timer ?? NO_TIMER, readOnly: held.readOnly,
    };

    if (dryRun) {
      let result: Executed | undefined;
      try {
        await store.db.transaction(async (tx) => {
          const runId = await insertRun(tx, tenant.id, full, trigger);
          result = await executeRun({ ...base, runId, inTx: (fn) => fn(tx), inApplyTx: (fn) => fn(tx), parallel: false });
          throw new DryRunRollback();
        });
      } catch (err) {
        if (!(err instanceof DryRunRollback)) throw err;
      }
      return finish(null, result?.streams ?? [], result?.safety ?? null);
    }

    const abandoned = await closeAbandonedRuns(store, store.db, tenant.id, clock.now());
    if (abandoned > 0) logger.warn({ runs: abandoned }, 'closed runs left running by a process that died');
    const runId = await insertRun(store.db, tenant.id, full, trigger);
    const runLog = logger.child({ runId });
    runLog.info({ mode: full ? 'full' : 'incremental' }, 'sync run started');
    try {
      const { streams, safety } = await executeRun({
        ...base, logger: runLog, runId, inTx: (fn) => store.db.transaction(fn), inApplyTx: (fn) => store.db.transaction(fn), parallel: true,
      });
      const usersFull = streams.some((s) => s.stream === 'users' && s.round === 'full');
      await store.db.update(syncRuns)
        .set({ status: 'succeeded', finishedAt: clock.now(), counts: { ...counts }, graphRequests: graph.stats.requests, mode: usersFull ? 'full' : 'incremental' })
        .where(eq(syncRuns.id, runId));
      await store.db.update(tenants)
        .set({
          decidedMappingsVersion: tenant.mappingsVersion,
          // A run that got through the safety check lifts an earlier quarantine.
          ...(tenant.state === 'quarantined' ? { state: 'active' as const, stateReason: null } : {}),
          ...(usersFull ? { lastFullSyncAt: clock.now() } : {}),
          updatedAt: clock.now(),
        })
        .where(eq(tenants.id, tenant.id));
      runLog.info({ counts, graphRequests: graph.stats.requests, retries: graph.stats.retries }, 'sync run succeeded');
      return finish(runId, streams, safety);
    } catch (err) {
      if (err instanceof SafetyTripped) {
        throw await recordQuarantine(store.db, { tenant, runId, tripped: err, counts, graphRequests: graph.stats.requests, now: clock.now(), logger: runLog });
      }
      const error = toAppError(err);
      await store.db.update(syncRuns)
        .set({ status: 'failed', finishedAt: clock.now(), counts: { ...counts }, graphRequests: graph.stats.requests, errorCode: error.code, errorMessage: error.message })
        .where(eq(syncRuns.id, runId));
      runLog.error({ code: error.code, err: error.message }, 'sync run failed');
      // The Graph counters ride on the error, so that metrics see what a failed run cost.
      throw new AppError(error.code, error.message, { cause: error.cause ?? error, details: { ...error.details, graphStats: { ...graph.stats } } });
    }

    function finish(runId: number | null, streams: StreamOutcome[], safety: SafetyVerdict | null): SyncResult {
      const usersFull = streams.some((s) => s.stream === 'users' && s.round === 'full');
      return { runId, tenant: tenant!.name, mode: usersFull || full ? 'full' : 'incremental', dryRun, counts, streams, graphRequests: graph.stats.requests, graphStats: { ...graph.stats }, plan, safety };
    }
  });
  if (!locked.ran) {
    throw new AppError('TENANT_LOCKED', `another sync of tenant "${options.tenant}" is running; try again when it finishes`);
  }
  return locked.value;
}

/** The periodic full reconciliation catches what delta misses, e.g. restores under $select (I15). */
function isFullDue(tenant: TenantRow, now: Date): boolean {
  if (!tenant.lastFullSyncAt) return true;
  return now.getTime() - tenant.lastFullSyncAt.getTime() >= tenant.fullSyncIntervalHours * 3_600_000;
}

async function insertRun(db: Db, tenantId: number, full: boolean, trigger: string): Promise<number> {
  const [row] = await db.insert(syncRuns).values({ tenantId, mode: full ? 'full' : 'incremental', trigger }).returning({ id: syncRuns.id });
  if (!row) throw new AppError('INTERNAL', 'could not record the sync run');
  return row.id;
}

async function recordRefusal(db: Db, tenantId: number, trigger: string, error: AppError): Promise<void> {
  await db.insert(syncRuns).values({
    tenantId, mode: 'incremental', trigger, status: 'refused', finishedAt: new Date(), errorCode: error.code, errorMessage: error.message,
  });
}
