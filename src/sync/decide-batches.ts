import { timed, type SectionTimer } from '../core/section-timer.js';
import { sql } from 'drizzle-orm';
import type { Logger } from '../core/logger.js';
import { decideUser, expandMemberships, type DirectoryUser, type TenantPolicy } from '../mapping/index.js';
import type { Db, Store } from '../store/open-store.js';
import { textArray } from '../store/unnest.js';
import { applyActions } from './apply-actions.js';
import type { InsyncUserRow } from './insync-user-row.js';
import type { LoadedRules } from './load-rules.js';
import { planUser } from './plan-user.js';
import type { PlannedAction } from './planned-action.js';
import { countAction, type SyncCounts } from './sync-counts.js';
import { MAILBOX_PURPOSE } from './probe-shared-mailboxes.js';
import { throwIfAborted, type SyncProgress } from './sync-progress.js';

/** Users per decide batch: big enough to amortise round trips, small enough to bound memory. */
export const DECIDE_BATCH = 2000;

export interface DecideContext {
  store: Store;
  tenantId: number;
  runId: number;
  rules: LoadedRules;
  policy: TenantPolicy;
  /** Decide every mirrored user (full round, changed mappings or nesting), not only the flagged ones. */
  decideAll: boolean;
  /** Runs fn in a transaction (or, in a dry run, inside the run's one transaction). */
  inTx: <T>(fn: (db: Db) => Promise<T>) => Promise<T>;
  counts: SyncCounts;
  logger: Logger;
  timer: SectionTimer;
  /** Receives every planned action (the dry-run plan, the demo's narrative). */
  onAction?: (action: PlannedAction) => void;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
}

interface MirrorRow extends Record<string, unknown> {
  id: string;
  user_principal_name: string | null;
  mail: string | null;
  display_name: string | null;
  user_type: string | null;
  account_enabled: boolean | null;
  deletion: 'none' | 'soft' | 'hard';
  attributes: Record<string, string | null> | string;
  changed_seq: string | number;
}

/**
 * Decides and applies users in keyset batches: the whole tenant is never held in memory. Which
 * users: everyone (decideAll), or those stamped since the last decided watermark
 * (entra_users.changed_seq > tenants.decided_seq). The watermark moves in the same transaction as
 * the writes, so a failed or stopped run leaves the same users to decide next time.
 */
export async function decideBatches(ctx: DecideContext): Promise<void> {
  const parentsOf = ctx.rules.nested ? await ctx.inTx((db) => loadParents(ctx, db)) : null;
  const [mark] = await ctx.inTx((db) => ctx.store.rows<{ decided: string | number; latest: string | number }>(db, sql`
    select t.decided_seq as decided,
           (select coalesce(max(changed_seq), 0) from entra_users where tenant_id = ${ctx.tenantId}) as latest
    from tenants t where t.id = ${ctx.tenantId}`));
  // bigint columns arrive as strings from postgres.js; sequence values stay far below 2^53.
  const decided = Number(mark?.decided ?? 0);
  const latest = Number(mark?.latest ?? 0);
  let afterId = '';
  let afterSeq = decided;
  for (let batchNo = 0; ; batchNo += 1) {
    throwIfAborted(ctx.signal);
    const done = await ctx.inTx(async (db) => {
      // Each batch looks up 2,000 object ids, emails and members: 2,000 index probes each, a few
      // milliseconds. But PostgreSQL hashes a long `= any(...)` list and then prices "scan the
      // tenant's whole index range (or table) and filter" below the probes for tables of ~20k-200k
      // rows, so each lookup read the whole tenant: up to 300 ms a batch inside a 300k-user
      // import, growing with the tenant (and with stale statistics inside this transaction).
      // Every read here is keyed, so scans are ruled out; set_config(…, true) ends with the transaction.
      await db.execute(sql`select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`);
      // Only a large decide step needs fresh statistics; a small incremental must stay cheap.
      if (ctx.decideAll || latest - decided > 20_000) await refreshStatistics(db, batchNo);
      const batch = await timed(ctx.timer, 'decide-read', () => ctx.store.rows<MirrorRow>(db, ctx.decideAll
        ? sql`
          select id, user_principal_name, mail, display_name, user_type, account_enabled, deletion, attributes, changed_seq
          from entra_users where tenant_id = ${ctx.tenantId} and id > ${afterId}
          order by id limit ${DECIDE_BATCH}`
        : sql`
          select id, user_principal_name, mail, display_name, user_type, account_enabled, deletion, attributes, changed_seq
          from entra_users where tenant_id = ${ctx.tenantId} and changed_seq > ${afterSeq} and changed_seq <= ${latest}
          order by changed_seq limit ${DECIDE_BATCH}`));
      if (batch.length === 0) return true;
      const last = batch[batch.length - 1];
      if (last) {
        afterId = last.id;
        afterSeq = Number(last.changed_seq);
      }
      const actions = await planBatch(ctx, db, batch, parentsOf);
      await applyActions(db, ctx.tenantId, ctx.runId, actions, ctx.timer);
      for (const action of actions) {
        countAction(ctx.counts, action);
        ctx.onAction?.(action);
      }
      ctx.onProgress?.({ kind: 'batch', decided: batch.length, written: actions.filter((a) => a.action !== 'unchanged').length });
      return batch.length < DECIDE_BATCH;
    });
    if (done) break;
  }
  await ctx.inTx((db) => db.execute(sql`update tenants set decided_seq = greatest(decided_seq, ${latest}) where id = ${ctx.tenantId}`));
}

async function planBatch(
  ctx: DecideContext,
  db: Db,
  batch: MirrorRow[],
  parentsOf: Map<string, string[]> | null,
): Promise<PlannedAction[]> {
  const ids = batch.map((u) => u.id);
  const memberRows = await timed(ctx.timer, 'decide-read', () => ctx.store.rows<{ member_id: string; group_id: string }>(db, sql`
    select member_id, group_id from entra_group_members
    where tenant_id = ${ctx.tenantId} and member_id = any(${textArray(ids)})`));
  const started = performance.now();
  const direct = new Map<string, Set<string>>();
  for (const row of memberRows) {
    const set = direct.get(row.member_id) ?? new Set<string>();
    set.add(row.group_id);
    direct.set(row.member_id, set);
  }
  const users = batch.map(toDirectoryUser);
  // Shared mailboxes: the tenant's explicit list plus those whose mailbox purpose was probed as shared.
  const probedShared = users.filter((u) => u.attributes[MAILBOX_PURPOSE] === 'shared').map((u) => u.id);
  const policy = probedShared.length === 0 ? ctx.policy : { ...ctx.policy, sharedMailboxIds: new Set([...ctx.policy.sharedMailboxIds, ...probedShared]) };
  const decisions = users.map((user) => {
    const mine = direct.get(user.id) ?? new Set<string>();
    const transitive = parentsOf ? expandMemberships(mine, (g) => parentsOf.get(g) ?? []) : mine;
    return decideUser(user, { direct: mine, transitive }, ctx.rules.rules, policy);
  });
  const emails = decisions.flatMap((d) => (d.eligible ? [d.email] : []));
  ctx.timer.add('decide', performance.now() - started);
  const existing = await timed(ctx.timer, 'decide-read', () => ctx.store.rows<InsyncRowRaw>(db, sql`
    select ${INSYNC_COLUMNS} from insync_users where tenant_id = ${ctx.tenantId} and entra_object_id = any(${textArray(ids)})
    -- Two keyed lookups rather than one OR: without bitmap scans an OR could only be a scan.
    union
    select ${INSYNC_COLUMNS} from insync_users where tenant_id = ${ctx.tenantId} and lower(email) = any(${textArray(emails)})`));
  const planning = performance.now();
  const byObject = new Map<string, InsyncUserRow>();
  const byEmail = new Map<string, InsyncUserRow>();
  for (const raw of existing) {
    const row = toInsyncRow(raw);
    if (row.entraObjectId) byObject.set(row.entraObjectId, row);
    byEmail.set(row.email.toLowerCase(), row);
  }

  const actions: PlannedAction[] = [];
  users.forEach((user, i) => {
    const decision = decisions[i];
    if (!decision) return;
    const linked = byObject.get(user.id) ?? null;
    const assignment = decision.eligible ? (ctx.rules.assignments.get(decision.mapping.id) ?? null) : null;
    const emailHolder = decision.eligible ? (byEmail.get(decision.email) ?? null) : null;
    const action = planUser({ user, decision, assignment, linked, emailHolder });
    // Later users in the batch must see the emails earlier ones took (two Entra users, one email).
    if (action.action === 'create' || action.action === 'update' || action.action === 'reactivate') {
      const claimed: InsyncUserRow = {
        ...action.fields, id: action.action === 'create' ? -1 : action.insyncId, entraObjectId: user.id,
        quotaOverride: false, status: 'active', preservedBy: null, source: 'auto',
      };
      byEmail.set(action.fields.email.toLowerCase(), claimed);
    }
    actions.push(action);
  });
  ctx.timer.add('decide', performance.now() - planning);
  return actions;
}

const INSYNC_COLUMNS = sql.raw(`id, email, display_name, entra_object_id, user_principal_name, mapping_id, mapping_name, profile_id,
  storage_id, quota_bytes, quota_override, status, preserved_by, source`);

async function loadParents(ctx: DecideContext, db: Db): Promise<Map<string, string[]>> {
  const edges = await ctx.store.rows<{ group_id: string; member_id: string }>(db, sql`
    select group_id, member_id from entra_group_members where tenant_id = ${ctx.tenantId} and member_type = 'group'`);
  const parents = new Map<string, string[]>();
  for (const edge of edges) parents.set(edge.member_id, [...(parents.get(edge.member_id) ?? []), edge.group_id]);
  return parents;
}

function toDirectoryUser(row: MirrorRow): DirectoryUser {
  // PGlite and postgres.js both parse jsonb, but be tolerant of a driver handing back text.
  const attributes = typeof row.attributes === 'string' ? (JSON.parse(row.attributes) as Record<string, string | null>) : row.attributes;
  return {
    id: row.id,
    userPrincipalName: row.user_principal_name,
    mail: row.mail,
    displayName: row.display_name,
    userType: row.user_type,
    accountEnabled: row.account_enabled,
    deletion: row.deletion,
    attributes: attributes ?? {},
  };
}

interface InsyncRowRaw extends Record<string, unknown> {
  id: number;
  email: string;
  display_name: string;
  entra_object_id: string | null;
  user_principal_name: string | null;
  mapping_id: number | null;
  mapping_name: string | null;
  profile_id: number;
  storage_id: number;
  quota_bytes: string | number | null;
  quota_override: boolean;
  status: 'active' | 'preserved';
  preserved_by: 'sync' | 'admin' | null;
  source: 'auto' | 'manual';
}

function toInsyncRow(raw: InsyncRowRaw): InsyncUserRow {
  return {
    id: Number(raw.id),
    email: raw.email,
    displayName: raw.display_name,
    entraObjectId: raw.entra_object_id,
    userPrincipalName: raw.user_principal_name,
    mappingId: raw.mapping_id === null ? null : Number(raw.mapping_id),
    mappingName: raw.mapping_name,
    profileId: Number(raw.profile_id),
    storageId: Number(raw.storage_id),
    // bigint comes back as a string from postgres.js; quotas stay far below 2^53.
    quotaBytes: raw.quota_bytes === null ? null : Number(raw.quota_bytes),
    quotaOverride: raw.quota_override,
    status: raw.status,
    preservedBy: raw.preserved_by,
    source: raw.source,
  };
}

/**
 * The decide step runs in one transaction that grows insync_users from nothing, and the mirror was
 * just filled; autovacuum cannot see rows that are not committed, so the planner takes these
 * tables for tiny and answers the per-batch lookups by scanning the whole tenant: quadratic, about
 * five minutes instead of two at a million users. ANALYZE inside the transaction counts its own
 * rows; repeated at batches 1, 2, 4, 8, … (as the table doubles) it costs a few samples per run.
 */
async function refreshStatistics(db: Db, batchNo: number): Promise<void> {
  if (batchNo === 0) {
    await db.execute(sql`analyze entra_users, entra_group_members, insync_users`);
  }
  else if ((batchNo & (batchNo - 1)) === 0) await db.execute(sql`analyze insync_users`);
}
