import { timed, timedItems, timedSync, type SectionTimer } from '../core/section-timer.js';
import type { Logger } from '../core/logger.js';
import { AppError } from '../core/app-error.js';
import type { Clock } from '../core/clock.js';
import type { GraphApi } from '../graph/create-graph-api.js';
import { deltaPages } from '../graph/delta-pages.js';
import { groupStreams, parseGroupChange, type GroupChange, type GroupStream } from '../graph/group-delta.js';
import { parseUserChange, usersDeltaPath, type UserChange } from '../graph/user-delta.js';
import { latestDeltaLink } from '../graph/latest-delta-link.js';
import { listSoftDeletedUserIds } from '../graph/list-soft-deleted-user-ids.js';
import { listUserPages } from '../graph/list-users.js';
import { listAllGroupIds } from '../graph/list-all-group-ids.js';
import { readGroupsByDelta } from '../graph/read-groups-by-delta.js';
import { loadDeltaCursor, saveDeltaCursor } from '../store/delta-cursor.js';
import { finishFullGroupRound, mirrorGroups } from '../store/mirror-groups.js';
import { markUnseenUsersDeleted, mirrorUsers } from '../store/mirror-users.js';
import type { Db, Store } from '../store/open-store.js';
import { atLeast, BatchWriter } from './batch-writer.js';
import { throwIfAborted, type SyncProgress } from './sync-progress.js';
import { queryHash } from '../graph/query-hash.js';

export interface PullContext {
  store: Store;
  graph: GraphApi;
  tenantId: number;
  runId: number;
  /** Ignore stored links and read everything (the periodic reconciliation, `--full`). */
  full: boolean;
  inTx: <T>(fn: (db: Db) => Promise<T>) => Promise<T>;
  clock: Clock;
  logger: Logger;
  /** An item Graph sent that we could not read: logged with its reason and skipped, never fatal. */
  onBadItem: (stream: string, id: string | null, reason: string) => void;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
  /**
   * How a full round reads the directory: 'list' takes a `$deltatoken=latest` link first and then
   * lists users 999 a page and reads members in batches (§9b); 'delta' walks a plain delta round.
   */
  firstRound: 'list' | 'delta';
  /**
   * What the tenant had no rows of when the run started (its first import): full rounds then write
   * those rows with plain INSERTs (insertExpectingNew). Shared by the streams of a run; a stream
   * that meets a row that exists after all turns its flag off for the rest of the run.
   */
  freshMirror?: { users: boolean; memberships: boolean };
  /**
   * Whether group streams stamp members whose memberships changed. Not needed when the users round
   * is full: then every user is decided anyway, and stamping would rewrite each member's row.
   */
  stampMembers: boolean;
  timer: SectionTimer;
}

export interface StreamOutcome {
  stream: string;
  round: 'full' | 'incremental';
  /** How the round read Graph: delta pages, or the list path of a fast first round. */
  path: 'delta' | 'list';
  pages: number;
  items: number;
  /** An incremental round whose link Graph refused and which was redone from scratch (§1.5). */
  resynced: boolean;
  nestingChanged: boolean;
}

interface StreamSpec<C> {
  key: string;
  queryHash: string;
  path: string;
  parse: (raw: unknown, round: 'full' | 'incremental') => { ok: true; change: C } | { ok: false; reason: string; id?: string | null };
  /** Writes one page; returns whether group nesting changed. */
  write: (db: Db, changes: C[], round: 'full' | 'incremental') => Promise<boolean>;
  /** After the last page of a full round: sweep what the round did not return. */
  finishFull: (db: Db) => Promise<boolean>;
  /**
   * What finishFull needs from Graph, read before its transaction opens (a throttled read must not
   * hold the mirror's lock). It never throws a Graph error: a failure there would send a list round
   * back to the plain delta fallback, for a read that only refines the sweep.
   */
  readBeforeFinish?: () => Promise<void>;
  /** The list path of a full round: the current state in batches of changes (§9b); it times its own Graph waits. */
  listRound: () => AsyncGenerator<C[]>;
  /** The list path writes batches of at least this many changes (several pages) in one transaction. */
  listWriteBatch: number;
}

/**
 * Users a list round writes per transaction: two pages of 999. Each transaction costs its own
 * round trips (begin, lock, commit); page by page they were a third of the users stream's time.
 * Four pages were no faster at a million users and took the importer's peak RSS over 512 MB.
 */
export const USERS_WRITE_BATCH = 1998;

export const USERS_STREAM = 'users';

/** The hash a stored users link must carry to be used for an incremental round. */
export function usersQueryHash(): string {
  return queryHash(usersDeltaPath());
}

export function usersStream(ctx: PullContext): StreamSpec<UserChange> {
  const path = usersDeltaPath();
  // A tenant's first import has no user a full round could fail to return: nothing to look up.
  const hadUsers = ctx.freshMirror?.users !== true;
  let softDeleted: string[] = [];
  return {
    key: USERS_STREAM,
    queryHash: usersQueryHash(),
    path,
    parse: parseUserChange,
    write: async (db, changes, round) => {
      const fresh = ctx.freshMirror;
      const { conflicted } = await mirrorUsers(db, ctx.tenantId, ctx.runId, changes, round === 'full' ? 'replace' : 'merge', round === 'full' && fresh?.users === true);
      if (conflicted && fresh) fresh.users = false;
      return false;
    },
    readBeforeFinish: async () => {
      if (hadUsers) softDeleted = await softDeletedUserIds(ctx);
    },
    finishFull: async (db) => {
      // The sweep reads every mirrored user of the tenant (0.45 s at 300k, on the critical path:
      // the decide step waits for the users stream to end). A first import has no row it did not
      // write itself, under the tenant lock, and so none the round could have failed to return (D1).
      if (hadUsers) await markUnseenUsersDeleted(db, ctx.tenantId, ctx.runId, softDeleted);
      return false;
    },
    listWriteBatch: USERS_WRITE_BATCH,
    listRound: async function* () {
      for await (const page of timedItems(ctx.timer, 'graph-wait', listUserPages(ctx.graph))) {
        yield timedSync(ctx.timer, 'parse', () => parseAll(ctx, USERS_STREAM, page.items, (raw) => parseUserChange(raw, 'full')));
      }
    },
  };
}

/**
 * The recycle bin's users (D16), so that a user deleted while the stored link was stale is recorded
 * as restorable rather than gone for good. Without it (say the read is refused) every user the
 * round did not return is recorded as deleted, as before: a warning, not a failed run.
 */
async function softDeletedUserIds(ctx: PullContext): Promise<string[]> {
  try {
    return await timed(ctx.timer, 'graph-wait', () => listSoftDeletedUserIds(ctx.graph));
  } catch (err) {
    if (!(err instanceof AppError) || ctx.signal?.aborted) throw err;
    ctx.logger.warn({ code: err.code, err: err.message }, 'could not read deleted users from Graph; users the full round did not return are recorded as permanently deleted');
    return [];
  }
}

export function groupStreamSpecs(ctx: PullContext, groupIds: readonly string[], nested: boolean): StreamSpec<GroupChange>[] {
  return groupStreams(groupIds, nested).map((s: GroupStream) => ({
    key: s.key,
    queryHash: s.queryHash,
    path: s.path,
    parse: parseGroupChange,
    write: async (db, changes, round) => {
      const fresh = ctx.freshMirror;
      const effect = await mirrorGroups(db, ctx.tenantId, ctx.runId, changes, ctx.store.rows, ctx.stampMembers, round === 'full' && fresh?.memberships === true);
      if (effect.conflicted && fresh) fresh.memberships = false;
      return effect.nestingChanged;
    },
    finishFull: async (db) => (await finishFullGroupRound(db, ctx.tenantId, ctx.runId, s.groupIds, ctx.store.rows, ctx.stampMembers)).nestingChanged,
    // A batch of sub-round pages already carries thousands of members.
    listWriteBatch: 1,
    listRound: async function* () {
      const sleep = (ms: number) => ctx.clock.sleep(ms, ctx.signal);
      const idPages = s.groupIds ? [s.groupIds] : listAllGroupIds(ctx.graph);
      for await (const ids of idPages) {
        for await (const items of timedItems(ctx.timer, 'graph-wait', readGroupsByDelta(ctx.graph, ids, sleep))) {
          yield timedSync(ctx.timer, 'parse', () => parseAll(ctx, s.key, items, parseGroupChange));
        }
      }
    },
  }));
}

/**
 * Runs one delta round of one stream: from the stored link when there is one for the same query,
 * otherwise from scratch. Each page is written in its own transaction; the new delta link is
 * saved with the last page (ARCHITECTURE "Mirror"), so a crash replays pages instead of losing
 * them. A link Graph refuses (syncStateNotFound, resyncRequired, 410: §1.5, §11.3) is dropped and
 * the round redone from scratch.
 */
export async function pullStream<C>(ctx: PullContext, spec: StreamSpec<C>): Promise<StreamOutcome> {
  const cursor = ctx.full ? null : await ctx.inTx((db) => loadDeltaCursor(db, ctx.tenantId, spec.key));
  const usable = cursor !== null && cursor.queryHash === spec.queryHash;
  if (usable) {
    try {
      return await round(ctx, spec, cursor.deltaLink, 'incremental');
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'DELTA_TOKEN_EXPIRED') throw err;
      ctx.logger.warn({ stream: spec.key, graphCode: err.details['graphCode'] }, 'delta link refused by Graph; resyncing the stream from scratch');
      return { ...(await fullRound(ctx, spec)), resynced: true };
    }
  }
  return fullRound(ctx, spec);
}

async function fullRound<C>(ctx: PullContext, spec: StreamSpec<C>): Promise<StreamOutcome> {
  if (ctx.firstRound === 'delta') return round(ctx, spec, spec.path, 'full');
  try {
    return await listRound(ctx, spec);
  } catch (err) {
    // The plain delta round is the fallback whenever the list path is refused (§9b).
    if (!(err instanceof AppError) || !FALLBACK_CODES.has(err.code)) throw err;
    ctx.logger.warn({ stream: spec.key, code: err.code, err: err.message }, 'the list path of the first round failed; reading a plain delta round instead');
    return round(ctx, spec, spec.path, 'full');
  }
}

const FALLBACK_CODES = new Set(['GRAPH_FORBIDDEN', 'GRAPH_REQUEST_FAILED', 'GRAPH_BAD_RESPONSE']);

/**
 * A full round the cheap way (graph-semantics §9b): take a delta link that means "now", then read
 * the current state with list pages and batched reads, and sweep and save the link when done.
 * Correct because mirroring is idempotent: the next round replays whatever changed during the read.
 */
async function listRound<C>(ctx: PullContext, spec: StreamSpec<C>): Promise<StreamOutcome> {
  const startedAt = ctx.clock.now();
  const link = await latestDeltaLink(ctx.graph, spec.path);
  let pages = 0;
  let items = 0;
  let nestingChanged = false;
  const writes = new BatchWriter();
  try {
    for await (const { changes, parts } of atLeast(spec.listRound(), spec.listWriteBatch)) {
      throwIfAborted(ctx.signal);
      const firstPage = pages;
      pages += parts;
      items += changes.length;
      await writes.next(async () => {
        const changed = await timed(ctx.timer, 'mirror-write', () => ctx.inTx((db) => spec.write(db, changes, 'full')));
        ctx.onProgress?.({ kind: 'page', stream: spec.key, page: firstPage, pages: parts, items: changes.length });
        return changed;
      });
    }
    nestingChanged = await writes.drain();
  } catch (err) {
    await writes.abandon();
    throw err;
  }
  await spec.readBeforeFinish?.();
  nestingChanged = (await ctx.inTx(async (db) => {
    const changed = await spec.finishFull(db);
    await saveDeltaCursor(db, ctx.tenantId, spec.key, { deltaLink: link, queryHash: spec.queryHash, roundStartedAt: startedAt });
    return changed;
  })) || nestingChanged;
  return { stream: spec.key, round: 'full', path: 'list', pages, items, resynced: false, nestingChanged };
}

function parseAll<C>(
  ctx: PullContext,
  stream: string,
  raw: readonly unknown[],
  parse: (raw: unknown) => { ok: true; change: C } | { ok: false; reason: string; id?: string | null },
): C[] {
  const changes: C[] = [];
  for (const item of raw) {
    const parsed = parse(item);
    if (parsed.ok) changes.push(parsed.change);
    else ctx.onBadItem(stream, parsed.id ?? null, parsed.reason);
  }
  return changes;
}

async function round<C>(ctx: PullContext, spec: StreamSpec<C>, startUrl: string, kind: 'full' | 'incremental'): Promise<StreamOutcome> {
  const startedAt = ctx.clock.now();
  let pages = 0;
  let items = 0;
  let nestingChanged = false;
  for await (const page of timedItems(ctx.timer, 'graph-wait', deltaPages(ctx.graph, startUrl))) {
    throwIfAborted(ctx.signal);
    pages += 1;
    items += page.items.length;
    const changes = timedSync(ctx.timer, 'parse', () => parseAll(ctx, spec.key, page.items, (raw) => spec.parse(raw, kind)));
    if (page.deltaLink !== null && kind === 'full') await spec.readBeforeFinish?.();
    nestingChanged =
      (await timed(ctx.timer, 'mirror-write', () => ctx.inTx(async (db) => {
        let changed = await spec.write(db, changes, kind);
        if (page.deltaLink !== null) {
          if (kind === 'full') changed = (await spec.finishFull(db)) || changed;
          await saveDeltaCursor(db, ctx.tenantId, spec.key, { deltaLink: page.deltaLink, queryHash: spec.queryHash, roundStartedAt: startedAt });
        }
        return changed;
      }))) || nestingChanged;
    ctx.logger.debug({ stream: spec.key, page: page.index, items: page.items.length }, 'delta page mirrored');
    ctx.onProgress?.({ kind: 'page', stream: spec.key, page: page.index, pages: 1, items: page.items.length });
  }
  return { stream: spec.key, round: kind, path: 'delta', pages, items, resynced: false, nestingChanged };
}
