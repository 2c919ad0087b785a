import { type Command } from 'commander';
import { testConnection, type ConnectionReport } from '../../admin/test-connection.js';
import { AppError } from '../../core/app-error.js';
import { formatTable } from '../format-table.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';

export async function connectionTestCommand(ctx: CliContext, tenant: string, opts: { json?: boolean }): Promise<void> {
  const report = await withStore(ctx, (store) => testConnection(store, tenant, { env: ctx.processEnv }));
  if (opts.json) writeJson(ctx.out, report);
  else printReport(ctx.out, report);
  if (!report.ok) {
    const failed = report.checks.filter((c) => c.required && c.status === 'failed').map((c) => c.name);
    // Exit 4 (Graph), whatever failed: the report above already says exactly what to fix.
    const code = failed.includes('credentials') || failed.includes('token') ? 'GRAPH_AUTH' : 'GRAPH_FORBIDDEN';
    throw new AppError(code, `connection test of tenant "${report.tenant}" failed: ${failed.join(', ')}`, { details: { failed } });
  }
}

function printReport(out: NodeJS.WritableStream, report: ConnectionReport): void {
  out.write(`tenant ${report.tenant} at ${report.graphUrl}\n`);
  out.write(formatTable(['check', 'result', 'detail'], report.checks.map((c) => [c.name, c.status === 'failed' && !c.required ? 'failed (optional)' : c.status, c.message])));
  out.write(report.ok ? 'connection ok\n' : 'connection test failed\n');
}

export function registerConnectionCommand(program: Command, ctx: () => CliContext): void {
  const connection = program.command('connection').description('check a tenant\'s connection to Microsoft Graph');
  connection.command('test')
    .description('get a token and prove each Graph permission the tenant\'s mappings need (exit 4 if one is missing)')
    .argument('<tenant>', 'tenant name as given in the configuration file')
    .option('--json', 'print {tenant, graphUrl, ok, checks:[{name, status, required, message}]}')
    .action((tenant: string, opts: { json?: boolean }) => connectionTestCommand(ctx(), tenant, opts));
}
