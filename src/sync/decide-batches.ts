import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { BloomFilter } from '../core/bloom-filter.js';
import { quiet } from '../core/quiet.js';
import { timed, timedSync, type SectionTimer } from '../core/section-timer.js';
import { sql } from 'drizzle-orm';
import type { Logger } from '../core/logger.js';
import { decideUser, expandMemberships, type DirectoryUser, type TenantPolicy } from '../mapping/index.js';
import type { Db, Store } from '../store/open-store.js';
import { preferKeyedPlans } from '../store/prefer-keyed-plans.js';
import { sendQuery } from '../store/send-query.js';
import { textArray } from '../store/unnest.js';
import { applyActions } from './apply-actions.js';
import { INSYNC_COLUMNS, toInsyncRow, type InsyncRowRaw } from './insync-user-row.js';
import { batchReader, type BatchReader, type BatchStart, type MirrorRow, type ReadBatch, type ReaderOptions } from './mirror-batch-reader.js';
import type { LoadedRules } from './load-rules.js';
import { planBatch, type DecidedBatch, type EmailEffects } from './plan-batch.js';
import type { PlannedAction } from './planned-action.js';
import { countAction, type SyncCounts } from './sync-counts.js';
import { MAILBOX_PURPOSE } from './probe-shared-mailboxes.js';
import type { UsersFollower } from './users-follower.js';
import { throwIfAborted, type SyncProgress } from './sync-progress.js';

export { DECIDE_BATCH, decidedAttributes } from './mirror-batch-reader.js';

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
  /**
   * Where batches are read, when not on `db`: a read-only transaction on another connection, so
   * that reading runs beside writing. It cannot see this run's inSync writes, and needs not: no
   * batch writes the inSync user linked to another batch's Entra object. A snapshot taken after
   * the pull, or, when following, read committed (each read sees the batches committed by then).
   */
  readDb?: Db;
  /**
   * The users stream of a full round, still being mirrored: decide its users as its batches
   * commit, instead of after the pull (needs readDb, read committed). Implies decideAll.
   */
  follow?: { follower: UsersFollower; /** The tenant's highest stamp before the stream wrote anything. */ startSeq: number };
  counts: SyncCounts;
  logger: Logger;
  timer: SectionTimer;
  /** Receives every planned action (the dry-run plan, the demo's narrative). */
  onAction?: (action: PlannedAction) => void;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
}

/** One walk of the decide pipeline over a reader's batches. */
interface Pass {
  read: BatchReader;
  start: BatchStart;
  /** Keeps the rows to decide in this pass (the rest are set aside or already done). */
  screen?: (rows: MirrorRow[]) => MirrorRow[];
}

/**
 * Decides and applies users in keyset batches: the whole tenant is never held in memory. Which
 * users: everyone (decideAll), or those stamped since the last decided watermark
 * (entra_users.changed_seq > tenants.decided_seq). The watermark moves in the same transaction as
 * the writes, so a failed or stopped run leaves the same users to decide next time.
 *
 * Batches are pipelined so that this process and the database work at the same time. Batches are
 * read on their own connection when there is one (ctx.readDb): the mirror does not change under
 * a batch, so a batch can be read and decided long before earlier ones are written. On the apply
 * transaction each batch's inSync lookup is sent ahead of the previous batch's writes, and the
 * planner adds what that batch claimed and released (EmailEffects); so planning batch N+1 never
 * waits for batch N's writes, and the database always has the next batch's writes queued. Later
 * users still see the emails earlier ones took, as if the batches ran one after the other.
 */
export async function decideBatches(ctx: DecideContext): Promise<void> {
  const { db } = ctx;
  const readDb = ctx.readDb ?? db;
  const parentsOf = ctx.rules.nested ? await loadParents(ctx, readDb) : null;
  const [mark] = await ctx.store.rows<{ decided: string | number; latest: string | number }>(db, sql`
    select t.decided_seq as decided,
           (select coalesce(max(changed_seq), 0) from entra_users where tenant_id = ${ctx.tenantId}) as latest
    from tenants t where t.id = ${ctx.tenantId}`);
  // bigint columns arrive as strings from postgres.js; sequence values stay far below 2^53.
  const decided = Number(mark?.decided ?? 0);
  const latest = Number(mark?.latest ?? 0);
  // Every statement here reads or writes a batch's keys, never the whole tenant (preferKeyedPlans).
  for (const conn of new Set([db, readDb])) await preferKeyedPlans(ctx.store, conn);

  // A tenant without inSync users (a first import): every one the decide step's lookups could
  // find is one this run created, so a lookup needs to run only for emails this run has claimed,
  // and no mirrored user can have a linked one in the read snapshot. inSync users are created
  // only under the tenant lock this run holds (runs, manual imports), so this stays true.
  const [tenantHas] = await ctx.store.rows<{ insync_users: boolean }>(db, sql`
    select exists(select 1 from insync_users where tenant_id = ${ctx.tenantId}) as insync_users`);
  const claimed = tenantHas?.insync_users === false ? new BloomFilter() : null;
  const reader: ReaderOptions = { store: ctx.store, tenantId: ctx.tenantId, rules: ctx.rules.rules, withLinked: claimed === null };

  let decidedTo = latest;
  if (ctx.follow) {
    const { follower, startSeq } = ctx.follow;
    // A user the stream writes twice (Graph may send one twice in a round, D1) is stamped twice
    // and comes up twice. Decided already, its inSync user may be this run's own write, which the
    // read connection cannot see: such users wait for a last pass on the apply transaction.
    const decidedIds = new BloomFilter();
    const again: string[] = [];
    let followedTo = startSeq;
    const followed = batchReader(reader, readDb, { kind: 'following', follower });
    await runPass(ctx, parentsOf, claimed, {
      read: async (start) => {
        const batch = await followed(start);
        followedTo = batch.next.afterSeq;
        return batch;
      },
      start: { afterId: '', afterSeq: startSeq },
      screen: (rows) => rows.filter((row) => {
        if (decidedIds.mightHold(row.id)) {
          again.push(row.id);
          return false;
        }
        decidedIds.add(row.id);
        return true;
      }),
    });
    // Users the round did not touch (deleted before it), now that nothing stamps them any more.
    await runPass(ctx, parentsOf, claimed, { read: batchReader(reader, readDb, { kind: 'stamped', upTo: startSeq }), start: { afterId: '', afterSeq: 0 } });
    if (again.length > 0) {
      // Once each, however often the stream wrote them.
      const ids = [...new Set(again)];
      await runPass(ctx, parentsOf, claimed, { read: batchReader({ ...reader, withLinked: true }, db, { kind: 'ids', ids }), start: { afterId: '', afterSeq: 0 } });
    }
    decidedTo = followedTo;
  } else {
    const order = ctx.decideAll ? { kind: 'all' as const } : { kind: 'stamped' as const, upTo: latest };
    await runPass(ctx, parentsOf, claimed, { read: batchReader(reader, readDb, order), start: { afterId: '', afterSeq: decided } });
  }
  await sendQuery(db, sql`update tenants set decided_seq = greatest(decided_seq, ${decidedTo}) where id = ${ctx.tenantId}`);
}

/**
 * Walks one pass's batches through the pipeline, and returns when every write of the pass has
 * landed: the next pass's lookups then see them all.
 */
async function runPass(ctx: DecideContext, parentsOf: Map<string, string[]> | null, claimed: BloomFilter | null, pass: Pass): Promise<void> {
  const { db } = ctx;
  let reading: Promise<ReadBatch> | null = quiet(pass.read(pass.start));
  /** The batch to plan next, decided, with its lookup on the way. */
  let current: { batch: DecidedBatch; lookup: Promise<InsyncRowRaw[]> } | null = null;
  /** What the batch whose writes are queued behind current's lookup claimed and released. */
  let unseen: EmailEffects = new Map();
  let writing: Promise<Written> | null = null;
  try {
    while (current !== null || reading !== null) {
      throwIfAborted(ctx.signal);
      let following: DecidedBatch | null = null;
      if (reading !== null) {
        const pending: Promise<ReadBatch> = reading;
        const read: ReadBatch = await timed(ctx.timer, 'decide-read', () => pending);
        reading = read.more ? quiet(pass.read(read.next)) : null;
        const rows = pass.screen ? pass.screen(read.rows) : read.rows;
        if (rows.length > 0) following = await decideRows(ctx, rows, parentsOf);
      }
      let actions: PlannedAction[] | null = null;
      if (current !== null) {
        const pending = current.lookup;
        const existing = await timed(ctx.timer, 'decide-read', () => pending);
        const batch = current.batch;
        const planned = timedSync(ctx.timer, 'decide', () => planBatch(batch, existing, unseen, ctx.rules.assignments));
        actions = planned.actions;
        unseen = planned.effects;
        if (claimed) for (const [email, holder] of unseen) if (holder !== null) claimed.add(email);
      }
      // Sent before this batch's writes, so it cannot see them: `unseen` stands in for them.
      const followingLookup = following === null ? null : quiet(lookupInsync(ctx, following, claimed));
      if (current !== null && actions !== null) {
        const decidedCount = current.batch.users.length;
        const sent: PlannedAction[] = actions;
        const previous = writing;
        writing = quiet(applyActions(db, ctx.tenantId, ctx.runId, sent, ctx.timer).then(() => ({ decided: decidedCount, actions: sent })));
        // The batch before must have landed (or failed, which ends the run here); this keeps at
        // most two batches of writes queued, and reports progress in order.
        if (previous !== null) report(ctx, await previous);
      }
      current = following === null || followingLookup === null ? null : { batch: following, lookup: followingLookup };
    }
    if (writing !== null) report(ctx, await writing);
    writing = null;
  } finally {
    // A failure or an abort may leave reads or writes in flight on the transaction: let them
    // settle before the transaction ends, rather than rolling back under them.
    await Promise.allSettled([reading, current?.lookup, writing]);
  }
}

interface Written { decided: number; actions: PlannedAction[] }

function report(ctx: DecideContext, written: Written): void {
  for (const action of written.actions) {
    countAction(ctx.counts, action);
    ctx.onAction?.(action);
  }
  ctx.onProgress?.({ kind: 'batch', decided: written.decided, written: written.actions.filter((a) => a.action !== 'unchanged').length });
}

/**
 * The decision engine over one batch: in memory, nothing read or written. It hands the event loop
 * back every DECIDE_SLICE users. Deciding a whole batch in one go kept this process from moving
 * the previous batch's statements onto the socket and reading results, so the database idled
 * with half a statement received.
 */
async function decideRows(ctx: DecideContext, batch: MirrorRow[], parentsOf: Map<string, string[]> | null): Promise<DecidedBatch> {
  const decided: DecidedBatch = { users: [], decisions: [], linked: [], unresolvedEmails: [] };
  for (let start = 0; start < batch.length; start += DECIDE_SLICE) {
    if (start > 0) await yieldToEventLoop();
    timedSync(ctx.timer, 'decide', () => decideSlice(ctx, batch.slice(start, start + DECIDE_SLICE), parentsOf, decided));
  }
  return decided;
}

const DECIDE_SLICE = 250;

function decideSlice(ctx: DecideContext, rows: MirrorRow[], parentsOf: Map<string, string[]> | null, into: DecidedBatch): void {
  const users = rows.map(toDirectoryUser);
  // Shared mailboxes: the tenant's explicit list plus those whose mailbox purpose was probed as shared.
  const probedShared = users.filter((u) => u.attributes[MAILBOX_PURPOSE] === 'shared').map((u) => u.id);
  const policy = probedShared.length === 0 ? ctx.policy : { ...ctx.policy, sharedMailboxIds: new Set([...ctx.policy.sharedMailboxIds, ...probedShared]) };
  users.forEach((user, i) => {
    const row = rows[i] as MirrorRow;
    const mine = new Set(row.group_ids);
    const transitive = parentsOf ? expandMemberships(mine, (g) => parentsOf.get(g) ?? []) : mine;
    const decision = decideUser(user, { direct: mine, transitive }, ctx.rules.rules, policy);
    const linked = row.linked === null ? null : toInsyncRow(typeof row.linked === 'string' ? (JSON.parse(row.linked) as InsyncRowRaw) : row.linked);
    into.users.push(user);
    into.decisions.push(decision);
    into.linked.push(linked);
    // The email index is unique: when the user's own inSync user holds the decided email, nobody
    // else can, and there is nothing to look up (a full reconciliation of unchanged users).
    if (decision.eligible && linked?.email.toLowerCase() !== decision.email) into.unresolvedEmails.push(decision.email);
  });
}

/**
 * The inSync users holding the emails a batch decided, where its linked rows do not say. With
 * `claimed` (a first import), only emails this run may have claimed can be held: the lookups were
 * about a tenth of the apply connection's time in a 1M-user import, and found nothing.
 */
function lookupInsync(ctx: DecideContext, decided: DecidedBatch, claimed: BloomFilter | null): Promise<InsyncRowRaw[]> {
  const emails = claimed ? decided.unresolvedEmails.filter((e) => claimed.mightHold(e)) : decided.unresolvedEmails;
  if (emails.length === 0) return Promise.resolve([]);
  return ctx.store.rows<InsyncRowRaw>(ctx.db, sql`
    select ${INSYNC_COLUMNS} from insync_users where tenant_id = ${ctx.tenantId} and lower(email) = any(${textArray(emails)})`);
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
