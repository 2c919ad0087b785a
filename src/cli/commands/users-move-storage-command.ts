import { type Command } from 'commander';
import { moveUserStorage } from '../../admin/move-user-storage.js';
import { cliActor } from '../cli-actor.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';

export async function usersMoveStorageCommand(ctx: CliContext, tenant: string, email: string, opts: { to?: string; json?: boolean }): Promise<void> {
  const move = await withStore(ctx, (store) => moveUserStorage(store, tenant, email, cliActor(), opts.to === undefined ? {} : { to: opts.to }));
  if (opts.json) return writeJson(ctx.out, move);
  ctx.out.write(move.outcome === 'unchanged'
    ? `${move.email}: already on storage ${move.to}; nothing changed\n`
    : `${move.email}: storage ${move.from} -> ${move.to}\n`);
}

/** `users move-storage`: the deliberate move a STORAGE_CHANGE_PENDING log row asks for. */
export function registerUsersMoveStorageCommand(users: Command, ctx: () => CliContext): void {
  users.command('move-storage')
    .description('move an inSync user to the storage of its mapping (what STORAGE_CHANGE_PENDING asks for), or to --to; the sync never moves storage itself')
    .argument('<tenant>')
    .argument('<email>')
    .option('--to <storage>', 'the storage to move to (default: the one the user\'s mapping names)')
    .option('--json', 'print JSON')
    .action((tenant: string, email: string, opts: { to?: string; json?: boolean }) => usersMoveStorageCommand(ctx(), tenant, email, opts));
}
