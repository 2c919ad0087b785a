import { type Command } from 'commander';
import { runSync, type SyncResult } from '../../sync/run-sync.js';
import type { PlannedAction } from '../../sync/planned-action.js';
import { formatTable } from '../format-table.js';
import { createProgressReporter } from '../progress-reporter.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';

export interface SyncCommandOptions {
  dryRun?: boolean;
  full?: boolean;
  json?: boolean;
  allowPreserve?: boolean;
}

export async function syncCommand(ctx: CliContext, tenant: string, opts: SyncCommandOptions): Promise<void> {
  const progress = createProgressReporter(ctx.err, opts.json !== true);
  const result = await withStore(ctx, (store) =>
    runSync(
      { tenant, dryRun: opts.dryRun ?? false, full: opts.full ?? false, allowPreserve: opts.allowPreserve ?? false, trigger: 'cli' },
      { store, logger: ctx.logger, env: ctx.processEnv, onProgress: progress.onProgress },
    ),
  ).finally(() => progress.done());
  if (opts.json) {
    // The counts are the contract (issue 2); the dry-run plan rides along only when asked for.
    return writeJson(ctx.out, opts.dryRun ? { ...result.counts, plan: result.plan.map(planRow) } : result.counts);
  }
  printSummary(ctx.out, result);
}

export function printSummary(out: NodeJS.WritableStream, result: SyncResult): void {
  const c = result.counts;
  out.write(
    `${result.dryRun ? 'dry run (nothing written)' : `run ${result.runId}`}: tenant ${result.tenant}, ${result.mode} sync, ` +
      `${result.graphRequests} Graph requests\n`,
  );
  const skipped = Object.entries(c.skipped).map(([reason, n]) => `${reason}=${n}`).join(', ');
  out.write(formatTable(
    ['created', 'updated', 'preserved', 'reactivated', 'unchanged', 'skipped'],
    [[c.created, c.updated, c.preserved, c.reactivated, c.unchanged, skipped || '0']],
  ));
  if (result.dryRun && result.safety?.tripped) {
    out.write(`\nwarning: a real run would stop here: ${result.safety.reason} (use --allow-preserve if it is right)\n`);
  }
  if (result.dryRun && result.plan.length > 0) {
    out.write('\nplan:\n');
    const rows = result.plan.filter((a) => a.action !== 'unchanged').map(planRow);
    out.write(formatTable(['action', 'email', 'reason', 'detail'], rows.map((r) => [r.action, r.email, r.reason, r.detail])));
  }
}

function planRow(a: PlannedAction): { action: string; email: string | null; entraObjectId: string | null; reason: string; detail: string } {
  const email = 'fields' in a ? a.fields.email : a.email;
  const detail = 'fields' in a && a.action === 'create' ? `mapping ${a.fields.mappingName}` : 'detail' in a ? JSON.stringify(a.detail) : '';
  return { action: a.action, email, entraObjectId: a.entraObjectId, reason: a.reason, detail: detail === '{}' ? '' : detail };
}

export function registerSyncCommand(program: Command, ctx: () => CliContext): void {
  program.command('sync')
    .description('pull changes from Entra ID and create, update, preserve or reactivate inSync users')
    .argument('<tenant>', 'tenant name as given in the configuration file')
    .option('--dry-run', 'do everything but write nothing; print the plan')
    .option('--full', 'ignore stored delta links: read the whole directory and reconcile every user')
    .option('--json', 'print {created, updated, preserved, reactivated, unchanged, skipped:{reason:n}}')
    .option('--allow-preserve', 'apply even if more users would be preserved than the tenant\'s safety limits allow (this run only)')
    .action((tenant: string, opts: SyncCommandOptions) => syncCommand(ctx(), tenant, opts));
}
