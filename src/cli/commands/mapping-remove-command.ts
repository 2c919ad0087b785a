import { type Command } from 'commander';
import { AppError } from '../../core/app-error.js';
import { previewMappingRemoval, removeMapping, type MappingRemovalPreview } from '../../admin/remove-mapping.js';
import { cliActor } from '../cli-actor.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';

export async function mappingRemoveCommand(ctx: CliContext, tenant: string, name: string, opts: { yes?: boolean; json?: boolean }): Promise<void> {
  await withStore(ctx, async (store) => {
    if (!opts.yes) {
      const preview = await previewMappingRemoval(store, tenant, name);
      if (opts.json) writeJson(ctx.out, { removed: false, ...preview });
      else ctx.out.write(describe(preview, 'would be'));
      throw new AppError('CONFIRMATION_REQUIRED', `mapping "${name}" was not removed; run again with --yes to remove it`);
    }
    const done = await removeMapping(store, tenant, name, cliActor());
    if (opts.json) return writeJson(ctx.out, { removed: true, ...done });
    ctx.out.write(describe(done, 'was'));
  });
}

function describe(p: MappingRemovalPreview, verb: 'was' | 'would be'): string {
  return `mapping ${p.mapping.name} (priority ${p.mapping.priority}) ${verb} removed; ${p.users.total} inSync user(s) have it `
    + `(${p.users.active} active, ${p.users.preserved} preserved): they keep their accounts and the next sync decides them again `
    + '(another mapping, or preserved as unmapped)\n';
}

export function registerMappingRemoveCommand(mapping: Command, ctx: () => CliContext): void {
  mapping.command('remove')
    .description('remove a mapping; shows how many users have it and needs --yes')
    .argument('<tenant>')
    .argument('<name>')
    .option('--yes', 'really remove it')
    .option('--json', 'print the preview or result as JSON')
    .action((tenant: string, name: string, opts: { yes?: boolean; json?: boolean }) => mappingRemoveCommand(ctx(), tenant, name, opts));
}
