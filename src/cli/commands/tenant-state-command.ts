import { type Command } from 'commander';
import { setTenantState } from '../../admin/set-tenant-state.js';
import { cliActor } from '../cli-actor.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';

async function tenantStateCommand(ctx: CliContext, name: string, to: 'active' | 'paused', opts: { json?: boolean; reason?: string }): Promise<void> {
  const change = await withStore(ctx, (store) => setTenantState(store, name, to, cliActor(), opts.reason ?? null));
  if (opts.json) return writeJson(ctx.out, change);
  ctx.out.write(change.outcome === 'unchanged' ? `tenant ${change.tenant}: already ${change.to}\n` : `tenant ${change.tenant}: ${change.from} → ${change.to}\n`);
}

export function registerTenantStateCommands(tenant: Command, ctx: () => CliContext): void {
  tenant.command('pause')
    .description('stop scheduled and manual imports for the tenant until it is resumed')
    .argument('<tenant>')
    .option('--reason <text>', 'why, for the status and the audit log')
    .option('--json', 'print JSON')
    .action((name: string, opts: { json?: boolean; reason?: string }) => tenantStateCommand(ctx(), name, 'paused', opts));
  tenant.command('resume')
    .description('make a paused or quarantined tenant active again (the daemon schedules it from its next slot)')
    .argument('<tenant>')
    .option('--json', 'print JSON')
    .action((name: string, opts: { json?: boolean }) => tenantStateCommand(ctx(), name, 'active', opts));
}
