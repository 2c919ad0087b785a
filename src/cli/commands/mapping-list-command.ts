import { type Command } from 'commander';
import { formatQuota } from '../../config/index.js';
import { listMappings } from '../../admin/list-mappings.js';
import { describeSelector } from '../describe-selector.js';
import { formatTable } from '../format-table.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';

export async function mappingListCommand(ctx: CliContext, tenant: string, opts: { json?: boolean }): Promise<void> {
  const rows = await withStore(ctx, (store) => listMappings(store, tenant));
  if (opts.json) return writeJson(ctx.out, rows);
  ctx.out.write(formatTable(
    ['priority', 'name', 'kind', 'selects', 'profile', 'storage', 'quota'],
    rows.map((m) => [m.priority, m.name, m.kind, describeSelector(m.selector), m.profile, m.storage, formatQuota(m.quotaBytes)]),
  ));
}

export function registerMappingListCommand(mapping: Command, ctx: () => CliContext): void {
  mapping.command('list')
    .description('the tenant\'s mappings in priority order')
    .argument('<tenant>')
    .option('--json', 'print JSON: [{ name, priority, kind, selector, profile, storage, quotaBytes }] (quotaBytes null = unlimited)')
    .action((tenant: string, opts: { json?: boolean }) => mappingListCommand(ctx(), tenant, opts));
}
