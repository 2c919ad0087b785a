import { type Command } from 'commander';
import { AppError } from '../../core/app-error.js';
import { moveAllPendingStorage, moveUserStorage, type StorageMove } from '../../admin/move-user-storage.js';
import { formatTable } from '../format-table.js';
import { cliActor } from '../cli-actor.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';

type MoveOptions = { to?: string; allPending?: boolean; json?: boolean };

export async function usersMoveStorageCommand(ctx: CliContext, tenant: string, email: string | undefined, opts: MoveOptions): Promise<void> {
  if (opts.allPending) {
    if (email !== undefined || opts.to !== undefined) throw new AppError('USAGE', '--all-pending moves every pending user to their mapping\'s storage; name no user and no --to with it');
    const moves = await withStore(ctx, (store) => moveAllPendingStorage(store, tenant, cliActor()));
    if (opts.json) return writeJson(ctx.out, moves);
    return printMoves(ctx, moves);
  }
  if (email === undefined) throw new AppError('USAGE', 'name the user to move, or --all-pending');
  const move = await withStore(ctx, (store) => moveUserStorage(store, tenant, email, cliActor(), opts.to === undefined ? {} : { to: opts.to }));
  if (opts.json) return writeJson(ctx.out, move);
  ctx.out.write(move.outcome === 'unchanged'
    ? `${move.email}: already on storage ${move.to}; nothing changed\n`
    : `${move.email}: storage ${move.from} -> ${move.to}\n`);
}

function printMoves(ctx: CliContext, moves: StorageMove[]): void {
  if (moves.length > 0) ctx.out.write(formatTable(['email', 'from', 'to'], moves.map((m) => [m.email, m.from, m.to])));
  ctx.out.write(`${moves.length} user(s) moved\n`);
}

/** `users move-storage`: the deliberate move a STORAGE_CHANGE_PENDING log row asks for. */
export function registerUsersMoveStorageCommand(users: Command, ctx: () => CliContext): void {
  users.command('move-storage')
    .description('move an inSync user to the storage of its mapping (what STORAGE_CHANGE_PENDING asks for), or to --to; the sync never moves storage itself')
    .argument('<tenant>')
    .argument('[email]', 'the user to move (or --all-pending)')
    .option('--to <storage>', 'the storage to move to (default: the one the user\'s mapping names)')
    .option('--all-pending', 'move every user whose mapping names another storage than theirs')
    .option('--json', 'print JSON')
    .action((tenant: string, email: string | undefined, opts: MoveOptions) => usersMoveStorageCommand(ctx(), tenant, email, opts));
}
