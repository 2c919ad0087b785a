import { sql, type SQL } from 'drizzle-orm';
import type { MappingRule } from '../mapping/index.js';
import type { Db, Store } from '../store/open-store.js';
import { uuidArray } from '../store/unnest.js';
import { INSYNC_COLUMNS, type InsyncRowRaw } from './insync-user-row.js';
import { MAILBOX_PURPOSE } from './probe-shared-mailboxes.js';
import type { UsersFollower } from './users-follower.js';

/** Users per decide batch: big enough to amortise round trips, small enough to bound memory. */
export const DECIDE_BATCH = 2000;

export interface MirrorRow extends Record<string, unknown> {
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

/** Where the next batch starts: after this id (by id; '' for the first) or after this stamp (by stamp). */
export interface BatchStart { afterId: string; afterSeq: number }

export interface ReadBatch {
  rows: MirrorRow[];
  /** Whether another read may return more. */
  more: boolean;
  /** Where the next read starts. */
  next: BatchStart;
}

export type BatchReader = (start: BatchStart) => Promise<ReadBatch>;

/** Which mirrored users a pass of the decide step reads, in which order. */
export type BatchOrder =
  /** Every user, by object id. */
  | { kind: 'all' }
  /** Users stamped after the start and up to `upTo`, in stamp order (entra_users.changed_seq). */
  | { kind: 'stamped'; upTo: number }
  /** Users stamped after the start, in stamp order, as the users stream commits them, until it has finished. */
  | { kind: 'following'; follower: UsersFollower }
  /** These users, a batch at a time. */
  | { kind: 'ids'; ids: readonly string[] };

export interface ReaderOptions {
  store: Store;
  tenantId: number;
  rules: readonly MappingRule[];
  /** Read the linked inSync user of each mirrored user (pointless where the tenant had none). */
  withLinked: boolean;
}

/**
 * Reads batches of mirrored users with their direct groups and their linked inSync users, one
 * statement a batch: a second statement would queue behind the previous batch's writes and undo
 * the pipelining. Of a user's attributes only those the decision reads come back (the mappings'
 * attribute clauses and the probed mailbox purpose): the whole document is most of a mirrored row,
 * and parsing a million of them was a good part of the decide step's CPU, on both sides of the
 * connection.
 */
export function batchReader(opts: ReaderOptions, db: Db, order: BatchOrder): BatchReader {
  const names = decidedAttributes(opts.rules);
  const attributes = sql`jsonb_build_object(${sql.join(names.map((n) => sql`${n}::text, u.attributes->${n}::text`), sql`, `)})`;
  // Without linked users to find, the probe per user was a fifth of this statement's time at 1M users.
  const linked = opts.withLinked
    ? sql`(select row_to_json(i) from (select ${INSYNC_COLUMNS} from insync_users
                                        where tenant_id = u.tenant_id and entra_object_id = u.id) i)`
    : sql`null`;
  const columns = sql`
    select u.id, u.user_principal_name, u.mail, u.display_name, u.user_type, u.account_enabled, u.deletion, ${attributes} as attributes,
           u.changed_seq,
           array(select m.group_id from entra_group_members m where m.tenant_id = u.tenant_id and m.member_id = u.id) as group_ids,
           ${linked} as linked
    from entra_users u where u.tenant_id = ${opts.tenantId}`;
  const read = (where: SQL, orderBy: SQL) => opts.store.rows<MirrorRow>(db, sql`${columns} and ${where} order by ${orderBy} limit ${DECIDE_BATCH}`);
  const after = (rows: MirrorRow[], start: BatchStart): BatchStart => {
    const last = rows[rows.length - 1];
    return last ? { afterId: last.id, afterSeq: Number(last.changed_seq) } : start;
  };

  switch (order.kind) {
    case 'all':
      return async (start) => {
        const rows = await read(start.afterId === '' ? sql`true` : sql`u.id > ${start.afterId}::uuid`, sql`u.id`);
        return { rows, more: rows.length === DECIDE_BATCH, next: after(rows, start) };
      };
    case 'stamped':
      return async (start) => {
        const rows = await read(sql`u.changed_seq > ${start.afterSeq} and u.changed_seq <= ${order.upTo}`, sql`u.changed_seq`);
        return { rows, more: rows.length === DECIDE_BATCH, next: after(rows, start) };
      };
    case 'following':
      return async (start) => {
        const { follower } = order;
        for (;;) {
          // Taken before the read: a stream that had finished by then has nothing left to show it.
          const seen = follower.commits;
          const finished = follower.finished;
          const rows = await read(sql`u.changed_seq > ${start.afterSeq}`, sql`u.changed_seq`);
          if (rows.length > 0 || finished) return { rows, more: rows.length > 0, next: after(rows, start) };
          await follower.changedSince(seen);
        }
      };
    case 'ids': {
      let taken = 0;
      return async (start) => {
        const ids = order.ids.slice(taken, taken + DECIDE_BATCH);
        taken += ids.length;
        const rows = ids.length === 0 ? [] : await read(sql`u.id = any(${uuidArray(ids)})`, sql`u.id`);
        return { rows, more: taken < order.ids.length, next: start };
      };
    }
  }
}

/** The attribute names the decision engine and the planner read from a user. */
export function decidedAttributes(rules: readonly MappingRule[]): string[] {
  const names = new Set<string>([MAILBOX_PURPOSE]);
  for (const rule of rules) {
    if (rule.selector.kind === 'attribute') for (const clause of rule.selector.clauses) names.add(clause.name);
  }
  return [...names].sort();
}
