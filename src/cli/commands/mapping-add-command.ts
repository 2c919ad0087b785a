import { type Command, Option } from 'commander';
import { formatQuota } from '../../config/index.js';
import { AppError } from '../../core/app-error.js';
import { addMapping } from '../../admin/add-mapping.js';
import { cliActor } from '../cli-actor.js';
import { describeSelector } from '../describe-selector.js';
import { positiveInt } from '../option-parsers.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';
import { addCriteriaOptions, selectorFromOptions, type CriteriaOptions } from './mapping-criteria-options.js';

interface AddOptions extends CriteriaOptions {
  profile: string;
  storage: string;
  quota: string;
  priority?: number;
  json?: boolean;
}

export async function mappingAddCommand(ctx: CliContext, tenant: string, name: string, opts: AddOptions): Promise<void> {
  const selector = selectorFromOptions(opts);
  if (selector === null) throw new AppError('USAGE', 'say whom the mapping selects: --group <id>…, --attribute <name> --equals <value>…, or --all-users');
  const added = await withStore(ctx, (store) => addMapping(store, tenant, {
    name, selector, profile: opts.profile, storage: opts.storage, quota: opts.quota, ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
  }, cliActor()));
  if (opts.json) return writeJson(ctx.out, added);
  ctx.out.write(`mapping ${added.name}: added at priority ${added.priority} (${describeSelector(added.selector)} → ${added.profile}, ${added.storage}, ${formatQuota(added.quotaBytes)})\n`);
  ctx.out.write('the next sync decides every user again\n');
}

export function registerMappingAddCommand(mapping: Command, ctx: () => CliContext): void {
  addCriteriaOptions(mapping.command('add')
    .description('add a mapping; it goes to the bottom unless --priority says otherwise')
    .argument('<tenant>')
    .argument('<name>'))
    .requiredOption('--profile <profile>', 'inSync profile (from the tenant\'s catalogue)')
    .requiredOption('--storage <storage>', 'inSync storage (from the tenant\'s catalogue)')
    .requiredOption('--quota <quota>', 'e.g. 100GB, 1.5TB, 500MB or unlimited')
    .addOption(new Option('--priority <n>', 'position, 1 = highest; the others move down').argParser(positiveInt))
    .option('--json', 'print the new mapping as JSON')
    .action((tenant: string, name: string, opts: AddOptions) => mappingAddCommand(ctx(), tenant, name, opts));
}
