import { type Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { registerTenantListCommand } from './tenant-list-command.js';
import { registerTenantSetEncryptionCommand } from './tenant-set-encryption-command.js';
import { registerTenantSetMethodCommand } from './tenant-set-method-command.js';

/** `tenant list|set-method|set-encryption`. */
export function registerTenantCommand(program: Command, ctx: () => CliContext): void {
  const tenant = program.command('tenant').description('list tenants and change their provisioning method or encryption');
  for (const register of [registerTenantListCommand, registerTenantSetMethodCommand, registerTenantSetEncryptionCommand]) register(tenant, ctx);
}
