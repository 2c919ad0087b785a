import { sql, type SQL } from 'drizzle-orm';
import type { UserChange } from '../core/directory-change.js';
import { sendQuery } from './send-query.js';
import type { Db } from './open-store.js';
import { lockUsersMirror, NEXT_CHANGE } from './flag-for-decision.js';
import { insertExpectingNew } from './insert-expecting-new.js';
import { jsonRows, textArray, uuidArray } from './unnest.js';

export type MirrorUserChange = UserChange;

/**
 * Folds several items for one user within a batch into one, in order: Graph may send an object
 * more than once in a round (D1), and ON CONFLICT cannot touch a row twice in one statement
 * (stack-notes §3). A removal followed by an upsert is a restore (D2). Two upserts: in a later
 * round (`merge`) each carries what changed, so later attributes win over earlier ones (D4); in a
 * full round (`replace`) each item is the whole object and a property never set is left out
 * (D4, I16), so the later item replaces the earlier one, as it would in two batches: merged, a
 * value cleared between the two items would survive.
 */
export function foldUserChanges(changes: readonly MirrorUserChange[], mode: 'replace' | 'merge'): MirrorUserChange[] {
  const byId = new Map<string, MirrorUserChange>();
  for (const change of changes) {
    const prior = byId.get(change.id);
    byId.delete(change.id);
    if (mode === 'merge' && change.kind === 'upsert' && prior?.kind === 'upsert') {
      byId.set(change.id, { kind: 'upsert', id: change.id, attributes: { ...prior.attributes, ...change.attributes } });
    } else {
      byId.set(change.id, change);
    }
  }
  return [...byId.values()];
}

/**
 * Writes one page of user changes. `replace` (a full round: the item is the whole object, and a
 * property left out was never set, I16) or `merge` (a later round: only what is present changed,
 * D4). Every touched user is stamped for a new decision.
 */
export async function mirrorUsers(
  db: Db,
  tenantId: number,
  runId: number,
  changes: readonly MirrorUserChange[],
  mode: 'replace' | 'merge',
  /** A full round of a tenant with nothing mirrored: try a plain INSERT first (insertExpectingNew). */
  expectNew = false,
): Promise<{ conflicted: boolean }> {
  let conflicted = false;
  // Sorted by id so that every writer locks user rows in the same order: the users stream and the
  // groups streams (which stamp members) run side by side and would otherwise deadlock.
  const folded = foldUserChanges(changes, mode).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const upserts = folded.filter((c): c is Extract<MirrorUserChange, { kind: 'upsert' }> => c.kind === 'upsert');
  const removals = folded.filter((c): c is Extract<MirrorUserChange, { kind: 'removed' }> => c.kind === 'removed');
  if (upserts.length > 0 || removals.length > 0) await lockUsersMirror(db, tenantId);
  if (upserts.length > 0) {
    // A full round stores attributes without nulls: a null attribute and an absent one match the
    // same (I16), and the ~20 unset properties Graph sends as null were most of each row's bytes.
    // The parser leaves them out of a full round's items (parseUserChange). A merge applies a later
    // round's nulls (they clear a value, D4) and then drops them; a user new in a later round keeps
    // its nulls, which is harmless and rare.
    const merged: SQL = mode === 'merge' ? sql`jsonb_strip_nulls(u.attributes || excluded.attributes)` : sql`excluded.attributes`;
    const insert = sql`
      insert into entra_users as u (tenant_id, id, attributes, user_principal_name, mail, display_name, user_type,
                                    account_enabled, deletion, seen_run_id, updated_at)
      select ${tenantId}, x.id, x.a, x.a->>'userPrincipalName', x.a->>'mail', x.a->>'displayName', x.a->>'userType',
             (x.a->>'accountEnabled')::boolean, 'none', ${runId}, now()
      -- Extract each row's attributes once, not once per column that reads them: without "offset 0"
      -- the planner flattens the subquery and repeats the work for every reference (2.3x slower at 100k).
      from (select (e->>'id')::uuid as id, e->'a' as a
            from jsonb_array_elements(${jsonRows(upserts.map((u) => ({ id: u.id, a: u.attributes })))}) as e
            offset 0) x`;
    const upsert = sql`${insert}
      on conflict (tenant_id, id) do update set
        attributes = ${merged},
        user_principal_name = ${merged}->>'userPrincipalName',
        mail = ${merged}->>'mail',
        display_name = ${merged}->>'displayName',
        user_type = ${merged}->>'userType',
        account_enabled = (${merged}->>'accountEnabled')::boolean,
        deletion = 'none',
        changed_seq = ${NEXT_CHANGE},
        seen_run_id = ${runId},
        updated_at = now()`;
    if (expectNew && mode === 'replace') ({ conflicted } = await insertExpectingNew(db, sendQuery, insert, upsert));
    else await sendQuery(db, upsert);
  }
  if (removals.length > 0) {
    // A removal for a user we never mirrored is recorded too: an initial round may carry @removed
    // items (D1), and a tombstone lets a manual user with that object id be preserved.
    await sendQuery(db, sql`
      insert into entra_users as u (tenant_id, id, deletion, seen_run_id, updated_at)
      select ${tenantId}, x.id, case when x.reason = 'changed' then 'soft' else 'hard' end, ${runId}, now()
      from unnest(${uuidArray(removals.map((r) => r.id))}, ${textArray(removals.map((r) => r.reason))}) as x(id, reason)
      on conflict (tenant_id, id) do update set
        deletion = excluded.deletion, changed_seq = ${NEXT_CHANGE}, seen_run_id = ${runId}, updated_at = now()`);
  }
  return { conflicted };
}

/**
 * After a complete full round: a user the round did not return no longer exists (D1: the initial
 * round returns every user that currently exists). Users already soft-deleted stay soft: they were
 * already gone from the round, and a restore brings them back as new objects (D1, D2). A user the
 * mirror still had as present is soft-deleted when Graph's recycle bin holds them (`softDeleted`,
 * read from deletedItems: D16), else deleted for good.
 */
export async function markUnseenUsersDeleted(db: Db, tenantId: number, runId: number, softDeleted: readonly string[] = []): Promise<void> {
  await lockUsersMirror(db, tenantId);
  const deletion = softDeleted.length === 0
    ? sql`'hard'`
    : sql`case when u.id = any(${uuidArray(softDeleted)}) then 'soft' else 'hard' end`;
  await sendQuery(db, sql`
    update entra_users u set deletion = ${deletion}, changed_seq = ${NEXT_CHANGE}, updated_at = now()
    from (select id from entra_users
          where tenant_id = ${tenantId} and deletion = 'none' and seen_run_id is distinct from ${runId}
          order by id for update) gone
    where u.tenant_id = ${tenantId} and u.id = gone.id`);
}
