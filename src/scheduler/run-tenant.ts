import { AppError, EXIT, toAppError } from '../core/app-error.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Store } from '../store/open-store.js';
import { runSync, type SyncDeps, type SyncResult } from '../sync/run-sync.js';
import type { DaemonMetrics, RunOutcome } from './daemon-metrics.js';
import { shouldQuarantine, type BackoffPolicy } from './decide-attempt.js';
import { loadFailureStreaks } from './load-failure-streaks.js';
import { webhookUrlProblem, type Notifier } from './notify-webhook.js';
import { quarantineTenant } from './quarantine-tenant.js';

export interface TenantRunDeps {
  store: Store;
  logger: Logger;
  clock: Clock;
  /** Where secrets are read (the env variables the tenants name). */
  env: NodeJS.ProcessEnv;
  graphCa?: string | null;
  graph?: SyncDeps['graph'];
  metrics: DaemonMetrics;
  notifier: Notifier;
  policy: BackoffPolicy;
  /** Aborted on shutdown: the run stops at its next safe point. */
  signal: AbortSignal;
}

export type TenantRunResult =
  | { outcome: 'succeeded'; result: SyncResult }
  | { outcome: Exclude<RunOutcome, 'succeeded'>; error: AppError; quarantined: boolean };

export interface TenantRef {
  id: number;
  name: string;
  /** The environment variable (in deps.env) that holds the failure webhook's URL. */
  notifyWebhookEnv: string | null;
}

/**
 * One scheduled run of one tenant, as the daemon and the cluster worker both do it: the sync
 * itself, then metrics, the failure streak (quarantine) and the failure notice. Never throws for a failed run; the outcome says what happened.
 */
export async function runTenant(tenant: TenantRef, trigger: string, deps: TenantRunDeps): Promise<TenantRunResult> {
  const logger = deps.logger.child({ tenant: tenant.name, trigger });
  const started = deps.clock.now();
  const done = deps.metrics.runStarted();
  const seconds = () => (deps.clock.now().getTime() - started.getTime()) / 1000;
  try {
    const result = await runSync({ tenant: tenant.name, trigger }, {
      store: deps.store, logger: deps.logger, clock: deps.clock, env: deps.env, graphCa: deps.graphCa ?? null, signal: deps.signal,
      ...(deps.graph ? { graph: deps.graph } : {}),
    });
    deps.metrics.recordRun(tenant.name, 'succeeded', seconds());
    deps.metrics.recordUsers(tenant.name, result.counts);
    deps.metrics.recordGraph(tenant.name, result.graphStats.requests, result.graphStats.throttled);
    deps.metrics.setLastSuccess(tenant.name, deps.clock.now());
    deps.metrics.setFailureStreak(tenant.name, 0);
    return { outcome: 'succeeded', result };
  } catch (err) {
    const error = toAppError(err);
    const outcome = outcomeOf(error);
    deps.metrics.recordRun(tenant.name, outcome, seconds());
    const stats = error.details['graphStats'] as { requests: number; throttled: number } | undefined;
    if (stats) deps.metrics.recordGraph(tenant.name, stats.requests, stats.throttled);
    if (outcome === 'busy' || outcome === 'aborted') {
      logger.info({ code: error.code }, outcome === 'busy' ? 'another run of this tenant is in progress; slot skipped' : 'run stopped for shutdown');
      return { outcome, error, quarantined: false };
    }
    const quarantined = await afterFailure(tenant, error, deps, logger);
    return { outcome, error, quarantined };
  } finally {
    done();
  }
}

function outcomeOf(error: AppError): Exclude<RunOutcome, 'succeeded'> {
  if (error.code === 'TENANT_LOCKED') return 'busy';
  if (error.code === 'ABORTED') return 'aborted';
  return error.exitCode === EXIT.refused ? 'refused' : 'failed';
}

/** Streak bookkeeping after a failed or refused run: quarantine when it has lasted too long, then notify. */
async function afterFailure(tenant: TenantRef, error: AppError, deps: TenantRunDeps, logger: Logger): Promise<boolean> {
  const streak = (await loadFailureStreaks(deps.store, tenant.id)).get(tenant.id);
  deps.metrics.setFailureStreak(tenant.name, streak?.failures ?? 0);
  let quarantined = false;
  if (streak && shouldQuarantine(streak, deps.clock.now(), deps.policy)) {
    const days = Math.round(deps.policy.quarantineAfterMs / 86_400_000 * 10) / 10;
    const reason = `failing since ${streak.firstFailedAt?.toISOString() ?? '?'} (${streak.failures} runs, quarantine after ${days} days); last error ${error.code}`;
    quarantined = await quarantineTenant(deps.store, tenant.id, reason, deps.clock);
    if (quarantined) logger.error({ code: error.code, failures: streak.failures }, `tenant quarantined: ${reason}`);
  }
  const url = webhookUrlOf(tenant, deps.env, logger);
  if (url) {
    deps.notifier.notify(url, {
      tenant: tenant.name, runId: streak?.lastFailedRunId ?? null, errorCode: error.code, message: error.message,
      state: quarantined ? 'quarantined' : 'active',
    });
  }
  return quarantined;
}

/**
 * The failure webhook's URL from the variable the tenant names, or null (logged) when it is unset
 * or not a usable URL. The URL is never logged: it carries the receiver's token.
 */
function webhookUrlOf(tenant: TenantRef, env: NodeJS.ProcessEnv, logger: Logger): string | null {
  const variable = tenant.notifyWebhookEnv;
  if (!variable) return null;
  const url = env[variable];
  const problem = url ? webhookUrlProblem(url) : 'is not set';
  if (problem === null) return url ?? null;
  logger.error({ variable }, `failure notice not sent: the webhook URL in the environment variable ${variable} ${problem}`);
  return null;
}
