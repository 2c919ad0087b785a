import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { importUsers, type ManualImport } from '../../src/admin/import-users.js';
import { listInsyncUsers } from '../../src/admin/list-insync-users.js';
import type { AdminGraphDeps } from '../../src/admin/open-tenant-graph.js';
import { searchDirectory } from '../../src/admin/search-directory.js';
import { adoptUser } from '../../src/admin/adopt-user.js';
import { moveAllPendingStorage, moveUserStorage } from '../../src/admin/move-user-storage.js';
import { preserveUser, reactivateUser } from '../../src/admin/set-user-preservation.js';
import type { MockGraph } from '../../src/mock-graph/start-mock-graph.js';
import type { TestStore } from '../support/test-store.js';
import { useStoreAndMock } from '../support/use-store-and-mock.js';
import { actionFor, applyDemo, FINANCE, SECRET, sync, user } from '../support/sync-harness.js';

const GB = 2 ** 30;
const ACTOR = 'cli:tester';
let db: TestStore;
let mock: MockGraph;
/** Every URL the Graph client sent to the mock, exactly as it went on the wire. */
let sent: string[];

useStoreAndMock(async (store, graph) => {
  db = store;
  mock = graph;
  sent = [];
});

function deps(): AdminGraphDeps {
  return {
    env: { CONTOSO_GRAPH_SECRET: SECRET },
    graphCa: mock.caPem,
    graph: {
      retry: { baseDelayMs: 1, maxDelayMs: 20 },
      fetch: (url, init) => {
        sent.push(url);
        return fetch(url, init);
      },
    },
  };
}
const users = async () => new Map((await listInsyncUsers(db.store, 'contoso')).map((u) => [u.email, u]));
const manual = (list: string[], more: Partial<ManualImport> = {}): ManualImport => ({ users: list, profile: 'Default', storage: 'EU-West', quota: '25GB', ...more });
async function logRows() {
  return db.store.rows<{ action: string; reason: string; email: string | null; run_id: number | null }>(
    db.store.db, sql`select action, reason, email, run_id from provisioning_log where run_id is null order by id`);
}

describe(`manual import (${process.env['TEST_DATABASE_URL'] ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('searches by name, mail and UPN with the advanced-query header, unicode included', async () => {
    await applyDemo(db.store, mock);
    const found = await searchDirectory(db.store, 'contoso', 'Renée', 10, deps());
    expect(found.users.map((u) => u.displayName)).toEqual(["Renée O'Brien ? * / \\ < >"]);
    expect((await searchDirectory(db.store, 'contoso', 'lee.gu', 10, deps())).users.map((u) => u.id)).toEqual([user(9)]);
    const adele = await searchDirectory(db.store, 'contoso', 'adele', 10, deps());
    expect(adele.users[0]).toEqual({
      id: user(1), displayName: 'Adele Vance', userPrincipalName: 'adele.vance@contoso.example', mail: 'adele.vance@contoso.example',
      userType: 'Member', accountEnabled: true,
    });
    expect(adele.count).toBe(1);
  });

  it.each([
    'Ann" OR "userType:Guest',
    "Adele&$filter=userType eq 'Guest'",
    'x) or (1 eq 1',
    'Tom & Jerry $top=1',
  ])('search text %j reaches the mock as text inside $search, changing no other parameter', async (text) => {
    await applyDemo(db.store, mock);
    const result = await searchDirectory(db.store, 'contoso', text, 10, deps());
    const searches = sent.filter((u) => new URL(u).pathname === '/v1.0/users');
    expect(searches).toHaveLength(1);
    const query = new URL(searches[0] ?? '').searchParams;
    expect([...query.keys()].sort()).toEqual(['$count', '$search', '$select', '$top']);
    expect(query.get('$top')).toBe('10');
    const quoted = text.replaceAll('"', '\\"');
    expect(query.get('$search')).toBe(`"displayName:${quoted}" OR "mail:${quoted}" OR "userPrincipalName:${quoted}"`);
    // No guest comes back: the text did not become a filter.
    expect(result.users.filter((u) => u.userType === 'Guest' && !text.includes('"'))).toEqual([]);
  });

  it('imports members as manual users and refuses the rest with the engine\'s reasons, going on after each', async () => {
    await applyDemo(db.store, mock);
    const outcomes = await importUsers(db.store, 'contoso', manual([
      user(9), 'adele.vance@contoso.example', user(12), user(14), user(15), user(16), 'nobody@contoso.example', user(9),
    ]), ACTOR, deps());
    expect(outcomes.map((o) => [o.action, o.reason])).toEqual([
      ['create', 'MANUAL_IMPORT'], ['create', 'MANUAL_IMPORT'], ['skip', 'GUEST'], ['skip', 'USER_TYPE_MISSING'], ['skip', 'DISABLED'],
      ['skip', 'NO_EMAIL'], ['skip', 'NOT_FOUND'], ['skip', 'ALREADY_IMPORTED'],
    ]);
    const byEmail = await users();
    expect(byEmail.get('lee.gu@contoso.example')).toMatchObject({
      source: 'manual', status: 'active', entraObjectId: user(9), profile: 'Default', storage: 'EU-West', quotaBytes: 25 * GB, mapping: null,
    });
    expect(byEmail.size).toBe(2);
    expect((await logRows()).map((r) => [r.action, r.reason])).toEqual(outcomes.map((o) => [o.action, o.reason]));
    const [audit] = await db.store.rows<{ n: number }>(db.store.db, sql`select count(*)::int as n from audit_events where action = 'user.import' and actor = ${ACTOR}`);
    expect(audit?.n).toBe(2);
  });

  it('skips an email another inSync user holds, and one the sync already imported', async () => {
    await applyDemo(db.store, mock);
    await sync(db.store, mock);
    const already = await importUsers(db.store, 'contoso', manual([user(1)]), ACTOR, deps());
    expect(already[0]).toMatchObject({ action: 'skip', reason: 'ALREADY_IMPORTED' });
    // A second Entra user with Lee's mail: the email is taken.
    mock.directory.addUser({ id: 'b0000000-0000-4000-8000-000000000099', displayName: 'Lee Two', userPrincipalName: 'lee.two@contoso.example', mail: 'Lee.Gu@contoso.example', userType: 'Member', accountEnabled: true });
    const conflict = await importUsers(db.store, 'contoso', manual(['lee.two@contoso.example']), ACTOR, deps());
    expect(conflict[0]).toMatchObject({ action: 'skip', reason: 'EMAIL_CONFLICT' });
  });

  it('validates the assignment before any Graph call, and refuses a tenant that may not import', async () => {
    await applyDemo(db.store, mock);
    await expect(importUsers(db.store, 'contoso', manual([user(9)], { quota: 'lots' }), ACTOR, deps())).rejects.toMatchObject({ code: 'USAGE' });
    await expect(importUsers(db.store, 'contoso', manual([user(9)], { profile: 'Gold' }), ACTOR, deps())).rejects.toMatchObject({ code: 'USAGE' });
    expect(sent).toEqual([]);
    await applyDemo(db.store, mock, (t) => { t['encryption'] = 'none'; });
    await expect(importUsers(db.store, 'contoso', manual([user(9)]), ACTOR, deps())).rejects.toMatchObject({ code: 'ENCRYPTION_REQUIRED' });
    expect((await users()).size).toBe(0);
  });

  it('the sync keeps a manual user who matches no mapping, and preserves one disabled in Entra', async () => {
    await applyDemo(db.store, mock, (t) => {
      t['mappings'] = [{ name: 'Finance', groups: [FINANCE], profile: 'Finance', storage: 'US-East', quota: '100GB' }];
      // One preserve among four users is above the default 20%; the limit is not what this test is about.
      t['safety'] = { maxPreservePercent: 100 };
    });
    await importUsers(db.store, 'contoso', manual([user(9)]), ACTOR, deps());
    const first = await sync(db.store, mock);
    expect(actionFor(first.actions, user(9))).toMatchObject({ action: 'unchanged' });
    expect((await users()).get('lee.gu@contoso.example')).toMatchObject({ status: 'active', source: 'manual', quotaBytes: 25 * GB });
    mock.directory.disableUser(user(9));
    await sync(db.store, mock);
    expect((await users()).get('lee.gu@contoso.example')).toMatchObject({ status: 'preserved', preservedReason: 'DISABLED' });
  });
});

describe(`admin preserve and reactivate (${process.env['TEST_DATABASE_URL'] ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('an admin-preserved user stays preserved through syncs until an admin reactivates it', async () => {
    await applyDemo(db.store, mock);
    await sync(db.store, mock);
    const preserved = await preserveUser(db.store, 'contoso', 'LEE.GU@contoso.example', ACTOR);
    expect(preserved).toMatchObject({ outcome: 'changed', status: 'preserved', preservedBy: 'admin' });
    expect(await preserveUser(db.store, 'contoso', 'lee.gu@contoso.example', ACTOR)).toMatchObject({ outcome: 'unchanged' });
    // A change in Entra makes the sync look at Lee again; it must not reactivate.
    mock.directory.updateUser(user(9), { jobTitle: 'Lead' });
    const run = await sync(db.store, mock, { full: true });
    expect(actionFor(run.actions, user(9))).toMatchObject({ reason: 'ADMIN_PRESERVED' });
    expect((await users()).get('lee.gu@contoso.example')).toMatchObject({ status: 'preserved' });

    expect(await reactivateUser(db.store, 'contoso', 'lee.gu@contoso.example', ACTOR)).toMatchObject({ outcome: 'changed', status: 'active' });
    await sync(db.store, mock);
    expect((await users()).get('lee.gu@contoso.example')).toMatchObject({ status: 'active', preservedReason: null });
    const audit = await db.store.rows<{ action: string; before: { status: string } }>(db.store.db,
      sql`select action, before from audit_events where actor = ${ACTOR} order by id`);
    expect(audit.map((a) => [a.action, a.before.status])).toEqual([['user.preserve', 'active'], ['user.reactivate', 'preserved']]);
    await expect(preserveUser(db.store, 'contoso', 'nobody@contoso.example', ACTOR)).rejects.toMatchObject({ code: 'INSYNC_USER_NOT_FOUND' });
  });

  it('reactivating a user still disabled in Entra lets the next sync preserve it again', async () => {
    await applyDemo(db.store, mock);
    await sync(db.store, mock);
    mock.directory.disableUser(user(9));
    await sync(db.store, mock);
    expect((await users()).get('lee.gu@contoso.example')).toMatchObject({ status: 'preserved', preservedReason: 'DISABLED' });
    await reactivateUser(db.store, 'contoso', 'lee.gu@contoso.example', ACTOR);
    const run = await sync(db.store, mock);
    expect(actionFor(run.actions, user(9))).toMatchObject({ action: 'preserve', reason: 'DISABLED' });
  });
});

describe(`admin adopt (${process.env['TEST_DATABASE_URL'] ? 'PostgreSQL' : 'PGlite'})`, () => {
  /** An inSync user the sync did not make: no Entra object id, as if created by hand in inSync. */
  async function madeByHand(email: string): Promise<void> {
    await db.store.db.execute(sql`
      insert into insync_users (tenant_id, email, display_name, profile_id, storage_id, source)
      select t.id, ${email}, 'Made by hand', p.id, s.id, 'manual'
      from tenants t join profiles p on p.tenant_id = t.id join storages s on s.tenant_id = t.id
      where t.name = 'contoso' limit 1`);
  }
  const refusal = (p: Promise<unknown>) => p.then(() => 'adopted', (e: { code?: string; message?: string }) => `${e.code}: ${e.message}`);

  it('links the Entra user with that email, audited; the next sync manages it instead of skipping it', async () => {
    await applyDemo(db.store, mock);
    await madeByHand('Lee.Gu@contoso.example');
    const before = await sync(db.store, mock);
    expect(actionFor(before.actions, user(9))).toMatchObject({ action: 'skip', reason: 'EXISTS_UNMANAGED' });

    expect(await adoptUser(db.store, 'contoso', 'lee.gu@contoso.example', ACTOR)).toEqual({ email: 'Lee.Gu@contoso.example', entraObjectId: user(9), outcome: 'adopted' });
    expect(await adoptUser(db.store, 'contoso', 'LEE.GU@contoso.example', ACTOR)).toMatchObject({ outcome: 'unchanged' });
    const after = await sync(db.store, mock); // incremental: Lee is decided because adopting flagged him
    expect(actionFor(after.actions, user(9))).toMatchObject({ action: 'update' });
    expect((await users()).get('lee.gu@contoso.example')).toMatchObject({ entraObjectId: user(9), source: 'auto', status: 'active', displayName: 'Lee Gu' });
    const audit = await db.store.rows<{ action: string; after: { entraObjectId: string } }>(db.store.db,
      sql`select action, after from audit_events where actor = ${ACTOR} order by id`);
    expect(audit).toEqual([{ action: 'user.adopt', after: { entraObjectId: user(9), source: 'auto' } }]);
    const log = await db.store.rows<{ action: string; reason: string }>(db.store.db,
      sql`select action, reason from provisioning_log where reason = 'ADMIN_ADOPTED'`);
    expect(log).toEqual([{ action: 'update', reason: 'ADMIN_ADOPTED' }]);
  });

  it('refuses, naming why, what it cannot link for sure, and changes nothing', async () => {
    await applyDemo(db.store, mock);
    await madeByHand('nobody.in.entra@contoso.example');
    await madeByHand('lee.gu@contoso.example');
    await sync(db.store, mock);
    expect(await refusal(adoptUser(db.store, 'contoso', 'nobody.in.entra@contoso.example', ACTOR)))
      .toMatch(/^ADOPT_REFUSED: no present Entra user of tenant "contoso" has mail "nobody.in.entra@contoso.example" in the last sync/);
    expect(await refusal(adoptUser(db.store, 'contoso', 'lee.gu@contoso.example', ACTOR, { objectId: user(8) })))
      .toMatch(/^ADOPT_REFUSED: Entra object .* is not a present user/);
    expect(await refusal(adoptUser(db.store, 'contoso', 'lee.gu@contoso.example', ACTOR, { objectId: 'lee' }))).toMatch(/^USAGE: --object-id must be a GUID/);
    expect(await refusal(adoptUser(db.store, 'contoso', 'ghost@contoso.example', ACTOR))).toMatch(/^INSYNC_USER_NOT_FOUND/);
    // A user the sync already links to another Entra object is not re-pointed.
    const [linked] = await db.store.rows<{ email: string; id: string }>(db.store.db,
      sql`select email, entra_object_id::text as id from insync_users where entra_object_id is not null order by email limit 1`);
    await db.store.db.execute(sql`update entra_users set mail = ${'lee.gu@contoso.example'} where id = ${linked?.id}::uuid`);
    expect(await refusal(adoptUser(db.store, 'contoso', 'lee.gu@contoso.example', ACTOR)))
      .toMatch(/^ADOPT_REFUSED: 2 Entra users of tenant "contoso" have mail "lee.gu@contoso.example"/);
    expect(await refusal(adoptUser(db.store, 'contoso', 'lee.gu@contoso.example', ACTOR, { objectId: linked?.id ?? '' })))
      .toBe(`ADOPT_REFUSED: Entra object ${linked?.id} is already linked to inSync user "${linked?.email}"`);
    expect(await adoptUser(db.store, 'contoso', linked?.email ?? '', ACTOR)).toEqual({ email: linked?.email, entraObjectId: linked?.id, outcome: 'unchanged' });
    expect(await refusal(adoptUser(db.store, 'contoso', linked?.email ?? '', ACTOR, { objectId: user(9) })))
      .toBe(`ADOPT_REFUSED: inSync user "${linked?.email}" is already linked to Entra object ${linked?.id}; it is not re-pointed`);
    const unlinked = await db.store.rows(db.store.db, sql`select email from insync_users where entra_object_id is null order by email`);
    expect(unlinked).toEqual([{ email: 'lee.gu@contoso.example' }, { email: 'nobody.in.entra@contoso.example' }]);
    expect(await db.store.rows(db.store.db, sql`select * from audit_events where action = 'user.adopt'`)).toEqual([]);
  });
});

describe(`admin storage move (${process.env['TEST_DATABASE_URL'] ? 'PostgreSQL' : 'PGlite'})`, () => {
  const DIEGO = 'diego.siciliani@contoso.example';

  it('moves a user whose mapping changed to its storage, audited, and later syncs leave it there', async () => {
    await applyDemo(db.store, mock);
    await sync(db.store, mock);
    mock.directory.removeMember(FINANCE, user(5)); // Diego leaves Finance: Everyone now, whose storage differs
    const pending = await sync(db.store, mock);
    expect(actionFor(pending.actions, user(5))).toMatchObject({ action: 'update', reason: 'STORAGE_CHANGE_PENDING' });
    expect((await users()).get(DIEGO)).toMatchObject({ mapping: 'Everyone', storage: 'US-East' });

    expect(await moveUserStorage(db.store, 'contoso', DIEGO.toUpperCase(), ACTOR)).toEqual({ email: DIEGO, from: 'US-East', to: 'EU-West', outcome: 'moved' });
    expect(await moveUserStorage(db.store, 'contoso', DIEGO, ACTOR)).toMatchObject({ outcome: 'unchanged' });
    expect((await users()).get(DIEGO)).toMatchObject({ storage: 'EU-West' });
    const later = await sync(db.store, mock, { full: true }); // decides everyone again
    expect(actionFor(later.actions, user(5))).toMatchObject({ action: 'unchanged', reason: 'MATCHED' });
    expect((await users()).get(DIEGO)).toMatchObject({ storage: 'EU-West' });

    // --to puts the user on any storage of the catalogue, and the sync leaves that too.
    expect(await moveUserStorage(db.store, 'contoso', DIEGO, ACTOR, { to: 'US-East' })).toMatchObject({ from: 'EU-West', to: 'US-East', outcome: 'moved' });
    await sync(db.store, mock, { full: true });
    expect((await users()).get(DIEGO)).toMatchObject({ storage: 'US-East' });
    const audit = await db.store.rows<{ before: { storage: string }; after: { storage: string } }>(db.store.db,
      sql`select before, after from audit_events where action = 'user.move-storage' order by id`);
    expect(audit).toEqual([{ before: { storage: 'US-East' }, after: { storage: 'EU-West' } }, { before: { storage: 'EU-West' }, after: { storage: 'US-East' } }]);
    const log = await db.store.rows<{ reason: string }>(db.store.db, sql`select reason from provisioning_log where reason = 'ADMIN_STORAGE_MOVED'`);
    expect(log).toHaveLength(2);
  });

  it('--all-pending moves every user whose mapping names another storage, and only them', async () => {
    await applyDemo(db.store, mock);
    await sync(db.store, mock);
    mock.directory.removeMember(FINANCE, user(5));
    await sync(db.store, mock);
    const before = await users();
    const moves = await moveAllPendingStorage(db.store, 'contoso', ACTOR);
    expect(moves).toEqual([{ email: DIEGO, from: 'US-East', to: 'EU-West', outcome: 'moved' }]);
    const after = await users();
    for (const [email, u] of after) if (email !== DIEGO) expect(u).toEqual(before.get(email));
    expect(after.get(DIEGO)).toMatchObject({ storage: 'EU-West' });
    expect(await moveAllPendingStorage(db.store, 'contoso', ACTOR)).toEqual([]);
  });

  it('refuses a storage outside the catalogue, and a user with no mapping unless told where', async () => {
    await applyDemo(db.store, mock);
    await importUsers(db.store, 'contoso', manual(['lee.gu@contoso.example'], { storage: 'US-East' }), ACTOR, deps());
    await expect(moveUserStorage(db.store, 'contoso', 'lee.gu@contoso.example', ACTOR)).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/has no mapping to take a storage from.*--to/) });
    await expect(moveUserStorage(db.store, 'contoso', 'lee.gu@contoso.example', ACTOR, { to: 'Mars' })).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/storage "Mars" is not in the tenant's catalogue/) });
    expect((await users()).get('lee.gu@contoso.example')).toMatchObject({ storage: 'US-East' });
    expect(await moveUserStorage(db.store, 'contoso', 'lee.gu@contoso.example', ACTOR, { to: 'EU-West' })).toMatchObject({ outcome: 'moved', to: 'EU-West' });
  });
});
