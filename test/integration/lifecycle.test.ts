import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { listInsyncUsers } from '../../src/admin/list-insync-users.js';
import type { MockGraph } from '../../src/mock-graph/start-mock-graph.js';
import type { MockUserSeed } from '../../src/mock-graph/directory-seed.js';
import { actionFor, applyDemo, FINANCE, sync, user } from '../support/sync-harness.js';
import type { TestStore } from '../support/test-store.js';
import { useStoreAndMock } from '../support/use-store-and-mock.js';

/**
 * Issue 4's lifecycle table, one row per test, through the mock. The tenant maps Finance (group)
 * and Seattle (city) only, without a catch-all, so that leaving scope is observable.
 */
let db: TestStore;
let mock: MockGraph;
useStoreAndMock(async (store, graph) => {
  db = store;
  mock = graph;
  await applyDemo(db.store, mock, (t) => {
    t['mappings'] = (t['mappings'] as { name: string }[]).filter((m) => m.name !== 'Everyone');
    t['safety'] = { maxPreserve: 100, maxPreservePercent: 100 };
  });
  await sync(db.store, mock);
});

const ADELE = user(1); // Finance (group) and Seattle (city)
const ALEX = user(2); // Seattle only
const DIEGO = user(5); // Finance only
const find = async (id: string) => (await listInsyncUsers(db.store, 'contoso')).find((u) => u.entraObjectId === id);

describe('lifecycle (issue 4)', () => {
  it('a new member of a mapped group, and a user whose attribute starts matching, are created', async () => {
    mock.directory.addMember(FINANCE, user(4)); // Lynne
    mock.directory.updateUser(user(7), { city: 'Seattle' }); // Johanna
    const r = await sync(db.store, mock);
    expect(actionFor(r.actions, user(4))).toMatchObject({ action: 'create', fields: { mappingName: 'Finance' } });
    expect(actionFor(r.actions, user(7))).toMatchObject({ action: 'create', fields: { mappingName: 'Seattle' } });
  });

  it('a changed mail moves the email of the same inSync user, without a second user', async () => {
    const before = await find(DIEGO);
    mock.directory.updateUser(DIEGO, { mail: 'diego.s@contoso.example', displayName: 'Diego S.' });
    const r = await sync(db.store, mock);
    expect(actionFor(r.actions, DIEGO)).toMatchObject({ action: 'update', reason: 'DETAILS_CHANGED' });
    const after = await find(DIEGO);
    expect(after).toMatchObject({ email: 'diego.s@contoso.example', displayName: 'Diego S.', mapping: before?.mapping });
    expect((await listInsyncUsers(db.store, 'contoso')).filter((u) => u.email.startsWith('diego'))).toHaveLength(1);
  });

  it('an extension attribute change that makes a higher-priority mapping win re-maps the user', async () => {
    await applyDemo(db.store, mock, (t) => {
      const gold = { name: 'Gold', attribute: { name: 'onPremisesExtensionAttributes.extensionAttribute1', equals: 'gold' }, profile: 'Finance', storage: 'US-East', quota: '1TB' };
      t['mappings'] = [gold, ...(t['mappings'] as { name: string }[]).filter((m) => m.name !== 'Everyone')];
      t['safety'] = { maxPreserve: 100, maxPreservePercent: 100 };
    });
    await sync(db.store, mock); // re-decides everyone under the new mappings; nobody is gold yet
    mock.directory.updateUser(ALEX, { onPremisesExtensionAttributes: { extensionAttribute1: 'gold' } });
    const r = await sync(db.store, mock);
    expect(actionFor(r.actions, ALEX)).toMatchObject({ action: 'update', reason: 'MAPPING_CHANGED' });
    expect(await find(ALEX)).toMatchObject({ mapping: 'Gold', profile: 'Finance', quotaBytes: 2 ** 40, storage: 'US-East' });
  });

  it.each([
    ['removed from the group', () => mock.directory.removeMember(FINANCE, DIEGO), DIEGO, 'NO_MAPPING_MATCHED'],
    ['the attribute no longer matches', () => mock.directory.updateUser(ALEX, { city: 'Portland' }), ALEX, 'NO_MAPPING_MATCHED'],
    ['disabled', () => mock.directory.disableUser(DIEGO), DIEGO, 'DISABLED'],
    ['soft-deleted', () => mock.directory.softDeleteUser(DIEGO), DIEGO, 'SOFT_DELETED'],
    ['hard-deleted', () => mock.directory.hardDeleteUser(DIEGO), DIEGO, 'DELETED'],
    ['turned into a guest', () => mock.directory.updateUser(DIEGO, { userType: 'Guest' }), DIEGO, 'GUEST'],
  ] as const)('%s: preserved with the reason, never deleted', async (_label, change, id, reason) => {
    change();
    const r = await sync(db.store, mock);
    expect(actionFor(r.actions, id)).toMatchObject({ action: 'preserve', reason });
    expect(await find(id)).toMatchObject({ status: 'preserved', preservedReason: reason });
  });

  it.each([
    ['restored', () => mock.directory.softDeleteUser(DIEGO), () => mock.directory.restoreUser(DIEGO)],
    ['re-enabled', () => mock.directory.disableUser(DIEGO), () => mock.directory.updateUser(DIEGO, { accountEnabled: true })],
    ['added back', () => mock.directory.removeMember(FINANCE, DIEGO), () => mock.directory.addMember(FINANCE, DIEGO)],
  ] as const)('%s: reactivated', async (_label, leave, back) => {
    leave();
    await sync(db.store, mock);
    back();
    const r = await sync(db.store, mock);
    expect(actionFor(r.actions, DIEGO)).toMatchObject({ action: 'reactivate', reason: 'BACK_IN_SCOPE' });
    expect(await find(DIEGO)).toMatchObject({ status: 'active', mapping: 'Finance' });
  });

  it('a full round stores attributes without nulls; a later null clears the stored value (I16, D4)', async () => {
    const attrs = async (id: string) =>
      (await db.store.rows<{ a: Record<string, unknown> }>(db.store.db, sql`select attributes as a from entra_users where id = ${id}`))[0]?.a;
    const nulls = await db.store.rows<{ n: number }>(db.store.db, sql`
      select count(*)::int as n from entra_users, jsonb_each(attributes) e where e.value = 'null'::jsonb`);
    expect(nulls[0]?.n).toBe(0);
    expect(await attrs(ALEX)).toMatchObject({ city: 'Seattle' });
    mock.directory.updateUser(ALEX, { city: null });
    const r = await sync(db.store, mock);
    expect(await attrs(ALEX)).not.toHaveProperty('city');
    expect(actionFor(r.actions, ALEX)).toMatchObject({ action: 'preserve', reason: 'NO_MAPPING_MATCHED' });
  });

  it('two Entra users with one email: the first keeps it, the second is skipped with EMAIL_CONFLICT, the run goes on', async () => {
    mock.directory.addUser({ id: user(95), userPrincipalName: 'adele2@contoso.example', mail: 'ADELE.VANCE@contoso.example', displayName: 'Adele Two', userType: 'Member', accountEnabled: true, city: 'Seattle' });
    mock.directory.addMember(FINANCE, user(4));
    const r = await sync(db.store, mock);
    expect(actionFor(r.actions, user(95))).toMatchObject({ action: 'skip', reason: 'EMAIL_CONFLICT' });
    expect(actionFor(r.actions, user(4))).toMatchObject({ action: 'create' });
    expect(await find(ADELE)).toMatchObject({ status: 'active' });
  });

  it('a user record that fails validation is skipped with its reason and never aborts the run', async () => {
    // accountEnabled must be a boolean; Graph never sends this, but a broken proxy might.
    mock.directory.addUser({ id: user(96), userPrincipalName: 'odd@contoso.example', mail: 'odd@contoso.example', displayName: 'Odd', userType: 'Member', accountEnabled: 'yes' } as unknown as MockUserSeed);
    mock.directory.addMember(FINANCE, user(4));
    const r = await sync(db.store, mock);
    expect(actionFor(r.actions, user(96))).toMatchObject({ action: 'skip', reason: 'BAD_RECORD' });
    expect(actionFor(r.actions, user(4))).toMatchObject({ action: 'create' });
  });
});
