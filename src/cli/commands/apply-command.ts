import { type Command } from 'commander';
import { readConfigFile } from '../../config/index.js';
import { applyConfig } from '../../admin/apply-config.js';
import { userInfo } from 'node:os';
import { withStore, writeJson, type CliContext } from '../cli-context.js';

export async function applyCommand(ctx: CliContext, file: string, opts: { json?: boolean }): Promise<void> {
  // Validation happens before the database is opened: a bad file changes nothing.
  const config = await readConfigFile(file);
  for (const warning of config.warnings) ctx.logger.warn({ path: warning.path }, warning.message);
  const actor = `cli:${safeUser()}`;
  const result = await withStore(ctx, (store) => applyConfig(store, config, actor));
  if (opts.json) return writeJson(ctx.out, { tenants: result, warnings: config.warnings });
  for (const w of config.warnings) ctx.out.write(`warning: ${w.path}: ${w.message}\n`);
  for (const t of result) {
    ctx.out.write(`tenant ${t.tenant}: ${t.outcome}\n`);
    for (const change of t.changes.filter((c) => c !== 'created')) ctx.out.write(`  ${change}\n`);
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export function registerApplyCommand(program: Command, ctx: () => CliContext): void {
  program.command('apply')
    .description('validate a tenant configuration file (JSON) and make the database match it; prints what changed')
    .argument('<file>', 'path to the configuration file')
    .option('--json', 'print the changes as JSON')
    .action((file: string, opts: { json?: boolean }) => applyCommand(ctx(), file, opts));
}
