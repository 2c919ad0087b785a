import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MockGraph } from '../../src/mock-graph/start-mock-graph.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import type { SyncProgress } from '../../src/sync/sync-progress.js';
import { applyDemo, startFixtureMock, sync, user } from '../support/sync-harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const pgUrl = process.env['TEST_DATABASE_URL'];

/**
 * In a full round the decide step follows the users stream once the group streams are done:
 * users are decided as their batches commit, on the lock's connection (read committed), while
 * the stream still writes. Only on PostgreSQL: PGlite has one connection and decides after the pull.
 * On a pool of three, the connections a run needs: if the decide step took another one from the
 * pool to read, runs holding three would wait for each other forever once the pool ran out.
 */
describe.skipIf(!pgUrl)('a full import that decides while the users stream is mirrored', () => {
  let test: TestStore;
  let store: Store;
  let mock: MockGraph;
  beforeAll(async () => {
    test = await openTestStore();
    // Three: the lock's connection (reads), the apply transaction, and the stream's writes.
    store = await openStore({ kind: 'postgres', url: test.url ?? '', poolSize: 3 });
  });
  afterAll(async () => {
    await store.close();
    await test.close();
  });
  beforeEach(async () => {
    await test.reset();
    mock = await startFixtureMock();
  });
  afterEach(async () => {
    await mock.close();
  });

  const extra = (n: number) => `c0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  function addUsers(count: number): void {
    for (let n = 1; n <= count; n += 1) {
      mock.directory.addUser({
        id: extra(n), userPrincipalName: `follow.${n}@contoso.example`, mail: `follow.${n}@contoso.example`,
        displayName: `Follow ${n}`, userType: 'Member', accountEnabled: true,
      });
    }
  }
  const insyncRows = async () =>
    store.rows<{ entra_object_id: string; display_name: string }>(store.db, sql`select entra_object_id, display_name from insync_users`);

  it('writes decided batches before the users stream has finished, on a pool of three, and decides every user once', async () => {
    // Ten list pages of 999, written two at a time: five commits, each page 200 ms late. A batch
    // is written once the next one has been read, and reported once the one after is queued: the
    // first report comes after the third commit at the earliest.
    addUsers(9 * 999);
    mock.faults.add({ match: { path: '/users?', inBatch: false }, kind: 'delay', delayMs: 200, times: Infinity });
    await applyDemo(store, mock);
    const events: SyncProgress[] = [];
    const r = await sync(store, mock, {}, { onProgress: (p) => events.push(p) });

    const lastUsersPage = events.findLastIndex((e) => e.kind === 'page' && e.stream === 'users');
    const firstBatch = events.findIndex((e) => e.kind === 'batch');
    expect(firstBatch).toBeGreaterThanOrEqual(0);
    expect(firstBatch).toBeLessThan(lastUsersPage);
    const decided = r.actions.map((a) => a.entraObjectId);
    expect(new Set(decided).size).toBe(decided.length);
    expect(decided).toContain(extra(9 * 999));
    expect((await insyncRows()).length).toBe(r.counts.created);
    expect(r.counts.created).toBeGreaterThan(9 * 999);
  }, 30_000);

  it('decides a user the stream writes twice again on the apply transaction, where its new inSync user is seen (D1)', async () => {
    // A plain delta round sends a user changed during the round again in its tail (D1). The
    // change is made once the first batch, which holds the user, has been written.
    addUsers(1000);
    mock.faults.add({ match: { path: '/users/delta', inBatch: false }, kind: 'delay', delayMs: 200, times: Infinity });
    await applyDemo(store, mock);
    let changed = false;
    const r = await sync(store, mock, {}, {
      firstRound: 'delta',
      onProgress: (p) => {
        if (changed || p.kind !== 'batch') return;
        changed = true;
        mock.directory.updateUser(user(2), { displayName: 'Alex W.' });
      },
    });

    expect(r.actions.filter((a) => a.entraObjectId === user(2)).map((a) => a.action)).toEqual(['create', 'update']);
    const rows = (await insyncRows()).filter((row) => row.entra_object_id === user(2));
    expect(rows).toEqual([{ entra_object_id: user(2), display_name: 'Alex W.' }]);
    expect((await insyncRows()).length).toBe(r.counts.created);
  }, 30_000);
});
