import { type Command } from 'commander';
import { formatQuota } from '../../config/index.js';
import { editMapping } from '../../admin/edit-mapping.js';
import { cliActor } from '../cli-actor.js';
import { describeSelector } from '../describe-selector.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';
import { addCriteriaOptions, selectorFromOptions, type CriteriaOptions } from './mapping-criteria-options.js';

interface EditOptions extends CriteriaOptions {
  profile?: string;
  storage?: string;
  quota?: string;
  rename?: string;
  json?: boolean;
}

export async function mappingEditCommand(ctx: CliContext, tenant: string, name: string, opts: EditOptions): Promise<void> {
  const selector = selectorFromOptions(opts);
  const edited = await withStore(ctx, (store) => editMapping(store, tenant, name, {
    ...(opts.rename !== undefined ? { rename: opts.rename } : {}),
    ...(selector !== null ? { selector } : {}),
    ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
    ...(opts.storage !== undefined ? { storage: opts.storage } : {}),
    ...(opts.quota !== undefined ? { quota: opts.quota } : {}),
  }, cliActor()));
  if (opts.json) return writeJson(ctx.out, edited);
  ctx.out.write(`mapping ${edited.name}: priority ${edited.priority}, ${describeSelector(edited.selector)} → ${edited.profile}, ${edited.storage}, ${formatQuota(edited.quotaBytes)}\n`);
  ctx.out.write('the next sync decides every user again\n');
}

export function registerMappingEditCommand(mapping: Command, ctx: () => CliContext): void {
  addCriteriaOptions(mapping.command('edit')
    .description('change a mapping\'s settings, name or criteria (only what is given changes)')
    .argument('<tenant>')
    .argument('<name>'))
    .option('--profile <profile>', 'new inSync profile')
    .option('--storage <storage>', 'new inSync storage (users already on another storage stay there until moved)')
    .option('--quota <quota>', 'new quota, e.g. 100GB or unlimited')
    .option('--rename <new-name>', 'new name')
    .option('--json', 'print the mapping as JSON')
    .action((tenant: string, name: string, opts: EditOptions) => mappingEditCommand(ctx(), tenant, name, opts));
}
