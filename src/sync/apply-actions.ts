import { quiet } from '../core/quiet.js';
import { NO_TIMER, type SectionTimer } from '../core/section-timer.js';
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../store/open-store.js';
import { sendQuery } from '../store/send-query.js';
import { textArray, uuidArray } from '../store/unnest.js';
import type { PlannedAction } from './planned-action.js';

type Create = Extract<PlannedAction, { action: 'create' }>;
export type Update = Extract<PlannedAction, { action: 'update' | 'reactivate' }>;
export type Preserve = Extract<PlannedAction, { action: 'preserve' }>;

/**
 * Writes one batch of planned actions in bulk (unnest, one statement per kind) and one
 * provisioning-log row per user action. `unchanged` is counted by the caller but not logged:
 * a daily full reconciliation would otherwise log every user every day.
 *
 * The statements are sent together and awaited in order: the caller decides the next batch
 * meanwhile, and a statement sent only after the previous one answered would wait for this
 * process to be free, leaving the database idle in between. A failed statement fails the ones
 * behind it (the transaction is aborted), so its own error is the one that surfaces.
 */
export async function applyActions(
  db: Db,
  tenantId: number,
  runId: number,
  actions: readonly PlannedAction[],
  timer: SectionTimer = NO_TIMER,
): Promise<void> {
  const started = performance.now();
  const insyncWrites: Promise<unknown>[] = [];
  const send = (query: SQL) => insyncWrites.push(quiet(sendQuery(db, query)));
  const creates = actions.filter((a): a is Create => a.action === 'create');
  const updates = actions.filter((a): a is Update => a.action === 'update' || a.action === 'reactivate');
  const preserves = actions.filter((a): a is Preserve => a.action === 'preserve');

  if (creates.length > 0) {
    const f = creates.map((c) => c.fields);
    send(sql`
      insert into insync_users (tenant_id, email, display_name, entra_object_id, user_principal_name, mapping_id, mapping_name,
                                profile_id, storage_id, quota_bytes, status, source)
      select ${tenantId}, x.email, x.display_name, x.oid, x.upn, x.mapping_id::int, x.mapping_name, x.profile_id::int,
             x.storage_id::int, x.quota::bigint, 'active', 'auto'
      from unnest(${textArray(f.map((r) => r.email))}, ${textArray(f.map((r) => r.displayName))}, ${uuidArray(creates.map((c) => c.entraObjectId))},
                  ${textArray(f.map((r) => r.userPrincipalName))}, ${textArray(f.map((r) => r.mappingId))}, ${textArray(f.map((r) => r.mappingName))},
                  ${textArray(f.map((r) => r.profileId))}, ${textArray(f.map((r) => r.storageId))}, ${textArray(f.map((r) => r.quotaBytes))})
           as x(email, display_name, oid, upn, mapping_id, mapping_name, profile_id, storage_id, quota)`);
  }
  if (updates.length > 0) send(insyncUpdates(tenantId, updates));
  if (preserves.length > 0) send(insyncPreserves(tenantId, preserves));

  const logged = actions.filter((a) => a.action !== 'unchanged' || a.reason === 'ADMIN_PRESERVED');
  const logWrite = logged.length === 0 ? null : quiet(sendQuery(db, sql`
      insert into provisioning_log (tenant_id, run_id, entra_object_id, email, action, reason, detail)
      select ${tenantId}, ${runId}, x.oid, x.email, x.action, x.reason, x.detail::jsonb
      from unnest(${textArray(logged.map((a) => a.entraObjectId))}, ${textArray(logged.map(emailOf))},
                  ${textArray(logged.map((a) => (a.reason === 'ADMIN_PRESERVED' ? 'skip' : a.action)))}, ${textArray(logged.map((a) => a.reason))},
                  ${textArray(logged.map((a) => JSON.stringify('detail' in a ? a.detail : {})))})
           as x(oid, email, action, reason, detail)`));
  for (const write of insyncWrites) await write;
  const logging = performance.now();
  timer.add('insync-write', logging - started);
  if (logWrite) await logWrite;
  timer.add('log-write', performance.now() - logging);
}

/**
 * One batch's updates and reactivations: its rows joined to insync_users by id, one index probe a
 * row where the planner has statistics for the table (after a first import: analyzeInsyncUsers).
 */
export function insyncUpdates(tenantId: number, updates: readonly Update[]): SQL {
  const f = updates.map((u) => u.fields);
  return sql`
      update insync_users u set
        email = x.email, display_name = x.display_name, user_principal_name = x.upn, mapping_id = x.mapping_id::int,
        mapping_name = x.mapping_name, profile_id = x.profile_id::int, storage_id = x.storage_id::int, quota_bytes = x.quota::bigint,
        status = 'active', preserved_by = null, preserved_reason = null, updated_at = now()
      from unnest(${textArray(updates.map((u) => u.insyncId))}, ${textArray(f.map((r) => r.email))}, ${textArray(f.map((r) => r.displayName))},
                  ${textArray(f.map((r) => r.userPrincipalName))}, ${textArray(f.map((r) => r.mappingId))}, ${textArray(f.map((r) => r.mappingName))},
                  ${textArray(f.map((r) => r.profileId))}, ${textArray(f.map((r) => r.storageId))}, ${textArray(f.map((r) => r.quotaBytes))})
           as x(id, email, display_name, upn, mapping_id, mapping_name, profile_id, storage_id, quota)
      where u.tenant_id = ${tenantId} and u.id = x.id::int`;
}

/** One batch's preserves, joined to insync_users by id like insyncUpdates. */
export function insyncPreserves(tenantId: number, preserves: readonly Preserve[]): SQL {
  return sql`
      update insync_users u set status = 'preserved', preserved_by = 'sync', preserved_reason = x.reason, updated_at = now()
      from unnest(${textArray(preserves.map((p) => p.insyncId))}, ${textArray(preserves.map((p) => p.reason))}) as x(id, reason)
      where u.tenant_id = ${tenantId} and u.id = x.id::int`;
}

function emailOf(action: PlannedAction): string | null {
  return 'fields' in action ? action.fields.email : action.email;
}
