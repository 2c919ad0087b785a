import type { SyncDeps } from '../sync/run-sync.js';
import { sql } from 'drizzle-orm';
import { AppError } from '../core/app-error.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Store } from '../store/open-store.js';
import { startClusterWorker, type ClusterOptions } from './cluster-worker.js';
import { createLimiter } from './create-limiter.js';
import { createDaemonMetrics, type DaemonMetrics } from './daemon-metrics.js';
import type { BackoffPolicy } from './decide-attempt.js';
import { startHealthServer } from './health-server.js';
import { startLocalScheduler } from './local-scheduler.js';
import type { Notifier } from './notify-webhook.js';
import { runOnce, type OnceOutcome } from './run-once.js';
import type { TenantRunDeps } from './run-tenant.js';

export interface DaemonOptions {
  concurrency: number;
  /** null: no health/metrics server. */
  metricsPort: number | null;
  metricsHost?: string;
  refreshIntervalMs: number;
  /** How long a shutdown waits for runs to stop at a safe point before giving up. */
  shutdownTimeoutMs: number;
  policy: BackoffPolicy;
  /** Present in cluster mode. */
  cluster: Omit<ClusterOptions, 'concurrency'> | null;
  timezone?: string;
}

/** Something that delivers SIGTERM/SIGINT: `process`, or an EventEmitter in tests. */
export interface SignalSource {
  once(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  off(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

export interface DaemonDeps {
  store: Store;
  logger: Logger;
  clock: Clock;
  env: NodeJS.ProcessEnv;
  notifier: Notifier;
  signals: SignalSource;
  metrics?: DaemonMetrics;
  graphCa?: string | null;
  graph?: SyncDeps['graph'];
  /** Called once the daemon is serving (tests wait for it instead of sleeping). */
  onReady?: (info: { metricsPort: number | null }) => void;
}

/**
 * `entra-import daemon`: serves /healthz /readyz /metrics, schedules tenants (node-cron in this
 * process, or pg-boss in cluster mode) until SIGTERM or SIGINT, then stops scheduling, aborts the
 * runs in progress (they stop at their next safe point), waits for them up to the shutdown timeout
 * and returns. Throws AppError ABORTED when it had to give up waiting (exit code 1); a second
 * signal gives up at once.
 */
export async function runDaemon(options: DaemonOptions, deps: DaemonDeps): Promise<void> {
  const metrics = deps.metrics ?? createDaemonMetrics();
  const health = options.metricsPort === null ? null : await startHealthServer({
    port: options.metricsPort, ...(options.metricsHost ? { host: options.metricsHost } : {}), registry: metrics.registry, logger: deps.logger,
    checkDatabase: async () => void (await deps.store.db.execute(sql`select 1`)),
  });
  const abort = new AbortController();
  const runDeps = tenantRunDeps(options, deps, metrics, abort.signal);
  let stopScheduling: (timeoutMs: number) => Promise<void>;
  let inFlight: () => Promise<unknown>[] = () => [];
  try {
    if (options.cluster) {
      const worker = await startClusterWorker({ ...options.cluster, concurrency: options.concurrency }, runDeps);
      stopScheduling = (timeoutMs) => worker.stop(timeoutMs);
    } else {
      const scheduler = startLocalScheduler({
        ...runDeps, limit: createLimiter(options.concurrency), refreshIntervalMs: options.refreshIntervalMs,
        ...(options.timezone ? { timezone: options.timezone } : {}),
      });
      await scheduler.refresh();
      stopScheduling = () => scheduler.stop();
      inFlight = () => scheduler.inFlight();
    }
  } catch (err) {
    await health?.close();
    throw err;
  }
  deps.logger.info({ mode: options.cluster ? 'cluster' : 'local', metricsPort: health?.port ?? null }, 'daemon started');
  deps.onReady?.({ metricsPort: health?.port ?? null });

  const signal = await waitForSignal(deps.signals);
  deps.logger.info({ signal }, 'shutting down: no new runs; stopping the runs in progress');
  const started = deps.clock.now().getTime();
  abort.abort(new Error(`received ${signal}`));
  // Both are cancelled once the race is decided, so no timer or listener keeps the process up.
  const settled = new AbortController();
  const second = waitForSignal(deps.signals, settled.signal).then(() => 'signal' as const);
  const deadline = deps.clock.sleep(options.shutdownTimeoutMs, settled.signal).then(() => 'timeout' as const, () => 'drained' as const);
  const drained = (async () => {
    await stopScheduling(options.shutdownTimeoutMs);
    await Promise.allSettled(inFlight());
    await deps.notifier.idle();
    return 'drained' as const;
  })();
  const how = await Promise.race([drained, deadline, second]);
  settled.abort();
  await health?.close();
  if (how !== 'drained') {
    throw new AppError('ABORTED', `gave up waiting for the runs in progress after ${how === 'signal' ? 'a second signal' : `${deps.clock.now().getTime() - started} ms`}; they will be reaped as abandoned`);
  }
  deps.logger.info('daemon stopped');
}

/** `daemon --once`: run every schedulable tenant now, wait, and report. */
export async function runDaemonOnce(options: DaemonOptions, deps: Omit<DaemonDeps, 'signals'>): Promise<OnceOutcome[]> {
  const metrics = deps.metrics ?? createDaemonMetrics();
  const abort = new AbortController();
  const outcomes = await runOnce({ ...tenantRunDeps(options, deps, metrics, abort.signal), limit: createLimiter(options.concurrency) });
  await deps.notifier.idle();
  return outcomes;
}

function tenantRunDeps(options: DaemonOptions, deps: Omit<DaemonDeps, 'signals'>, metrics: DaemonMetrics, signal: AbortSignal): TenantRunDeps {
  return {
    store: deps.store, logger: deps.logger, clock: deps.clock, env: deps.env, metrics, notifier: deps.notifier,
    policy: options.policy, signal, graphCa: deps.graphCa ?? null, ...(deps.graph ? { graph: deps.graph } : {}),
  };
}

/** Resolves on the first SIGTERM or SIGINT; never resolves once `cancel` aborts (its listeners are removed). */
function waitForSignal(signals: SignalSource, cancel?: AbortSignal): Promise<'SIGTERM' | 'SIGINT'> {
  return new Promise((resolve) => {
    const off = () => { signals.off('SIGTERM', onTerm); signals.off('SIGINT', onInt); };
    const onTerm = () => { off(); resolve('SIGTERM'); };
    const onInt = () => { off(); resolve('SIGINT'); };
    signals.once('SIGTERM', onTerm);
    signals.once('SIGINT', onInt);
    cancel?.addEventListener('abort', off, { once: true });
  });
}
