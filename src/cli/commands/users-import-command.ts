import { type Command } from 'commander';
import { importUsers } from '../../admin/import-users.js';
import { explainReason } from '../../sync/planned-action.js';
import { cliActor } from '../cli-actor.js';
import { formatTable } from '../format-table.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';

interface ImportOptions {
  profile: string;
  storage: string;
  quota: string;
  json?: boolean;
}

const EXTRA_REASONS: Record<string, string> = {
  MANUAL_IMPORT: 'imported by hand',
  NOT_FOUND: 'no such user in Entra ID (by object id, UPN or mail)',
  ALREADY_IMPORTED: 'this Entra user already has an inSync user',
  EMAIL_CONFLICT: 'another inSync user already has this email',
};

export async function usersImportCommand(ctx: CliContext, tenant: string, users: string[], opts: ImportOptions): Promise<void> {
  const outcomes = await withStore(ctx, (store) =>
    importUsers(store, tenant, { users, profile: opts.profile, storage: opts.storage, quota: opts.quota }, cliActor(), { env: ctx.processEnv }));
  if (opts.json) return writeJson(ctx.out, outcomes);
  ctx.out.write(formatTable(
    ['user', 'email', 'action', 'reason', 'why'],
    outcomes.map((o) => [o.user, o.email, o.action, o.reason, EXTRA_REASONS[o.reason] ?? explainReason(o.reason)]),
  ));
  const created = outcomes.filter((o) => o.action === 'create').length;
  ctx.out.write(`${created} imported, ${outcomes.length - created} skipped\n`);
}

export function registerUsersImportCommand(users: Command, ctx: () => CliContext): void {
  users.command('import')
    .description('import chosen Entra users by hand, with a profile, storage and quota (source "manual")')
    .argument('<tenant>')
    .argument('<user...>', 'Entra object ids, user principal names or mails')
    .requiredOption('--profile <profile>', 'inSync profile (from the tenant\'s catalogue)')
    .requiredOption('--storage <storage>', 'inSync storage (from the tenant\'s catalogue)')
    .requiredOption('--quota <quota>', 'e.g. 100GB or unlimited')
    .option('--json', 'print JSON: [{ user, entraObjectId, email, action, reason }]')
    .action((tenant: string, users: string[], opts: ImportOptions) => usersImportCommand(ctx(), tenant, users, opts));
}
