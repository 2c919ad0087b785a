import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { addMapping } from '../../src/admin/add-mapping.js';
import { editMapping } from '../../src/admin/edit-mapping.js';
import { listInsyncUsers } from '../../src/admin/list-insync-users.js';
import { listMappings } from '../../src/admin/list-mappings.js';
import { moveMapping } from '../../src/admin/move-mapping.js';
import { previewMappingRemoval, removeMapping } from '../../src/admin/remove-mapping.js';
import type { MockGraph } from '../../src/mock-graph/start-mock-graph.js';
import type { TestStore } from '../support/test-store.js';
import { useStoreAndMock } from '../support/use-store-and-mock.js';
import { applyDemo, FINANCE, sync } from '../support/sync-harness.js';

const GB = 2 ** 30;
const ACTOR = 'cli:tester';
let db: TestStore;
let mock: MockGraph;

useStoreAndMock(async (store, graph) => {
  db = store;
  mock = graph;
  await applyDemo(db.store, mock);
});

async function version(): Promise<number> {
  const [row] = await db.store.rows<{ v: number }>(db.store.db, sql`select mappings_version as v from tenants where name = 'contoso'`);
  return row?.v ?? -1;
}
async function audits(action: string) {
  return db.store.rows<{ actor: string; target: string; before: unknown; after: unknown }>(
    db.store.db, sql`select actor, target, before, after from audit_events where action = ${action} and actor = ${ACTOR} order by id`);
}
const order = async () => (await listMappings(db.store, 'contoso')).map((m) => `${m.priority}:${m.name}`);
const userOf = async (email: string) => (await listInsyncUsers(db.store, 'contoso')).find((u) => u.email === email);

describe(`mapping administration (${process.env['TEST_DATABASE_URL'] ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('lists mappings in priority order in the documented shape', async () => {
    expect(await listMappings(db.store, 'contoso')).toEqual([
      { name: 'Finance', priority: 1, kind: 'group', selector: { kind: 'group', groupIds: [FINANCE], nested: false }, profile: 'Finance', storage: 'US-East', quotaBytes: 100 * GB },
      { name: 'Seattle', priority: 2, kind: 'attribute', selector: { kind: 'attribute', clauses: [{ name: 'city', op: 'equals', values: ['Seattle'], ignoreCase: false }] }, profile: 'Default', storage: 'US-East', quotaBytes: 50 * GB },
      { name: 'Everyone', priority: 3, kind: 'all-users', selector: { kind: 'all-users' }, profile: 'Default', storage: 'EU-West', quotaBytes: null },
    ]);
  });

  it('adds at the bottom by default, or at a priority with the others renumbered; audited and versioned', async () => {
    const v0 = await version();
    await addMapping(db.store, 'contoso', { name: 'Paris', selector: { kind: 'attribute', clauses: [{ name: 'city', op: 'equals', values: ['Paris'], ignoreCase: false }] }, profile: 'Finance', storage: 'EU-West', quota: '20GB' }, ACTOR);
    expect(await order()).toEqual(['1:Finance', '2:Seattle', '3:Everyone', '4:Paris']);
    await addMapping(db.store, 'contoso', { name: 'Top', selector: { kind: 'group', groupIds: [FINANCE], nested: true }, profile: 'Default', storage: 'US-East', quota: 'unlimited', priority: 1 }, ACTOR);
    expect(await order()).toEqual(['1:Top', '2:Finance', '3:Seattle', '4:Everyone', '5:Paris']);
    expect(await version()).toBe(v0 + 2);
    const created = await audits('mapping.create');
    expect(created.map((a) => [a.actor, a.target])).toEqual([[ACTOR, 'Paris'], [ACTOR, 'Top']]);
    expect(created[0]?.after).toMatchObject({ name: 'Paris', priority: 4, kind: 'attribute', profile: 'Finance', storage: 'EU-West', quotaBytes: 20 * GB });
  });

  it('refuses bad input with the config rules and changes nothing', async () => {
    const base = { name: 'X', profile: 'Default', storage: 'US-East', quota: '1GB' } as const;
    const cases: [Parameters<typeof addMapping>[2], string][] = [
      [{ ...base, selector: { kind: 'group', groupIds: ['not-a-guid'], nested: false } }, 'GUID'],
      [{ ...base, selector: { kind: 'attribute', clauses: [{ name: 'skills', op: 'equals', values: ['x'], ignoreCase: false }] } }, 'skills'],
      [{ ...base, selector: { kind: 'all-users' }, quota: '0' }, 'zero'],
      [{ ...base, selector: { kind: 'all-users' }, profile: 'Gold' }, 'profile "Gold"'],
      [{ ...base, selector: { kind: 'all-users' }, storage: 'Mars' }, 'storage "Mars"'],
      [{ ...base, selector: { kind: 'all-users' }, priority: 5 }, 'between 1 and 4'],
      [{ ...base, name: 'Finance', selector: { kind: 'all-users' } }, 'already has'],
    ];
    const v0 = await version();
    for (const [input, message] of cases) {
      await expect(addMapping(db.store, 'contoso', input, ACTOR)).rejects.toThrow(message);
    }
    expect(await order()).toEqual(['1:Finance', '2:Seattle', '3:Everyone']);
    expect(await version()).toBe(v0);
    expect(await audits('mapping.create')).toEqual([]);
  });

  it('moving a mapping changes which one wins on the next sync', async () => {
    await sync(db.store, mock);
    // Adele is in Finance and in Seattle: Finance (priority 1) wins.
    expect(await userOf('adele.vance@contoso.example')).toMatchObject({ mapping: 'Finance', profile: 'Finance', quotaBytes: 100 * GB });
    const v0 = await version();
    await moveMapping(db.store, 'contoso', 'Seattle', 1, ACTOR);
    expect(await order()).toEqual(['1:Seattle', '2:Finance', '3:Everyone']);
    expect(await version()).toBe(v0 + 1);
    const [moved] = await audits('mapping.move');
    expect(moved?.after).toEqual([{ name: 'Seattle', priority: 1 }, { name: 'Finance', priority: 2 }, { name: 'Everyone', priority: 3 }]);

    const result = await sync(db.store, mock);
    expect(result.counts.updated).toBeGreaterThan(0);
    expect(await userOf('adele.vance@contoso.example')).toMatchObject({ mapping: 'Seattle', profile: 'Default', quotaBytes: 50 * GB });
    // Someone in Finance but not in Seattle keeps Finance.
    expect(await userOf('diego.siciliani@contoso.example')).toMatchObject({ mapping: 'Finance' });
  });

  it('refuses a move outside 1..n', async () => {
    await expect(moveMapping(db.store, 'contoso', 'Seattle', 4, ACTOR)).rejects.toMatchObject({ code: 'USAGE' });
    await expect(moveMapping(db.store, 'contoso', 'Nope', 1, ACTOR)).rejects.toMatchObject({ code: 'MAPPING_NOT_FOUND' });
  });

  it('edits settings, name and criteria; the next sync applies them', async () => {
    await sync(db.store, mock);
    await editMapping(db.store, 'contoso', 'Seattle', { quota: '75GB', rename: 'Pacific NW', selector: { kind: 'attribute', clauses: [{ name: 'city', op: 'equals', values: ['Seattle', 'Redmond'], ignoreCase: false }] } }, ACTOR);
    const [edited] = await audits('mapping.update');
    expect(edited).toMatchObject({ target: 'Seattle', before: { name: 'Seattle', quotaBytes: 50 * GB }, after: { name: 'Pacific NW', quotaBytes: 75 * GB } });
    await sync(db.store, mock);
    expect(await userOf('alex.wilber@contoso.example')).toMatchObject({ mapping: 'Pacific NW', quotaBytes: 75 * GB });
    // Lynne lives in Redmond: the new criteria pick her up.
    expect(await userOf('lynne.robbins@contoso.example')).toMatchObject({ mapping: 'Pacific NW' });
    await expect(editMapping(db.store, 'contoso', 'Finance', {}, ACTOR)).rejects.toMatchObject({ code: 'USAGE' });
    await expect(editMapping(db.store, 'contoso', 'Finance', { rename: 'Everyone' }, ACTOR)).rejects.toMatchObject({ code: 'MAPPING_EXISTS' });
  });

  it('previews a removal with its users, then removes and renumbers', async () => {
    await sync(db.store, mock);
    const preview = await previewMappingRemoval(db.store, 'contoso', 'Finance');
    expect(preview.users).toEqual({ active: 3, preserved: 0, total: 3 });
    expect(await order()).toEqual(['1:Finance', '2:Seattle', '3:Everyone']);
    const v0 = await version();
    const usersOf = async (mapping: string) => db.store.rows<{ mapping_id: number | null }>(db.store.db, sql`
      select u.mapping_id from insync_users u where u.mapping_name = ${mapping}`);
    expect((await usersOf('Finance')).every((u) => u.mapping_id !== null)).toBe(true);
    await removeMapping(db.store, 'contoso', 'Finance', ACTOR);
    expect(await order()).toEqual(['1:Seattle', '2:Everyone']);
    // Detached from the deleted mapping, as ON DELETE SET NULL did (the column has no foreign key).
    expect(await usersOf('Finance')).toEqual([{ mapping_id: null }, { mapping_id: null }, { mapping_id: null }]);
    expect(await version()).toBe(v0 + 1);
    expect((await audits('mapping.delete'))[0]).toMatchObject({ target: 'Finance', after: { usersAffected: { total: 3 } } });
    await sync(db.store, mock);
    // Its users are decided again: Adele falls to Seattle, Diego to Everyone.
    expect(await userOf('adele.vance@contoso.example')).toMatchObject({ mapping: 'Seattle', status: 'active' });
    expect(await userOf('diego.siciliani@contoso.example')).toMatchObject({ mapping: 'Everyone', status: 'active' });
  });
});
