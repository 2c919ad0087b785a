import { type Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { registerTenantListCommand } from './tenant-list-command.js';
import { registerTenantSetEncryptionCommand } from './tenant-set-encryption-command.js';
import { registerTenantSetMethodCommand } from './tenant-set-method-command.js';
import { registerTenantStateCommands } from './tenant-state-command.js';

/** `tenant list|set-method|set-encryption|pause|resume`. */
export function registerTenantCommand(program: Command, ctx: () => CliContext): void {
  const tenant = program.command('tenant').description('list tenants, change their provisioning method or encryption, pause or resume them');
  for (const register of [registerTenantListCommand, registerTenantSetMethodCommand, registerTenantSetEncryptionCommand, registerTenantStateCommands]) register(tenant, ctx);
}
