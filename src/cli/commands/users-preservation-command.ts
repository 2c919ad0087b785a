import { type Command } from 'commander';
import { preserveUser, reactivateUser, type PreservationChange } from '../../admin/set-user-preservation.js';
import { cliActor } from '../cli-actor.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';

type Verb = 'preserve' | 'reactivate';

export async function usersPreservationCommand(ctx: CliContext, verb: Verb, tenant: string, email: string, opts: { json?: boolean }): Promise<void> {
  const change: PreservationChange = await withStore(ctx, (store) =>
    (verb === 'preserve' ? preserveUser : reactivateUser)(store, tenant, email, cliActor()));
  if (opts.json) return writeJson(ctx.out, change);
  ctx.out.write(change.outcome === 'unchanged'
    ? `${change.email}: already ${change.status}${change.preservedBy ? ` (by ${change.preservedBy})` : ''}; nothing changed\n`
    : `${change.email}: ${change.status}${verb === 'preserve' ? ' by an admin; the sync will not reactivate it' : '; the next sync checks it against Entra again'}\n`);
}

/** `users preserve` and `users reactivate`: the two halves of one admin switch. */
export function registerUsersPreservationCommands(users: Command, ctx: () => CliContext): void {
  users.command('preserve')
    .description('preserve an inSync user by hand (data kept, backups stop); the sync never reactivates it')
    .argument('<tenant>')
    .argument('<email>')
    .option('--json', 'print JSON')
    .action((tenant: string, email: string, opts: { json?: boolean }) => usersPreservationCommand(ctx(), 'preserve', tenant, email, opts));
  users.command('reactivate')
    .description('reactivate a preserved inSync user')
    .argument('<tenant>')
    .argument('<email>')
    .option('--json', 'print JSON')
    .action((tenant: string, email: string, opts: { json?: boolean }) => usersPreservationCommand(ctx(), 'reactivate', tenant, email, opts));
}
