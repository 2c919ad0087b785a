import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { listInsyncUsers } from '../../src/admin/list-insync-users.js';
import type { MockGraph } from '../../src/mock-graph/start-mock-graph.js';
import type { TestStore } from '../support/test-store.js';
import { actionFor, applyDemo, FINANCE, sync, user } from '../support/sync-harness.js';
import { useStoreAndMock } from '../support/use-store-and-mock.js';

const gid = (n: number) => `f1000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const AUDITORS = gid(6); // Finance Auditors, a member of Finance in the fixture

let db: TestStore;
let mock: MockGraph;
useStoreAndMock((store, graph) => {
  db = store;
  mock = graph;
});

async function streams(): Promise<string[]> {
  const rows = await db.store.rows<{ stream: string }>(db.store.db, sql.raw(`select stream from delta_cursors order by stream`));
  return rows.map((r) => r.stream);
}
const activeByMapping = async (mapping: string) =>
  (await listInsyncUsers(db.store, 'contoso')).filter((u) => u.mapping === mapping && u.status === 'active').map((u) => u.entraObjectId).sort();
const mapping = (name: string, groups: string[], extra: Record<string, unknown> = {}) =>
  ({ name, groups, profile: 'Default', storage: 'US-East', quota: '10GB', ...extra });

/** 60 new groups, group i holding one new member user(200 + i). */
function addSixtyGroups(m: MockGraph): string[] {
  return Array.from({ length: 60 }, (_, i) => {
    const id = gid(100 + i);
    const n = 200 + i;
    m.directory.addUser({ id: user(n), userPrincipalName: `u${n}@contoso.example`, mail: `u${n}@contoso.example`, displayName: `User ${n}`, userType: 'Member', accountEnabled: true });
    m.directory.addGroup({ id, displayName: `Team ${i}`, groupTypes: [], mailEnabled: false, securityEnabled: true, members: [user(n)] });
    return id;
  });
}

describe(`group streams (${process.env['TEST_DATABASE_URL'] ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('D4/D5: mappings naming 60 groups pull them in two filtered groups/delta streams of at most 50 ids, and match their members', async () => {
    const groups = addSixtyGroups(mock);
    await applyDemo(db.store, mock, (t) => { t['mappings'] = [mapping('Sixty', groups)]; });
    const r = await sync(db.store, mock);
    const groupStreams = r.streams.filter((s) => s.stream.startsWith('groups:'));
    expect(groupStreams).toHaveLength(2);
    expect(groupStreams.map((s) => s.items).sort((a, b) => a - b)).toEqual([10, 50]);
    expect(await streams()).toEqual([...groupStreams.map((s) => s.stream).sort(), 'users'].sort());
    expect(await activeByMapping('Sixty')).toEqual(Array.from({ length: 60 }, (_, i) => user(200 + i)).sort());
    // The mock answers more than 50 ids with 400 (D5), so no request asked for more.
    expect(mock.stats().requests['GET /v1.0/groups/delta']).toBe(2);
    // §9b: each stream's groups are read as up to 20 groups/delta sub-rounds in one $batch: the
    // 50-id stream as 20 sub-rounds, the 10-id one as 10, each done in one page (one member per
    // group). No members read, no property read; the plain groups/delta requests above are the
    // two streams' `$deltatoken=latest` links.
    const stats = mock.stats();
    expect(r.streams.map((s) => s.path)).toEqual(['list', 'list', 'list']);
    expect(stats.requests['POST /v1.0/$batch']).toBe(2);
    expect(stats.batchedRequests['GET /v1.0/groups/delta']).toBe(30);
    expect(stats.batchedRequests['GET /v1.0/groups']).toBeUndefined();
    expect(stats.batchedRequests['GET /v1.0/groups/{id}/members']).toBeUndefined();
    // The names come from the sub-rounds' pages and are mirrored.
    const names = await db.store.rows<{ id: string; display_name: string | null }>(db.store.db, sql`select id, display_name from entra_groups where not deleted order by id`);
    expect(names).toEqual(groups.map((id, i) => ({ id, display_name: `Team ${i}` })).sort((a, b) => a.id.localeCompare(b.id)));
  });

  it('a changed set of mapped groups starts new groups rounds from scratch and drops the old cursors', async () => {
    const groups = addSixtyGroups(mock);
    await applyDemo(db.store, mock, (t) => { t['mappings'] = [mapping('Sixty', groups)]; });
    await sync(db.store, mock);
    const before = await streams();
    // Drop the first group (in the sorted first chunk): that chunk's query changes, and so does the second's.
    const remaining = [...groups].sort().slice(1);
    await applyDemo(db.store, mock, (t) => { t['mappings'] = [mapping('Sixty', remaining)]; });
    const r = await sync(db.store, mock);
    const groupStreams = r.streams.filter((s) => s.stream.startsWith('groups:'));
    expect(groupStreams.every((s) => s.round === 'full')).toBe(true);
    expect(groupStreams.map((s) => s.items).sort((a, b) => a - b)).toEqual([9, 50]);
    const after = await streams();
    expect(after).toEqual([...groupStreams.map((s) => s.stream).sort(), 'users'].sort());
    expect(after.filter((s) => before.includes(s))).toEqual(['users']);
    const dropped = user(200 + groups.indexOf([...groups].sort()[0] ?? ''));
    expect(actionFor(r.actions, dropped)).toMatchObject({ reason: 'NO_MAPPING_MATCHED' });
    // Unchanged mappings next time: the stored links are used (one request per stream).
    const quiet = await sync(db.store, mock);
    expect(quiet.streams.every((s) => s.round === 'incremental')).toBe(true);
  });

  it('D3/§11.5: "nested": true counts members of member groups at any depth, and a membership cycle does not loop', async () => {
    const dir = mock.directory;
    const deep = gid(7);
    dir.addUser({ id: user(91), userPrincipalName: 'aud@contoso.example', mail: 'aud@contoso.example', displayName: 'Auditor', userType: 'Member', accountEnabled: true });
    dir.addUser({ id: user(92), userPrincipalName: 'deep@contoso.example', mail: 'deep@contoso.example', displayName: 'Deep', userType: 'Member', accountEnabled: true });
    dir.addMember(AUDITORS, user(91));
    dir.addGroup({ id: deep, displayName: 'Deep Auditors', groupTypes: [], mailEnabled: false, securityEnabled: true, members: [user(92)] });
    dir.addMember(AUDITORS, deep); // Finance → Auditors → Deep
    await applyDemo(db.store, mock, (t) => { t['mappings'] = [mapping('Finance', [FINANCE])]; });
    await sync(db.store, mock);
    const direct = [user(1), user(5), user(8)]; // user 12 is a guest
    expect(await activeByMapping('Finance')).toEqual(direct);

    await applyDemo(db.store, mock, (t) => { t['mappings'] = [mapping('Finance', [FINANCE], { nested: true })]; });
    let r = await sync(db.store, mock);
    expect(r.streams.map((s) => s.stream).sort()).toEqual(['groups:all', 'users']);
    expect(await activeByMapping('Finance')).toEqual([...direct, user(91), user(92)].sort());

    // Close a cycle: Deep → Finance. The run must end, and nobody changes.
    dir.addMember(deep, FINANCE);
    r = await sync(db.store, mock);
    expect(r.counts).toMatchObject({ created: 0, updated: 0, preserved: 0 });
    expect(await activeByMapping('Finance')).toEqual([...direct, user(91), user(92)].sort());

    // Leaving the nested group at depth 2 takes the user out of the mapping.
    dir.removeMember(AUDITORS, deep);
    r = await sync(db.store, mock);
    expect(actionFor(r.actions, user(92))).toMatchObject({ reason: 'NO_MAPPING_MATCHED' });
    expect(await activeByMapping('Finance')).toEqual([...direct, user(91)].sort());

    // Putting the group back is a new group-in-group edge: nothing about user 92 changed, so only
    // the nesting change can bring them back (everyone is decided again when nesting changes).
    dir.addMember(AUDITORS, deep);
    r = await sync(db.store, mock);
    expect(r.mode).toBe('incremental');
    expect(actionFor(r.actions, user(92))).toMatchObject({ action: 'reactivate' });
    expect(await activeByMapping('Finance')).toEqual([...direct, user(91), user(92)].sort());
  });
});
