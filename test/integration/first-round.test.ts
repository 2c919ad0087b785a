import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { listInsyncUsers } from '../../src/admin/list-insync-users.js';
import type { MockGraph } from '../../src/mock-graph/start-mock-graph.js';
import { USERS_WRITE_BATCH } from '../../src/sync/pull-streams.js';
import type { SyncProgress } from '../../src/sync/sync-progress.js';
import { REFUSED, whileRefusingInsert } from '../support/refuse-insert.js';
import { applyDemo, FINANCE, startFixtureMock, sync, user } from '../support/sync-harness.js';
import type { TestStore } from '../support/test-store.js';
import { useTestStore } from '../support/use-store-and-mock.js';

let db: TestStore;
useTestStore((store) => {
  db = store;
});

/** Directory changes made while the first round is being read. */
function changeDuringRound(mock: MockGraph): (p: SyncProgress) => void {
  let done = false;
  return (p) => {
    if (done || p.kind !== 'page' || p.stream !== 'users') return;
    done = true;
    mock.directory.addUser({
      id: user(91), userPrincipalName: 'late.joiner@contoso.example', mail: 'late.joiner@contoso.example',
      displayName: 'Late Joiner', userType: 'Member', accountEnabled: true,
    });
    mock.directory.addMember(FINANCE, user(91));
    mock.directory.disableUser(user(9));
    mock.directory.removeMember(FINANCE, user(5));
    mock.directory.updateUser(user(2), { city: 'Portland', displayName: 'Alex W.' });
  };
}

async function importWith(firstRound: 'list' | 'delta') {
  await db.reset();
  const mock = await startFixtureMock();
  try {
    await applyDemo(db.store, mock);
    const readMirror = () => db.store.rows<{ id: string; attributes: Record<string, unknown> | null }>(db.store.db, sql`
      select id, attributes from entra_users order by id`);
    const first = await sync(db.store, mock, {}, { firstRound, onProgress: changeDuringRound(mock) });
    const mirroredFirst = await readMirror();
    const second = await sync(db.store, mock, {}, { firstRound });
    return { first, second, users: await listInsyncUsers(db.store, 'contoso'), mirroredFirst, mirrored: await readMirror(), stats: mock.stats() };
  } finally {
    await mock.close();
  }
}

describe('the fast first round (graph-semantics §9b)', () => {
  it('lists users 999 a page and reads groups in batched delta sub-rounds, instead of walking delta pages', async () => {
    const list = await importWith('list');
    expect(list.first.streams.map((s) => s.path)).toEqual(['list', 'list']);
    expect(list.stats.requests['GET /v1.0/users']).toBe(1);
    expect(list.stats.requests['POST /v1.0/$batch']).toBe(1);
    // One mapped group: one sub-round, whose one page carries its properties and members. The plain
    // groups/delta requests are the first run's `$deltatoken=latest` link and the second run's round.
    expect(list.stats.batchedRequests).toEqual({ 'GET /v1.0/groups/delta': 1 });
    expect(list.stats.requests['GET /v1.0/groups/delta']).toBe(2);
    const finance = await db.store.rows<{ display_name: string | null; deleted: boolean }>(db.store.db, sql`select display_name, deleted from entra_groups where id = ${FINANCE}`);
    expect(finance).toEqual([{ display_name: 'Finance', deleted: false }]);
  });

  it('ends with the same inSync users as a plain delta round, although the directory changed while it was read', async () => {
    const list = await importWith('list');
    const delta = await importWith('delta');
    expect(delta.first.streams.map((s) => s.path)).toEqual(['delta', 'delta']);
    // Storage is left out on purpose: it never moves by itself (STORAGE_CHANGE_PENDING), so it
    // records whether a user was first created before or after a change, which depends on when
    // each stream happened to read. Everything the directory decides must agree.
    const withoutStorage = (users: typeof list.users) => users.map(({ storage: _storage, ...rest }) => rest);
    expect(withoutStorage(list.users)).toEqual(withoutStorage(delta.users));
    // The mirror too. A list page names every selected property, null where unset, and a delta
    // page leaves unset ones out (D4, I16): a full round stores neither kind of "not set".
    expect(list.mirrored).toEqual(delta.mirrored);
    const nulls = (rows: typeof list.mirrored) => rows.flatMap((u) => Object.entries(u.attributes ?? {}).filter(([, v]) => v === null));
    expect(nulls(list.mirroredFirst)).toEqual([]);
    expect(nulls(delta.mirroredFirst)).toEqual([]);
    expect(list.mirroredFirst.length).toBeGreaterThan(0);
    // The changes made during the read reached inSync by the second run at the latest.
    const byId = new Map(list.users.map((u) => [u.entraObjectId, u]));
    expect(byId.get(user(91))).toMatchObject({ mapping: 'Finance', status: 'active' });
    expect(byId.get(user(9))).toMatchObject({ status: 'preserved', preservedReason: 'DISABLED' });
    expect(byId.get(user(5))).toMatchObject({ mapping: 'Everyone' });
    expect(byId.get(user(2))).toMatchObject({ displayName: 'Alex W.', mapping: 'Everyone' });
  });
});

describe('a no-change incremental sync (issue 8)', () => {
  it('writes no inSync row and makes one request per stored delta link', async () => {
    const mock = await startFixtureMock();
    try {
      await applyDemo(db.store, mock);
      await sync(db.store, mock);
      const stamp = async () =>
        db.store.rows<{ n: number; latest: string | null; logs: number }>(db.store.db, sql`
          select count(*)::int as n, max(updated_at)::text as latest, (select count(*)::int from provisioning_log) as logs from insync_users`);
      const before = await stamp();
      const requestsBefore = mock.stats().requests;
      const r = await sync(db.store, mock);
      const cursors = await db.store.rows<{ n: number }>(db.store.db, sql`select count(*)::int as n from delta_cursors`);
      expect(r.graphRequests).toBe(cursors[0]?.n);
      expect(await stamp()).toEqual(before);
      const after = mock.stats().requests;
      expect((after['GET /v1.0/users/delta'] ?? 0) - (requestsBefore['GET /v1.0/users/delta'] ?? 0)).toBe(1);
      expect((after['GET /v1.0/groups/delta'] ?? 0) - (requestsBefore['GET /v1.0/groups/delta'] ?? 0)).toBe(1);
    } finally {
      await mock.close();
    }
  });
});

describe('a group with more members than one page (D3, §9b)', () => {
  it('is read through batched sub-round pages, without falling back to delta', async () => {
    const mock = await startFixtureMock();
    try {
      for (let i = 0; i < 1200; i += 1) {
        const id = `c0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        mock.directory.addUser({ id, userPrincipalName: `bulk${i}@contoso.example`, mail: `bulk${i}@contoso.example`, displayName: `Bulk ${i}`, userType: 'Member', accountEnabled: true });
        mock.directory.addMember(FINANCE, id);
      }
      await applyDemo(db.store, mock);
      const r = await sync(db.store, mock);
      expect(r.streams.map((s) => s.path)).toEqual(['list', 'list']);
      // 1,205 members over slices of 500 (D3): three pages of the one sub-round, one batch each.
      expect(mock.stats().batchedRequests['GET /v1.0/groups/delta']).toBe(3);
      expect(mock.stats().requests['POST /v1.0/$batch']).toBe(3);
      expect((await listInsyncUsers(db.store, 'contoso')).filter((u) => u.mapping === 'Finance')).toHaveLength(1203);
    } finally {
      await mock.close();
    }
  });
});

describe('a garbled item inside a $batch answer (§9b)', () => {
  it.each([
    [1, 'list'],
    [Infinity, 'delta'],
  ] as const)('is read again (%s times garbled → %s path), never taken for a group without members', async (times, path) => {
    const mock = await startFixtureMock();
    try {
      await applyDemo(db.store, mock);
      mock.faults.add({ match: { path: '/groups/delta', inBatch: true }, kind: 'malformed', times });
      // Batch retries back off for seconds (1 s, 2 s, 4 s, …); this clock lets them pass at once.
      const r = await sync(db.store, mock, {}, { clock: { now: () => new Date(), sleep: () => Promise.resolve() } });
      expect(r.streams.find((s) => s.stream.startsWith('groups:'))?.path).toBe(path);
      const finance = (await listInsyncUsers(db.store, 'contoso')).filter((u) => u.mapping === 'Finance').map((u) => u.entraObjectId).sort();
      expect(finance).toEqual([user(1), user(5), user(8)]);
    } finally {
      await mock.close();
    }
  });
});

describe('a users list longer than one write batch', () => {
  const LONG = 2 * USERS_WRITE_BATCH + 10;
  const bulk = (i: number) => `c0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  async function longTenant(): Promise<MockGraph> {
    const mock = await startFixtureMock();
    for (let i = 0; i < LONG; i += 1) {
      mock.directory.addUser({ id: bulk(i), userPrincipalName: `bulk${i}@contoso.example`, mail: `bulk${i}@contoso.example`, displayName: `Bulk ${i}`, userType: 'Member', accountEnabled: true });
    }
    await applyDemo(db.store, mock);
    return mock;
  }
  const mirrored = async () => Number((await db.store.rows<{ n: number }>(db.store.db, sql`select count(*)::int as n from entra_users`))[0]?.n);

  it('is written several pages at a time while the next pages are read, and every user lands', async () => {
    const mock = await longTenant();
    try {
      const writes: Extract<SyncProgress, { kind: 'page' }>[] = [];
      const r = await sync(db.store, mock, {}, { onProgress: (p) => { if (p.kind === 'page' && p.stream === 'users') writes.push(p); } });
      const listed = mock.stats().requests['GET /v1.0/users'] ?? 0;
      // Fewer transactions than pages, and the pages they report add up to what was listed.
      expect(writes.length).toBe(3);
      expect(listed).toBeGreaterThan(writes.length);
      expect(writes.reduce((n, w) => n + w.pages, 0)).toBe(listed);
      expect(r.streams.find((s) => s.stream === 'users')).toMatchObject({ pages: listed, items: await mirrored() });
      expect(await mirrored()).toBeGreaterThan(LONG);
    } finally {
      await mock.close();
    }
  });

  it('stops at a write that fails while later pages are being read, surfaces its error and saves no link', async () => {
    const mock = await longTenant();
    try {
      await whileRefusingInsert(db.store, { table: 'entra_users', column: 'id', value: bulk(USERS_WRITE_BATCH + 5) }, async () => {
        const failure = await sync(db.store, mock).then(() => null, (err: unknown) => err as Error & { code?: string });
        expect(failure).toMatchObject({ code: 'DB_QUERY_FAILED', message: `a database statement failed: ${REFUSED}` });
        const links = await db.store.rows(db.store.db, sql`select stream from delta_cursors where stream = 'users'`);
        expect(links).toEqual([]);
        // The batch before the failing one was committed; the ones after it were not written.
        expect(await mirrored()).toBeGreaterThanOrEqual(USERS_WRITE_BATCH);
        expect(await mirrored()).toBeLessThan(2 * USERS_WRITE_BATCH);
      });
    } finally {
      await mock.close();
    }
  });
});
