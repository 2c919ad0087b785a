import { listProvisioningLog } from '../../admin/list-provisioning-log.js';
import { REASON_TEXT, type ReasonCode } from '../../mapping/index.js';
import { PLAN_REASON_TEXT } from '../../sync/planned-action.js';
import { formatTable } from '../format-table.js';
import { withStore, writeJson, type CliContext } from '../cli-context.js';

export async function logCommand(
  ctx: CliContext,
  tenant: string,
  opts: { user?: string; run?: number; json?: boolean; limit: number },
): Promise<void> {
  const rows = await withStore(ctx, (store) =>
    listProvisioningLog(store, tenant, { ...(opts.user ? { email: opts.user } : {}), ...(opts.run !== undefined ? { runId: opts.run } : {}), limit: opts.limit }),
  );
  if (opts.json) return writeJson(ctx.out, rows);
  ctx.out.write(formatTable(
    ['run', 'at', 'email', 'action', 'reason', 'why'],
    rows.map((r) => [r.runId, r.at.toISOString(), r.email ?? r.entraObjectId, r.action, r.reason, explain(r.reason, r.detail)]),
  ));
}

function explain(reason: string, detail: Record<string, unknown> | null): string {
  const text = ({ ...REASON_TEXT, ...PLAN_REASON_TEXT } as Record<string, string | undefined>)[reason as ReasonCode] ?? '';
  const extra = detail && Object.keys(detail).length > 0 ? JSON.stringify(detail) : '';
  return [text, extra].filter(Boolean).join(' ');
}
