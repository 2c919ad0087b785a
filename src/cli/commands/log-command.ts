import { type Command, Option } from 'commander';
import { positiveInt } from '../option-parsers.js';
import { listProvisioningLog } from '../../admin/list-provisioning-log.js';
import { explainReason } from '../../sync/planned-action.js';
import { formatTable } from '../format-table.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';

export async function logCommand(
  ctx: CliContext,
  tenant: string,
  opts: { user?: string; run?: number; json?: boolean; limit: number },
): Promise<void> {
  const rows = await withStore(ctx, (store) =>
    listProvisioningLog(store, tenant, { ...(opts.user ? { email: opts.user } : {}), ...(opts.run !== undefined ? { runId: opts.run } : {}), limit: opts.limit }),
  );
  if (opts.json) return writeJson(ctx.out, rows);
  ctx.out.write(formatTable(
    ['run', 'at', 'email', 'action', 'reason', 'why'],
    rows.map((r) => [r.runId, r.at.toISOString(), r.email ?? r.entraObjectId, r.action, r.reason, explain(r.reason, r.detail)]),
  ));
}

function explain(reason: string, detail: Record<string, unknown> | null): string {
  const text = explainReason(reason);
  const extra = detail && Object.keys(detail).length > 0 ? JSON.stringify(detail) : '';
  return [text, extra].filter(Boolean).join(' ');
}

export function registerLogCommand(program: Command, ctx: () => CliContext): void {
  program.command('log')
    .description('show what was done to each user and why')
    .argument('<tenant>')
    .option('--user <email>', 'only this user (case-insensitive)')
    .addOption(new Option('--run <id>', 'only this run').argParser(positiveInt))
    .addOption(new Option('--limit <n>', 'at most this many entries (the newest)').default(200).argParser(positiveInt))
    .option('--json', 'print JSON')
    .action((tenant: string, opts: { user?: string; run?: number; json?: boolean; limit: number }) => logCommand(ctx(), tenant, opts));
}
