import { sql, type SQL } from 'drizzle-orm';
import type { GroupChange } from '../core/directory-change.js';
import { insertExpectingNew } from './insert-expecting-new.js';
import { sendQuery } from './send-query.js';
import type { Db } from './open-store.js';
import { flagUsersForDecision } from './flag-for-decision.js';
import { lastByKey, textArray, uuidArray } from './unnest.js';

export type MirrorGroupChange = GroupChange;

export interface GroupMirrorEffect {
  /** A group-in-group edge changed or a group went away: nested closures must be recomputed for everyone. */
  nestingChanged: boolean;
}

type Upsert = Extract<MirrorGroupChange, { kind: 'upsert' }>;

/**
 * Writes one page of group changes. Member slices of one group arrive across pages, the same
 * group repeated with other members (D3), so members are added and removed edge by edge and never
 * replaced per page. Users whose direct memberships changed are flagged for a new decision.
 */
export async function mirrorGroups(
  db: Db,
  tenantId: number,
  runId: number,
  changes: readonly MirrorGroupChange[],
  rows: <T extends Record<string, unknown>>(db: Db, q: SQL) => Promise<T[]>,
  /** Stamp members whose memberships changed; pointless when the run decides everyone anyway. */
  flag = true,
  /** A full round of a tenant with no memberships mirrored: try a plain INSERT first (insertExpectingNew). */
  expectNew = false,
): Promise<GroupMirrorEffect & { /** A membership written as new existed already (insertExpectingNew). */ conflicted: boolean }> {
  let nestingChanged = false;
  let conflicted = false;
  const stamp = (ids: readonly string[]) => (flag ? flagUsersForDecision(db, tenantId, ids) : Promise.resolve());
  const upserts = changes.filter((c): c is Upsert => c.kind === 'upsert');
  const removedGroups = [...new Set(changes.filter((c) => c.kind === 'removed').map((c) => c.id))];

  const groups = lastByKey(upserts, (g) => g.id);
  if (groups.length > 0) {
    // A property absent from an item keeps its stored value: later rounds send what changed (D4).
    await sendQuery(db, sql`
      insert into entra_groups (tenant_id, id, display_name, group_types, mail_enabled, security_enabled, deleted, seen_run_id, updated_at)
      select ${tenantId}, x.id,
             case when x.p ? 'displayName' then x.p->>'displayName' else e.display_name end,
             case when x.p ? 'groupTypes' then x.p->'groupTypes' else coalesce(e.group_types, '[]'::jsonb) end,
             case when x.p ? 'mailEnabled' then (x.p->>'mailEnabled')::boolean else e.mail_enabled end,
             case when x.p ? 'securityEnabled' then (x.p->>'securityEnabled')::boolean else e.security_enabled end,
             false, ${runId}, now()
      from (select u.id, u.p::jsonb as p
            from unnest(${uuidArray(groups.map((g) => g.id))}, ${textArray(groups.map((g) => JSON.stringify(g.props)))}) as u(id, p)
            -- Not flattened, so that each row's text is cast to jsonb once (see mirror-users).
            offset 0) x
      left join entra_groups e on e.tenant_id = ${tenantId} and e.id = x.id
      on conflict (tenant_id, id) do update set
        display_name = excluded.display_name, group_types = excluded.group_types, mail_enabled = excluded.mail_enabled,
        security_enabled = excluded.security_enabled, deleted = false, seen_run_id = ${runId}, updated_at = now()`);
  }

  const removes = upserts.flatMap((g) => g.memberRemoves.map((m) => ({ group: g.id, member: m })));
  if (removes.length > 0) {
    const gone = await rows<{ member_id: string; member_type: string }>(db, sql`
      delete from entra_group_members m
      using unnest(${uuidArray(removes.map((r) => r.group))}, ${uuidArray(removes.map((r) => r.member))}) as x(group_id, member_id)
      where m.tenant_id = ${tenantId} and m.group_id = x.group_id and m.member_id = x.member_id
      returning m.member_id, m.member_type`);
    if (gone.some((g) => g.member_type === 'group')) nestingChanged = true;
    await stamp(gone.map((g) => g.member_id));
  }

  // The same edge may appear twice in one page; keep one (ON CONFLICT cannot touch a row twice).
  const adds = lastByKey(
    upserts.flatMap((g) => g.memberAdds.map((m) => ({ group: g.id, member: m.id, type: m.type }))),
    (a) => `${a.group}/${a.member}`,
  );
  if (adds.length > 0) {
    // Only new memberships matter: a new group-in-group edge changes nesting, and a new member
    // needs a decision (a member seen again in a full round does not). Only those rows come back,
    // not the hundreds of thousands a first import writes.
    const write = (conflict: SQL) => sql`
      with written as (
        insert into entra_group_members as m (tenant_id, group_id, member_id, member_type, seen_run_id)
        select ${tenantId}, x.group_id, x.member_id, x.member_type, ${runId}
        from unnest(${uuidArray(adds.map((a) => a.group))}, ${uuidArray(adds.map((a) => a.member))}, ${textArray(adds.map((a) => a.type))})
             as x(group_id, member_id, member_type)
        ${conflict}
        returning m.member_id, m.member_type, (xmax = 0) as fresh)
      select member_id, member_type from written where fresh and (member_type = 'group' or ${sql.raw(flag ? 'true' : 'false')})`;
    const upsert = write(sql`on conflict (tenant_id, group_id, member_id) do update set member_type = excluded.member_type, seen_run_id = ${runId}`);
    const read = (d: Db, q: SQL) => rows<{ member_id: string; member_type: string }>(d, q);
    let fresh: { member_id: string; member_type: string }[];
    if (expectNew) ({ result: fresh, conflicted } = await insertExpectingNew(db, read, write(sql``), upsert));
    else fresh = await read(db, upsert);
    if (fresh.some((r) => r.member_type === 'group')) nestingChanged = true;
    await stamp(fresh.map((r) => r.member_id));
  }

  if (removedGroups.length > 0) {
    // A deleted group takes its memberships with it (D3: changed or deleted, security groups too, D16).
    await sendQuery(db, sql`
      update entra_groups set deleted = true, seen_run_id = ${runId}, updated_at = now()
      where tenant_id = ${tenantId} and id = any(${uuidArray(removedGroups)})`);
    const gone = await rows<{ member_id: string; member_type: string; group_id: string }>(db, sql`
      delete from entra_group_members
      where tenant_id = ${tenantId} and (group_id = any(${uuidArray(removedGroups)}) or member_id = any(${uuidArray(removedGroups)}))
      returning member_id, member_type, group_id`);
    if (gone.some((g) => g.member_type === 'group' || removedGroups.includes(g.member_id))) nestingChanged = true;
    await stamp(gone.map((g) => g.member_id));
  }
  return { nestingChanged, conflicted };
}

/**
 * After a complete full round of one groups stream: memberships and groups the round did not
 * return are gone. `groupIds` null means the stream covers every group.
 */
export async function finishFullGroupRound(
  db: Db,
  tenantId: number,
  runId: number,
  groupIds: readonly string[] | null,
  rows: <T extends Record<string, unknown>>(db: Db, q: SQL) => Promise<T[]>,
  flag = true,
): Promise<GroupMirrorEffect> {
  const inStream = groupIds === null ? sql`true` : sql`group_id = any(${uuidArray(groupIds)})`;
  const gone = await rows<{ member_id: string; member_type: string }>(db, sql`
    delete from entra_group_members
    where tenant_id = ${tenantId} and ${inStream} and seen_run_id is distinct from ${runId}
    returning member_id, member_type`);
  if (flag) await flagUsersForDecision(db, tenantId, gone.map((g) => g.member_id));
  const inStreamGroups = groupIds === null ? sql`true` : sql`id = any(${uuidArray(groupIds)})`;
  const vanished = await rows<{ id: string }>(db, sql`
    update entra_groups set deleted = true, updated_at = now()
    where tenant_id = ${tenantId} and ${inStreamGroups} and not deleted and seen_run_id is distinct from ${runId}
    returning id`);
  return { nestingChanged: vanished.length > 0 || gone.some((g) => g.member_type === 'group') };
}
