import { quiet } from '../core/quiet.js';
import { timed, timedSync, type SectionTimer } from '../core/section-timer.js';
import { sql } from 'drizzle-orm';
import type { Logger } from '../core/logger.js';
import { decideUser, expandMemberships, type Decision, type DirectoryUser, type MappingRule, type TenantPolicy } from '../mapping/index.js';
import type { Db, Store } from '../store/open-store.js';
import { textArray } from '../store/unnest.js';
import { applyActions } from './apply-actions.js';
import { INSYNC_COLUMNS, toInsyncRow, type InsyncRowRaw, type InsyncUserRow } from './insync-user-row.js';
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
  /** The run's one apply transaction (or, in a dry run, the run's one transaction). */
  db: Db;
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
  /** The groups the user is a direct member of. */
  group_ids: string[];
  /** The inSync user linked to this Entra object, if any. */
  linked: InsyncRowRaw | string | null;
}

/** Where the next batch starts: after this id (everyone) or after this stamp (the flagged). */
interface BatchStart { afterId: string; afterSeq: number }

/**
 * Decides and applies users in keyset batches: the whole tenant is never held in memory. Which
 * users: everyone (decideAll), or those stamped since the last decided watermark
 * (entra_users.changed_seq > tenants.decided_seq). The watermark moves in the same transaction as
 * the writes, so a failed or stopped run leaves the same users to decide next time.
 *
 * Batches are pipelined on the one connection. While the database writes batch N, looks up the
 * inSync rows of batch N+1 and reads batch N+3, this process decides batch N+2 and then plans
 * batch N+1. Done one after the other, each side idled while the other worked, and the decide
 * step used one of two cores. Two things keep this correct: the mirror does not change during the
 * decide step, so a batch can be read and decided before earlier ones are written; and a batch's
 * inSync rows are looked up queued behind the previous batch's writes, so later users see the
 * emails earlier ones took.
 */
export async function decideBatches(ctx: DecideContext): Promise<void> {
  const { db } = ctx;
  const parentsOf = ctx.rules.nested ? await loadParents(ctx, db) : null;
  const [mark] = await ctx.store.rows<{ decided: string | number; latest: string | number }>(db, sql`
    select t.decided_seq as decided,
           (select coalesce(max(changed_seq), 0) from entra_users where tenant_id = ${ctx.tenantId}) as latest
    from tenants t where t.id = ${ctx.tenantId}`);
  // bigint columns arrive as strings from postgres.js; sequence values stay far below 2^53.
  const decided = Number(mark?.decided ?? 0);
  const latest = Number(mark?.latest ?? 0);
  // Each batch looks up 2,000 object ids, emails and members: 2,000 index probes each, a few
  // milliseconds. But PostgreSQL hashes a long `= any(...)` list and then prices "scan the
  // tenant's whole index range (or table) and filter" below the probes for tables of ~20k-200k
  // rows, so each lookup read the whole tenant: up to 300 ms a batch inside a 300k-user
  // import, growing with the tenant (and with stale statistics inside this transaction).
  // Every read here is keyed, so scans are ruled out; set_config(…, true) ends with the transaction.
  await db.execute(sql`select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`);
  // Only a large decide step needs fresh statistics; a small incremental must stay cheap.
  const analyze = ctx.decideAll || latest - decided > 20_000;
  if (analyze) await db.execute(sql`analyze entra_users, entra_group_members, insync_users`);

  const read = readerOf(ctx, latest);
  let reading: Promise<MirrorRow[]> | null = quiet(read({ afterId: '', afterSeq: decided }));
  let current: DecidedBatch | null = null;
  let lookup: Promise<InsyncRowRaw[]> | null = null;
  let writing: Promise<Written> | null = null;
  try {
    for (let batchNo = 0; current !== null || reading !== null; batchNo += 1) {
      throwIfAborted(ctx.signal);
      // Queued behind the previous batch's writes, so that it sees the emails they took.
      lookup = current === null ? null : quiet(analyze && isPowerOfTwo(batchNo - 1)
        ? refreshInsyncStatistics(db).then(() => lookupInsync(ctx, current as DecidedBatch))
        : lookupInsync(ctx, current));
      let following: DecidedBatch | null = null;
      if (reading !== null) {
        const pending: Promise<MirrorRow[]> = reading;
        const rows = await timed(ctx.timer, 'decide-read', () => pending);
        const last = rows[rows.length - 1];
        reading = rows.length === DECIDE_BATCH && last
          ? quiet(read({ afterId: last.id, afterSeq: Number(last.changed_seq) }))
          : null;
        if (rows.length > 0) following = decideRows(ctx, rows, parentsOf);
      }
      // The previous batch's writes must have landed (or failed, which ends the run here).
      if (writing !== null) report(ctx, await writing);
      writing = null;
      if (current !== null && lookup !== null) {
        const pending: Promise<InsyncRowRaw[]> = lookup;
        const actions = planBatch(ctx, current, await timed(ctx.timer, 'decide-read', () => pending));
        const decidedCount = current.users.length;
        writing = quiet(applyActions(db, ctx.tenantId, ctx.runId, actions, ctx.timer).then(() => ({ decided: decidedCount, actions })));
      }
      current = following;
    }
    if (writing !== null) report(ctx, await writing);
  } finally {
    // A failure or an abort may leave reads or writes in flight on the transaction: let them
    // settle before the transaction ends, rather than rolling back under them.
    await Promise.allSettled([reading, lookup, writing]);
  }
  await db.execute(sql`update tenants set decided_seq = greatest(decided_seq, ${latest}) where id = ${ctx.tenantId}`);
}

interface Written { decided: number; actions: PlannedAction[] }

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

function report(ctx: DecideContext, written: Written): void {
  for (const action of written.actions) {
    countAction(ctx.counts, action);
    ctx.onAction?.(action);
  }
  ctx.onProgress?.({ kind: 'batch', decided: written.decided, written: written.actions.filter((a) => a.action !== 'unchanged').length });
}

/**
 * Reads one batch of mirrored users with their direct groups and their linked inSync users, in
 * one statement: a second statement would queue behind the previous batch's writes and undo the
 * pipelining. The linked rows may be read before the previous batch is written, because no batch
 * writes the inSync user of an Entra object in another batch (each object is in one batch). Of a user's attributes
 * only those the decision reads come back (the mappings' attribute clauses and the probed mailbox
 * purpose): the whole document is most of a mirrored row, and parsing a million of them was a
 * good part of the decide step's CPU, on both sides of the connection.
 */
function readerOf(ctx: DecideContext, latest: number): (start: BatchStart) => Promise<MirrorRow[]> {
  const names = decidedAttributes(ctx.rules.rules);
  const attributes = sql`jsonb_build_object(${sql.join(names.map((n) => sql`${n}::text, u.attributes->${n}::text`), sql`, `)})`;
  const columns = sql`
    select u.id, u.user_principal_name, u.mail, u.display_name, u.user_type, u.account_enabled, u.deletion, ${attributes} as attributes,
           u.changed_seq,
           array(select m.group_id from entra_group_members m where m.tenant_id = u.tenant_id and m.member_id = u.id) as group_ids,
           (select row_to_json(i) from (select ${INSYNC_COLUMNS} from insync_users
                                        where tenant_id = u.tenant_id and entra_object_id = u.id) i) as linked
    from entra_users u`;
  return (start) => ctx.store.rows<MirrorRow>(ctx.db, ctx.decideAll
    ? sql`${columns} where u.tenant_id = ${ctx.tenantId} and u.id > ${start.afterId} order by u.id limit ${DECIDE_BATCH}`
    : sql`${columns} where u.tenant_id = ${ctx.tenantId} and u.changed_seq > ${start.afterSeq} and u.changed_seq <= ${latest}
          order by u.changed_seq limit ${DECIDE_BATCH}`);
}

/** The attribute names the decision engine and the planner read from a user. */
export function decidedAttributes(rules: readonly MappingRule[]): string[] {
  const names = new Set<string>([MAILBOX_PURPOSE]);
  for (const rule of rules) {
    if (rule.selector.kind === 'attribute') for (const clause of rule.selector.clauses) names.add(clause.name);
  }
  return [...names].sort();
}

interface DecidedBatch {
  users: DirectoryUser[];
  decisions: Decision[];
  /** Each user's linked inSync user, by position. */
  linked: (InsyncUserRow | null)[];
  /** Decided emails whose holder is not known yet: not the user's own linked inSync user. */
  unresolvedEmails: string[];
}

/** The decision engine over one batch: in memory, nothing read or written. */
function decideRows(ctx: DecideContext, batch: MirrorRow[], parentsOf: Map<string, string[]> | null): DecidedBatch {
  return timedSync(ctx.timer, 'decide', () => {
    const users = batch.map(toDirectoryUser);
    // Shared mailboxes: the tenant's explicit list plus those whose mailbox purpose was probed as shared.
    const probedShared = users.filter((u) => u.attributes[MAILBOX_PURPOSE] === 'shared').map((u) => u.id);
    const policy = probedShared.length === 0 ? ctx.policy : { ...ctx.policy, sharedMailboxIds: new Set([...ctx.policy.sharedMailboxIds, ...probedShared]) };
    const decisions = users.map((user, i) => {
      const mine = new Set(batch[i]?.group_ids ?? []);
      const transitive = parentsOf ? expandMemberships(mine, (g) => parentsOf.get(g) ?? []) : mine;
      return decideUser(user, { direct: mine, transitive }, ctx.rules.rules, policy);
    });
    const linked = batch.map((row) => (row.linked === null ? null : toInsyncRow(typeof row.linked === 'string' ? (JSON.parse(row.linked) as InsyncRowRaw) : row.linked)));
    // The email index is unique: when the user's own inSync user holds the decided email, nobody
    // else can, and there is nothing to look up (a full reconciliation of unchanged users).
    const unresolvedEmails = decisions.flatMap((d, i) => (d.eligible && linked[i]?.email.toLowerCase() !== d.email ? [d.email] : []));
    return { users, decisions, linked, unresolvedEmails };
  });
}

/** The inSync users holding the emails a batch decided, where its linked rows do not say. */
function lookupInsync(ctx: DecideContext, decided: DecidedBatch): Promise<InsyncRowRaw[]> {
  if (decided.unresolvedEmails.length === 0) return Promise.resolve([]);
  return ctx.store.rows<InsyncRowRaw>(ctx.db, sql`
    select ${INSYNC_COLUMNS} from insync_users where tenant_id = ${ctx.tenantId} and lower(email) = any(${textArray(decided.unresolvedEmails)})`);
}

/** Compares the batch's decisions with the inSync users they touch and says what to write. */
function planBatch(ctx: DecideContext, decided: DecidedBatch, existing: InsyncRowRaw[]): PlannedAction[] {
  return timedSync(ctx.timer, 'decide', () => {
    const byEmail = new Map<string, InsyncUserRow>();
    for (const row of decided.linked) if (row) byEmail.set(row.email.toLowerCase(), row);
    for (const raw of existing) {
      const row = toInsyncRow(raw);
      byEmail.set(row.email.toLowerCase(), row);
    }
    const actions: PlannedAction[] = [];
    decided.users.forEach((user, i) => {
      const decision = decided.decisions[i];
      if (!decision) return;
      const linked = decided.linked[i] ?? null;
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
    return actions;
  });
}

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

/**
 * The decide step runs in one transaction that grows insync_users from nothing, and the mirror was
 * just filled; autovacuum cannot see rows that are not committed, so the planner takes these
 * tables for tiny and answers the per-batch lookups by scanning the whole tenant: quadratic, about
 * five minutes instead of two at a million users. ANALYZE inside the transaction counts its own
 * rows; run before the first batch and again at batches 1, 2, 4, 8, … (as insync_users doubles)
 * it costs a few samples per run.
 */
async function refreshInsyncStatistics(db: Db): Promise<void> {
  await db.execute(sql`analyze insync_users`);
}
