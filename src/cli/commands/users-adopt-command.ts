import { type Command } from 'commander';
import { adoptUser } from '../../admin/adopt-user.js';
import { cliActor } from '../cli-actor.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';

export async function usersAdoptCommand(ctx: CliContext, tenant: string, email: string, opts: { objectId?: string; json?: boolean }): Promise<void> {
  const adopted = await withStore(ctx, (store) => adoptUser(store, tenant, email, cliActor(), opts.objectId === undefined ? {} : { objectId: opts.objectId }));
  if (opts.json) return writeJson(ctx.out, adopted);
  ctx.out.write(adopted.outcome === 'unchanged'
    ? `${adopted.email}: already linked to Entra object ${adopted.entraObjectId}; nothing changed\n`
    : `${adopted.email}: linked to Entra object ${adopted.entraObjectId}; the next sync manages it by the mappings (storage stays until moved by hand)\n`);
}

/** `users adopt`: the audited answer to EXISTS_UNMANAGED. */
export function registerUsersAdoptCommand(users: Command, ctx: () => CliContext): void {
  users.command('adopt')
    .description('link an inSync user the sync does not manage (EXISTS_UNMANAGED) to the Entra user with its email; the next sync manages it')
    .argument('<tenant>')
    .argument('<email>')
    .option('--object-id <id>', 'the Entra user to link, when several in the last sync have this email')
    .option('--json', 'print JSON')
    .action((tenant: string, email: string, opts: { objectId?: string; json?: boolean }) => usersAdoptCommand(ctx(), tenant, email, opts));
}
