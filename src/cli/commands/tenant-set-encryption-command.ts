import { Argument, type Command } from 'commander';
import { ENCRYPTION_MODES, setEncryption } from '../../admin/set-encryption.js';
import type { Encryption } from '../../store/schema.js';
import { cliActor } from '../cli-actor.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';

export async function tenantSetEncryptionCommand(ctx: CliContext, tenant: string, mode: Encryption, opts: { json?: boolean }): Promise<void> {
  const change = await withStore(ctx, (store) => setEncryption(store, tenant, mode, cliActor()));
  if (opts.json) return writeJson(ctx.out, change);
  ctx.out.write(change.outcome === 'unchanged'
    ? `tenant ${change.tenant}: encryption already ${change.to}\n`
    : `tenant ${change.tenant}: encryption ${change.from} → ${change.to}${change.to === 'none' ? ' (the import refuses to run without KMS or BYOK)' : ''}\n`);
}

export function registerTenantSetEncryptionCommand(tenant: Command, ctx: () => CliContext): void {
  tenant.command('set-encryption')
    .description('set the tenant\'s encryption mode (the import needs kms or byok)')
    .argument('<tenant>')
    .addArgument(new Argument('<mode>', 'the new mode').choices(ENCRYPTION_MODES))
    .option('--json', 'print JSON')
    .action((name: string, mode: Encryption, opts: { json?: boolean }) => tenantSetEncryptionCommand(ctx(), name, mode, opts));
}
