import { Argument, type Command } from 'commander';
import { PROVISIONING_METHODS, setProvisioningMethod } from '../../admin/set-provisioning-method.js';
import type { ProvisioningMethod } from '../../store/schema.js';
import { cliActor } from '../cli-actor.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';

export async function tenantSetMethodCommand(ctx: CliContext, tenant: string, method: ProvisioningMethod, opts: { yes?: boolean; json?: boolean }): Promise<void> {
  const change = await withStore(ctx, (store) => setProvisioningMethod(store, tenant, method, { confirmed: opts.yes === true }, cliActor()));
  if (opts.json) return writeJson(ctx.out, { ...change, groupMappingsRemoved: change.groupMappingsRemoved.map((m) => m.name) });
  if (change.outcome === 'unchanged') return void ctx.out.write(`tenant ${change.tenant}: already ${change.to}\n`);
  ctx.out.write(`tenant ${change.tenant}: provisioning method ${change.from} → ${change.to}\n`);
  for (const m of change.groupMappingsRemoved) ctx.out.write(`  group mapping ${m.name}: removed\n`);
  if (change.from === 'entra-import') ctx.out.write(`  ${change.usersMadeManual} inSync user(s) are now manual; the import no longer runs\n`);
}

export function registerTenantSetMethodCommand(tenant: Command, ctx: () => CliContext): void {
  tenant.command('set-method')
    .description('switch the user provisioning method; leaving entra-import drops group mappings and needs --yes')
    .argument('<tenant>')
    .addArgument(new Argument('<method>', 'the new method').choices(PROVISIONING_METHODS))
    .option('--yes', 'confirm leaving entra-import (group mappings are deleted, users become manual)')
    .option('--json', 'print JSON')
    .action((name: string, method: ProvisioningMethod, opts: { yes?: boolean; json?: boolean }) => tenantSetMethodCommand(ctx(), name, method, opts));
}
