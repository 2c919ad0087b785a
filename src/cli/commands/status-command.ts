import { type Command } from 'commander';
import { tenantStatus, type TenantStatus } from '../../admin/tenant-status.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';

export async function statusCommand(ctx: CliContext, tenant: string, opts: { json?: boolean }): Promise<void> {
  const status = await withStore(ctx, (store) => tenantStatus(store, tenant));
  if (opts.json) return writeJson(ctx.out, status);
  ctx.out.write(render(status));
}

function render(s: TenantStatus): string {
  const lines = [
    `tenant ${s.tenant}: ${s.state}${s.stateReason ? ` (${s.stateReason})` : ''}`,
    `  method ${s.provisioningMethod}, encryption ${s.encryption}, schedule "${s.schedule}", next run ${s.nextRunAt ?? 'none'}`,
  ];
  const r = s.lastRun;
  if (r === null) lines.push('  last run: never');
  else {
    const c = r.counts ?? {};
    const counts = ['created', 'updated', 'preserved', 'reactivated', 'unchanged'].map((k) => `${k} ${String(c[k] ?? 0)}`).join(', ');
    lines.push(`  last run ${r.id}: ${r.status} (${r.mode}, ${r.trigger}) started ${r.startedAt}${r.finishedAt ? `, finished ${r.finishedAt}` : ''}`);
    lines.push(r.errorCode ? `    error ${r.errorCode}: ${r.errorMessage ?? ''}` : `    ${counts}`);
  }
  if (s.mappingsChangedSinceLastRun) lines.push('  mappings changed since the last run: the next run decides every user again');
  for (const c of s.cursors) lines.push(`  delta link ${c.stream}: saved ${c.savedAt} (${c.ageDays} days old)${c.stale ? ' STALE' : ''}`);
  const u = s.users;
  lines.push(`  inSync users: ${u.total} (active ${u.byStatus.active}, preserved ${u.byStatus.preserved}; auto ${u.bySource.auto}, manual ${u.bySource.manual})`);
  for (const w of s.warnings) lines.push(`warning: ${w}`);
  return `${lines.join('\n')}\n`;
}

export function registerStatusCommand(program: Command, ctx: () => CliContext): void {
  program.command('status')
    .description('the tenant\'s state, last and next run, delta link ages and user counts')
    .argument('<tenant>')
    .option('--json', 'print JSON')
    .action((tenant: string, opts: { json?: boolean }) => statusCommand(ctx(), tenant, opts));
}
