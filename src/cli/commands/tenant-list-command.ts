import { type Command } from 'commander';
import { listTenants } from '../../admin/list-tenants.js';
import { formatTable } from '../format-table.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';

export async function tenantListCommand(ctx: CliContext, opts: { json?: boolean }): Promise<void> {
  const rows = await withStore(ctx, (store) => listTenants(store));
  if (opts.json) return writeJson(ctx.out, rows);
  ctx.out.write(formatTable(
    ['name', 'method', 'encryption', 'state', 'schedule', 'mappings', 'users'],
    rows.map((t) => [t.name, t.provisioningMethod, t.encryption, t.stateReason ? `${t.state}: ${t.stateReason}` : t.state, t.schedule, t.mappings, t.insyncUsers]),
  ));
}

export function registerTenantListCommand(tenant: Command, ctx: () => CliContext): void {
  tenant.command('list')
    .description('every tenant with its method, encryption and state')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => tenantListCommand(ctx(), opts));
}
