import type { SectionTimer } from '../core/section-timer.js';
import { and, eq, like, notInArray, sql } from 'drizzle-orm';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { GraphApi } from '../graph/create-graph-api.js';
import type { TenantPolicy } from '../mapping/index.js';
import { loadDeltaCursor } from '../store/delta-cursor.js';
import type { Db, HeldLock, Store } from '../store/open-store.js';
import { deltaCursors } from '../store/schema.js';
import { emptyMirror } from '../store/empty-mirror.js';
import { vacuumMemberships } from '../store/vacuum-memberships.js';
import { analyzeInsyncUsers } from '../store/analyze-insync-users.js';
import { applyActions } from './apply-actions.js';
import type { TenantRow } from './check-preconditions.js';
import { decideBatches, type DecideContext } from './decide-batches.js';
import { loadRules, type LoadedRules } from './load-rules.js';
import { runPooled } from './run-pooled.js';
import type { PlannedAction } from './planned-action.js';
import { probeSharedMailboxes } from './probe-shared-mailboxes.js';
import { groupStreamSpecs, pullStream, usersQueryHash, usersStream, USERS_STREAM, type PullContext, type StreamOutcome } from './pull-streams.js';
import { activeEnough, judgeSafety, type SafetyLimits, type SafetyVerdict } from './safety-limit.js';
import { SafetyTripped } from './safety-tripped.js';
import { countAction, type SyncCounts } from './sync-counts.js';
import type { SyncProgress } from './sync-progress.js';
import { UsersFollower } from './users-follower.js';
import { quiet } from '../core/quiet.js';
import { messageOf } from '../core/message-of.js';

/** The users stream and up to three group streams pull at the same time. */
export const STREAMS_AT_ONCE = 4;

/** Everything one run's body needs, whether it writes for real or inside a dry run's transaction. */
export interface ExecuteContext {
  store: Store;
  tenant: TenantRow;
  runId: number;
  full: boolean;
  graph: GraphApi;
  counts: SyncCounts;
  onAction: (action: PlannedAction) => void;
  logger: Logger;
  clock: Clock;
  inTx: <T>(fn: (db: Db) => Promise<T>) => Promise<T>;
  /** Where the decide step may read beside its writes (HeldLock.readOnly); absent: on the apply transaction. */
  readOnly: HeldLock['readOnly'];
  /** The one transaction every inSync write of the run goes into, so that a safety trip leaves nothing behind. */
  inApplyTx: <T>(fn: (db: Db) => Promise<T>) => Promise<T>;
  allowPreserve: boolean;
  dryRun: boolean;
  firstRound: 'list' | 'delta';
  /** Pull the streams concurrently (not inside the one transaction of a dry run). */
  parallel: boolean;
  signal: AbortSignal | undefined;
  onProgress: ((progress: SyncProgress) => void) | undefined;
  timer: SectionTimer;
}

export interface Executed {
  streams: StreamOutcome[];
  safety: SafetyVerdict;
}

/**
 * The body of a run: pull every stream into the mirror, then decide and apply everyone who needs
 * it in one transaction, checking the safety limit before it commits.
 */
export async function executeRun(ctx: ExecuteContext): Promise<Executed> {
  const { tenant } = ctx;
  const rules = await ctx.inTx((db) => loadRules(db, tenant.id));
  const badItems: PlannedAction[] = [];
  // When the users round will be full, everyone is decided, so group streams need not stamp members.
  const usersCursor = ctx.full ? null : await ctx.inTx((db) => loadDeltaCursor(db, tenant.id, USERS_STREAM));
  const usersIncremental = usersCursor !== null && usersCursor.queryHash === usersQueryHash();
  const freshMirror = await ctx.inTx((db) => emptyMirror(ctx.store.rows, db, tenant.id));
  const pull: PullContext = {
    freshMirror,
    store: ctx.store, graph: ctx.graph, tenantId: tenant.id, runId: ctx.runId, full: ctx.full, inTx: ctx.inTx, stampMembers: usersIncremental,
    clock: ctx.clock, logger: ctx.logger, firstRound: ctx.firstRound, timer: ctx.timer, ...(ctx.signal ? { signal: ctx.signal } : {}), ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
    onBadItem: (stream, id, reason) => {
      ctx.logger.warn({ stream, entraObjectId: id, reason }, 'skipped an item Graph sent that could not be read');
      badItems.push({ action: 'skip', entraObjectId: id, email: null, reason: 'BAD_RECORD', detail: { stream, problem: reason } });
    },
  };
  const needGroups = rules.groupIds.length > 0 || rules.nested;
  const groupSpecs = needGroups ? groupStreamSpecs(pull, rules.groupIds, rules.nested) : [];
  const groupTasks = groupSpecs.map((spec) => () => pullStream(pull, spec));
  const policy: TenantPolicy = {
    emailFrom: tenant.emailFrom,
    includeSharedMailboxes: tenant.includeSharedMailboxes,
    sharedMailboxIds: new Set(tenant.sharedMailboxIds.map((id) => id.toLowerCase())),
  };
  /** Links of streams the mappings no longer use would describe the wrong query next time. */
  const dropUnusedLinks = () => ctx.inTx((db) =>
    db.delete(deltaCursors).where(and(
      eq(deltaCursors.tenantId, tenant.id),
      like(deltaCursors.stream, 'groups:%'),
      groupSpecs.length > 0 ? notInArray(deltaCursors.stream, groupSpecs.map((s) => s.key)) : sql`true`,
    )),
  );

  // Before a decide step that reads everyone: the lookup of each user's groups answers from the
  // index alone once the memberships just written are vacuumed. Not in a dry run, whose writes sit
  // in its one transaction. Only a speed-up: if it fails, the decide read fetches the rows instead.
  const settleMemberships = async () => {
    if (!ctx.parallel || groupSpecs.length === 0) return;
    await upkeep(ctx.logger, async () => {
      await vacuumMemberships(ctx.store);
      return true;
    }, 'memberships vacuumed for the decide read', 'could not vacuum the memberships; deciding without');
  };

  // After a first import has committed: statistics for the inSync users it wrote, so that the next
  // run's updates probe keys instead of reading the tenant (analyzeInsyncUsers). Not in a dry run,
  // which wrote nothing. Only a speed-up: if it fails, autovacuum analyzes the table later.
  const settleStatistics = async (streams: readonly StreamOutcome[]) => {
    if (!ctx.parallel || !freshMirror.users) return;
    const users = streams.find((s) => s.stream === USERS_STREAM)?.items ?? 0;
    await upkeep(ctx.logger, () => analyzeInsyncUsers(ctx.store, users),
      'statistics gathered for the first import', 'could not analyze insync_users; autovacuum will');
  };

  // A full users round decides everyone, and most of its time is the users stream alone once the
  // group streams are done: the decide step then follows the users stream instead of waiting for
  // it (at a million users, half a minute of the pull was users only). Not where shared mailboxes
  // are probed: the probe stamps users after the pull.
  const readOnly = ctx.parallel ? ctx.readOnly : undefined;
  if (readOnly && !usersIncremental && !tenant.includeSharedMailboxes) {
    const follower = new UsersFollower();
    const stop = new AbortController();
    const [mark] = await ctx.store.rows<{ seq: string | number }>(ctx.store.db, sql`
      select coalesce(max(changed_seq), 0) as seq from entra_users where tenant_id = ${tenant.id}`);
    const following: PullContext = {
      ...pull,
      signal: ctx.signal ? AbortSignal.any([ctx.signal, stop.signal]) : stop.signal,
      onProgress: (progress) => {
        ctx.onProgress?.(progress);
        if (progress.kind === 'page' && progress.stream === USERS_STREAM) follower.committed();
      },
    };
    const users = quiet(pullStream(following, usersStream(following)).then(
      (outcome) => { follower.finish(); return outcome; },
      (err: unknown) => { follower.fail(err); throw err; },
    ));
    try {
      const groups = await runPooled(groupTasks, STREAMS_AT_ONCE - 1);
      await dropUnusedLinks();
      await settleMemberships();
      ctx.logger.info({ streams: groups }, 'group streams pulled; deciding users as the users stream is mirrored');
      const safety = await decideAndApply(ctx, rules, policy, true, badItems, (decide) =>
        readOnly('committed', (readDb) => decide(readDb, { follower, startSeq: Number(mark?.seq ?? 0) })));
      const outcome = { streams: [await users, ...groups], safety };
      await settleStatistics(outcome.streams);
      return outcome;
    } catch (err) {
      // Nothing may still write when the run gives up its lock.
      stop.abort();
      await users.catch(() => undefined);
      throw err;
    }
  }

  // Side by side, but a few at a time: every running stream holds a page or a batch of member
  // lists in memory, and a 500-group tenant has eleven streams. Memory stays bounded by the batch
  // size, not by the number of groups; the database is the bottleneck anyway.
  const streams = await runPooled([() => pullStream(pull, usersStream(pull)), ...groupTasks], ctx.parallel ? STREAMS_AT_ONCE : 1);
  await dropUnusedLinks();
  const decideAll =
    streams.some((s) => s.stream === 'users' && s.round === 'full') ||
    tenant.mappingsVersion !== tenant.decidedMappingsVersion ||
    streams.some((s) => s.nestingChanged);
  if (tenant.includeSharedMailboxes) {
    await probeSharedMailboxes({ store: ctx.store, inTx: ctx.inTx, graph: ctx.graph, tenantId: tenant.id, decideAll, logger: ctx.logger });
  }
  if (decideAll) await settleMemberships();
  ctx.logger.info({ streams, decideAll }, 'directory pulled; deciding users');
  // Batches are read beside the writes where the lock's connection can take them; a dry run
  // keeps everything in its one transaction.
  const safety = await decideAndApply(ctx, rules, policy, decideAll, badItems, (decide) =>
    (readOnly ? readOnly('snapshot', (readDb) => decide(readDb)) : decide()));
  await settleStatistics(streams);
  return { streams, safety };
}

/**
 * Database upkeep that only speeds later work up: timed and logged when `work` says it did
 * something, a warning when it fails, never the run's failure.
 */
async function upkeep(logger: Logger, work: () => Promise<boolean>, done: string, failed: string): Promise<void> {
  const started = performance.now();
  try {
    if (await work()) logger.debug({ ms: Math.round(performance.now() - started) }, done);
  } catch (err) {
    logger.warn({ err: messageOf(err) }, failed);
  }
}

type Decide = (readDb?: Db, follow?: DecideContext['follow']) => Promise<void>;

/**
 * The decide step in the run's one apply transaction, then the safety check before it commits.
 * `around` runs the decide step where its batches are read.
 */
async function decideAndApply(
  ctx: ExecuteContext,
  rules: LoadedRules,
  policy: TenantPolicy,
  decideAll: boolean,
  badItems: readonly PlannedAction[],
  around: (decide: Decide) => Promise<void>,
): Promise<SafetyVerdict> {
  const { tenant } = ctx;
  let committing = 0;
  const safety = await ctx.inApplyTx(async (tx) => {
    const preserves: Extract<PlannedAction, { action: 'preserve' }>[] = [];
    await around((readDb, follow) => decideBatches({
      store: ctx.store, tenantId: tenant.id, runId: ctx.runId, rules, policy, decideAll, db: tx,
      ...(readDb ? { readDb } : {}), ...(follow ? { follow } : {}),
      counts: ctx.counts, logger: ctx.logger, timer: ctx.timer,
      onAction: (action) => {
        if (action.action === 'preserve') preserves.push(action);
        ctx.onAction(action);
      },
      ...(ctx.signal ? { signal: ctx.signal } : {}), ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
    }));
    if (badItems.length > 0) {
      await applyActions(tx, tenant.id, ctx.runId, badItems, ctx.timer);
      for (const action of badItems) {
        countAction(ctx.counts, action);
        ctx.onAction(action);
      }
    }
    const limits: SafetyLimits = { maxPreserve: tenant.maxPreserve, maxPreservePercent: tenant.maxPreservePercent };
    const judge = async (upTo: number | null) =>
      judgeSafety(preserves.length, preserves.length === 0 ? null : await countActiveBefore(ctx, tx, preserves.length, upTo), limits);
    const enough = activeEnough(preserves.length, limits);
    let verdict = await judge(enough);
    // A count that stopped at `enough` is a lower bound. A trip is reported with the exact count
    // (the log, the quarantine), so such a one is counted again in full; one that stopped short is exact.
    const stoppedEarly = enough !== null && verdict.activeBefore !== null && verdict.activeBefore >= enough;
    if (verdict.tripped && stoppedEarly) verdict = await judge(null);
    // Checked before the transaction commits: a tripped run leaves no inSync write behind.
    if (verdict.tripped && !ctx.allowPreserve && !ctx.dryRun) throw new SafetyTripped(verdict, preserves);
    committing = performance.now();
    return verdict;
  });
  ctx.timer.add('commit', performance.now() - committing);
  return safety;
}

/**
 * The tenant's active inSync users before this run, counted inside the apply transaction after
 * the decide step: what is active now, plus those this run preserved, minus those it created or
 * reactivated. Counted only when the run preserves someone, and only up to `upTo` (null: all) if
 * that is enough: a full count reads every inSync user of the tenant (0.17 s at 300k, 0.5 s at a
 * million), which an incremental run preserving a few of them must not pay; it would make the
 * run grow with the tenant, not with its changes.
 */
async function countActiveBefore(ctx: ExecuteContext, tx: Db, preserved: number, upTo: number | null): Promise<number> {
  const others = preserved - ctx.counts.created - ctx.counts.reactivated;
  const limit = upTo === null ? sql`` : sql`limit ${Math.max(upTo - others, 0)}`;
  const [active] = await ctx.store.rows<{ n: number }>(tx, sql`
    select count(*)::int as n from (select 1 from insync_users where tenant_id = ${ctx.tenant.id} and status = 'active' ${limit}) x`);
  return (active?.n ?? 0) + others;
}
