import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SyncCounts } from '../sync/sync-counts.js';

export type RunOutcome = 'succeeded' | 'failed' | 'refused' | 'busy' | 'aborted';

/** The daemon's Prometheus metrics, on a registry of its own (never prom-client's global one). */
export interface DaemonMetrics {
  readonly registry: Registry;
  recordRun(tenant: string, outcome: RunOutcome, seconds: number): void;
  recordUsers(tenant: string, counts: SyncCounts): void;
  recordGraph(tenant: string, requests: number, throttled: number): void;
  setLastSuccess(tenant: string, at: Date): void;
  setFailureStreak(tenant: string, failures: number): void;
  runStarted(): () => void;
}

const ACTIONS = ['created', 'updated', 'preserved', 'reactivated'] as const;

export function createDaemonMetrics(): DaemonMetrics {
  const registry = new Registry();
  const runs = new Counter({ name: 'entra_import_runs_total', help: 'Sync runs by tenant and outcome', labelNames: ['tenant', 'outcome'], registers: [registry] });
  const duration = new Histogram({
    name: 'entra_import_run_duration_seconds', help: 'Sync run duration', labelNames: ['tenant'], registers: [registry],
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
  });
  const users = new Counter({ name: 'entra_import_users_total', help: 'User actions applied by sync runs', labelNames: ['tenant', 'action'], registers: [registry] });
  const requests = new Counter({ name: 'entra_import_graph_requests_total', help: 'Microsoft Graph HTTP requests, retries included', labelNames: ['tenant'], registers: [registry] });
  const throttles = new Counter({ name: 'entra_import_graph_throttled_total', help: 'Microsoft Graph answers that were 429', labelNames: ['tenant'], registers: [registry] });
  const lastSuccess = new Gauge({ name: 'entra_import_last_success_timestamp_seconds', help: 'When the tenant last synced successfully (Unix time)', labelNames: ['tenant'], registers: [registry] });
  const streak = new Gauge({ name: 'entra_import_failure_streak', help: 'Consecutive failed runs since the last success', labelNames: ['tenant'], registers: [registry] });
  const inProgress = new Gauge({ name: 'entra_import_runs_in_progress', help: 'Sync runs this process is running now', registers: [registry] });

  return {
    registry,
    recordRun(tenant, outcome, seconds) {
      runs.inc({ tenant, outcome });
      // busy runs did nothing; their zero-ish durations would only blur the histogram.
      if (outcome !== 'busy') duration.observe({ tenant }, seconds);
    },
    recordUsers(tenant, counts) {
      for (const action of ACTIONS) if (counts[action] > 0) users.inc({ tenant, action }, counts[action]);
      const skipped = Object.values(counts.skipped).reduce((sum, n) => sum + n, 0);
      if (skipped > 0) users.inc({ tenant, action: 'skipped' }, skipped);
    },
    recordGraph(tenant, n, throttled) {
      if (n > 0) requests.inc({ tenant }, n);
      if (throttled > 0) throttles.inc({ tenant }, throttled);
    },
    setLastSuccess: (tenant, at) => lastSuccess.set({ tenant }, at.getTime() / 1000),
    setFailureStreak: (tenant, failures) => streak.set({ tenant }, failures),
    runStarted() {
      inProgress.inc();
      return () => inProgress.dec();
    },
  };
}
