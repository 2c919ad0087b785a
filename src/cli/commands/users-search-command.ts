import { type Command, Option } from 'commander';
import { searchDirectory } from '../../admin/search-directory.js';
import { positiveInt } from '../option-parsers.js';
import { formatTable } from '../format-table.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';

export async function usersSearchCommand(ctx: CliContext, tenant: string, text: string, opts: { json?: boolean; top: number }): Promise<void> {
  const result = await withStore(ctx, (store) => searchDirectory(store, tenant, text, opts.top, { env: ctx.processEnv }));
  if (opts.json) return writeJson(ctx.out, result.users);
  ctx.out.write(formatTable(
    ['id', 'displayName', 'userPrincipalName', 'mail', 'userType', 'enabled'],
    result.users.map((u) => [u.id, u.displayName, u.userPrincipalName, u.mail, u.userType ?? '(missing)', u.accountEnabled === false ? 'no' : 'yes']),
  ));
  const more = result.count !== null && result.count > result.users.length ? ` of ${result.count}; narrow the text or raise --top` : '';
  ctx.out.write(`${result.users.length} user(s)${more}\n`);
}

export function registerUsersSearchCommand(users: Command, ctx: () => CliContext): void {
  users.command('search')
    .description('search the tenant\'s Entra directory by name, mail or UPN (for manual import)')
    .argument('<tenant>')
    .argument('<text>', 'matched at the start of words in displayName, mail and userPrincipalName')
    .option('--json', 'print JSON: [{ id, displayName, userPrincipalName, mail, userType, accountEnabled }]')
    .addOption(new Option('--top <n>', 'at most this many (1–999)').default(25).argParser(positiveInt))
    .action((tenant: string, text: string, opts: { json?: boolean; top: number }) => usersSearchCommand(ctx(), tenant, text, opts));
}
