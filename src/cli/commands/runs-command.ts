import { type Command, Option } from 'commander';
import { positiveInt } from '../option-parsers.js';
import { listRuns } from '../../admin/list-runs.js';
import { formatTable } from '../format-table.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';

export async function runsCommand(ctx: CliContext, tenant: string, opts: { json?: boolean; limit: number }): Promise<void> {
  const runs = await withStore(ctx, (store) => listRuns(store, tenant, opts.limit));
  if (opts.json) return writeJson(ctx.out, runs);
  ctx.out.write(formatTable(
    ['run', 'started', 'mode', 'trigger', 'status', 'created', 'updated', 'preserved', 'reactivated', 'graph', 'error'],
    runs.map((r) => {
      const c = (r.counts ?? {}) as Record<string, unknown>;
      return [r.id, r.startedAt.toISOString(), r.mode, r.trigger, r.status, c['created'], c['updated'], c['preserved'], c['reactivated'],
        r.graphRequests, r.errorCode ? `${r.errorCode}: ${r.errorMessage ?? ''}` : ''];
    }),
  ));
}

export function registerRunsCommand(program: Command, ctx: () => CliContext): void {
  program.command('runs')
    .description('show the tenant\'s sync run history, newest first')
    .argument('<tenant>')
    .option('--json', 'print JSON')
    .addOption(new Option('--limit <n>', 'how many runs').default(20).argParser(positiveInt))
    .action((tenant: string, opts: { json?: boolean; limit: number }) => runsCommand(ctx(), tenant, opts));
}
