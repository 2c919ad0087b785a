import { InvalidArgumentError, type Command } from 'commander';
import { AppError, type AppErrorCode } from '../../core/app-error.js';
import { systemClock } from '../../core/clock.js';
import { DEFAULT_BACKOFF } from '../../scheduler/decide-attempt.js';
import { createWebhookNotifier } from '../../scheduler/notify-webhook.js';
import type { OnceOutcome } from '../../scheduler/run-once.js';
import { runDaemon, runDaemonOnce, type DaemonOptions } from '../../scheduler/run-daemon.js';
import { connectionsFor } from '../../store/open-store.js';
import { withStore, type CliContext } from '../cli-context.js';
import { formatTable } from '../format-table.js';
import { port, positiveInt } from '../option-parsers.js';

export interface DaemonCommandOptions {
  once?: boolean;
  metricsPort?: number;
  cluster?: boolean;
  concurrency: number;
  refresh: number;
  shutdownTimeout: number;
  quarantineAfter: number;
  maxSkip: number;
  jobTimeout: number;
  retryLimit: number;
  retryDelay: number;
  poll: number;
}

export async function daemonCommand(ctx: CliContext, opts: DaemonCommandOptions): Promise<void> {
  if (opts.cluster && !ctx.env.databaseUrl) {
    throw new AppError('USAGE', 'cluster mode needs PostgreSQL: set DATABASE_URL=postgres://… (the embedded PGlite database is one process only)');
  }
  if (opts.cluster && opts.once) throw new AppError('USAGE', '--once runs the tenants in this process; leave out --cluster');
  const options: DaemonOptions = {
    concurrency: opts.concurrency,
    metricsPort: opts.metricsPort ?? null,
    refreshIntervalMs: opts.refresh * 1000,
    shutdownTimeoutMs: opts.shutdownTimeout * 1000,
    policy: { maxSkippedSlots: opts.maxSkip, quarantineAfterMs: opts.quarantineAfter * 86_400_000 },
    cluster: opts.cluster && ctx.env.databaseUrl
      ? { connectionString: ctx.env.databaseUrl, jobTimeoutSeconds: opts.jobTimeout, retryLimit: opts.retryLimit, retryDelaySeconds: opts.retryDelay, pollSeconds: opts.poll }
      : null,
  };
  const logger = ctx.logger.child({ component: 'daemon' });
  const notifier = createWebhookNotifier({ clock: systemClock, logger });
  await withStore(ctx, async (store) => {
    const deps = { store, logger, clock: systemClock, env: ctx.processEnv, notifier };
    if (!opts.once) return runDaemon(options, { ...deps, signals: process });
    const outcomes = await runDaemonOnce(options, deps);
    printOutcomes(ctx.out, outcomes);
    const code = onceErrorCode(outcomes);
    if (code !== null) {
      const failed = outcomes.filter((o) => 'error' in o.run).map((o) => o.tenant);
      throw new AppError(code, `${failed.length} of ${outcomes.length} tenants did not sync: ${failed.join(', ')}`);
    }
  }, { poolSize: connectionsFor(opts.concurrency) });
}

/**
 * `--once` exits 0 when every run succeeded (tenants that are not scheduled do not count). When
 * some did not, it fails with their error code if they all share one, so the exit code is that
 * code's (e.g. 4 when Graph is down for everyone, 3 when refused or busy), else INTERNAL (1).
 */
export function onceErrorCode(outcomes: readonly OnceOutcome[]): AppErrorCode | null {
  const codes = new Set<AppErrorCode>();
  for (const { run } of outcomes) if ('error' in run) codes.add(run.error.code);
  if (codes.size === 0) return null;
  return codes.size === 1 ? ([...codes][0] ?? 'INTERNAL') : 'INTERNAL';
}

function printOutcomes(out: NodeJS.WritableStream, outcomes: readonly OnceOutcome[]): void {
  out.write(formatTable(['tenant', 'outcome', 'run', 'created', 'updated', 'preserved', 'reactivated', 'detail'], outcomes.map(({ tenant, run }) => {
    if (run.outcome === 'succeeded') {
      const c = run.result.counts;
      return [tenant, run.outcome, run.result.runId ?? '', c.created, c.updated, c.preserved, c.reactivated, ''];
    }
    const detail = 'error' in run ? `${run.error.code}: ${run.error.message}${run.quarantined ? ' (quarantined)' : ''}` : run.reason;
    return [tenant, run.outcome, '', '', '', '', '', detail];
  })));
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number, 0 or more');
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

export function registerDaemonCommand(program: Command, ctx: () => CliContext): void {
  program.command('daemon')
    .description('run every tenant on its schedule until SIGTERM/SIGINT (backoff, quarantine, health and metrics)')
    .option('--once', 'run every schedulable tenant once now and exit (non-zero if any did not sync)')
    .option('--metrics-port <port>', 'serve /healthz, /readyz and /metrics on this port', port)
    .option('--cluster', 'share the work with other daemons through pg-boss (needs DATABASE_URL)')
    .option('--concurrency <n>', 'tenants synced at once by this process (its PostgreSQL pool holds two connections per tenant plus two, at least 8)', positiveInt, 4)
    .option('--refresh <seconds>', 're-read the tenants table this often', positiveInt, 30)
    .option('--shutdown-timeout <seconds>', 'on SIGTERM, wait this long for runs to stop', positiveInt, 30)
    .option('--quarantine-after <days>', 'quarantine a tenant failing continuously this long', positiveNumber, DEFAULT_BACKOFF.quarantineAfterMs / 86_400_000)
    .option('--max-skip <slots>', 'most scheduled slots skipped after consecutive failures', nonNegativeInt, DEFAULT_BACKOFF.maxSkippedSlots)
    .option('--job-timeout <seconds>', 'cluster: a run not finished this long is retried elsewhere; above your longest run', positiveInt, 3600)
    .option('--retry-limit <n>', 'cluster: retries of a failed job before the dead-letter queue', nonNegativeInt, 2)
    .option('--retry-delay <seconds>', 'cluster: first retry delay (doubles each time)', nonNegativeInt, 30)
    .option('--poll <seconds>', 'cluster: how often an idle worker asks for a job', positiveNumber, 2)
    .action((opts: DaemonCommandOptions) => daemonCommand(ctx(), opts));
}
