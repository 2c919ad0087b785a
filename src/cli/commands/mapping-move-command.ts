import { type Command } from 'commander';
import { moveMapping } from '../../admin/move-mapping.js';
import { cliActor } from '../cli-actor.js';
import { formatTable } from '../format-table.js';
import { positiveInt } from '../option-parsers.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';

export async function mappingMoveCommand(ctx: CliContext, tenant: string, name: string, opts: { to: number; json?: boolean }): Promise<void> {
  const order = await withStore(ctx, (store) => moveMapping(store, tenant, name, opts.to, cliActor()));
  if (opts.json) return writeJson(ctx.out, order);
  ctx.out.write(formatTable(['priority', 'name'], order.map((m) => [m.priority, m.name])));
}

export function registerMappingMoveCommand(mapping: Command, ctx: () => CliContext): void {
  mapping.command('move')
    .description('give a mapping another priority; the others are renumbered around it')
    .argument('<tenant>')
    .argument('<name>')
    .requiredOption('--to <priority>', 'new position, 1 = highest', positiveInt)
    .option('--json', 'print the new order as JSON')
    .action((tenant: string, name: string, opts: { to: number; json?: boolean }) => mappingMoveCommand(ctx(), tenant, name, opts));
}
