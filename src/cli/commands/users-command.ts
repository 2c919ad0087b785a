import { type Command } from 'commander';
import { formatQuota } from '../../config/index.js';
import { listInsyncUsers } from '../../admin/list-insync-users.js';
import { formatTable } from '../format-table.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';
import { registerUsersAdoptCommand } from './users-adopt-command.js';
import { registerUsersImportCommand } from './users-import-command.js';
import { registerUsersMoveStorageCommand } from './users-move-storage-command.js';
import { registerUsersPreservationCommands } from './users-preservation-command.js';
import { registerUsersSearchCommand } from './users-search-command.js';

export async function usersCommand(ctx: CliContext, tenant: string, opts: { json?: boolean }): Promise<void> {
  const users = await withStore(ctx, (store) => listInsyncUsers(store, tenant));
  if (opts.json) return writeJson(ctx.out, users);
  ctx.out.write(formatTable(
    ['email', 'displayName', 'status', 'mapping', 'profile', 'storage', 'quota', 'source'],
    users.map((u) => [u.email, u.displayName, u.status === 'preserved' ? `preserved (${u.preservedReason ?? '?'})` : u.status,
      u.mapping, u.profile, u.storage, formatQuota(u.quotaBytes), u.source]),
  ));
  ctx.out.write(`${users.length} user(s)\n`);
}

export function registerUsersCommand(program: Command, ctx: () => CliContext): void {
  const users = program.command('users')
    .description('list the tenant\'s inSync users (`users <tenant>`), or search, import, adopt, preserve, reactivate them or move their storage')
    .argument('<tenant>')
    .option('--json', 'print JSON (quotaBytes null = unlimited)')
    .action((tenant: string, opts: { json?: boolean }) => usersCommand(ctx(), tenant, opts));
  registerUsersSearchCommand(users, ctx);
  registerUsersImportCommand(users, ctx);
  registerUsersPreservationCommands(users, ctx);
  registerUsersAdoptCommand(users, ctx);
  registerUsersMoveStorageCommand(users, ctx);
}
