import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockGraph } from '../../src/mock-graph/start-mock-graph.js';
import { connectionsFor, openStore, type Store } from '../../src/store/open-store.js';
import { DECIDE_BATCH } from '../../src/sync/decide-batches.js';
import type { SyncProgress } from '../../src/sync/sync-progress.js';
import { applyDemo, startFixtureMock, sync } from '../support/sync-harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const pgUrl = process.env['TEST_DATABASE_URL'];

/**
 * A run holds its tenant lock's connection for the whole run, on which the decide step reads its
 * batches, and its apply transaction for the decide step; while the decide step follows the users
 * stream of a full round, the stream's writes need a third, briefly. If the decide step took
 * another connection from the pool to read, runs holding three would wait for each other forever
 * once the pool ran out.
 */
describe.skipIf(!pgUrl)('the connections a run needs', () => {
  let test: TestStore;
  let store: Store;
  let mock: MockGraph;
  beforeAll(async () => {
    test = await openTestStore();
    store = await openStore({ kind: 'postgres', url: test.url ?? '', poolSize: 3 });
    mock = await startFixtureMock();
  });
  afterAll(async () => {
    await mock.close();
    await store.close();
    await test.close();
  });

  it('are three: a full import of several decide batches runs on a pool of three', async () => {
    for (let n = 1; n <= DECIDE_BATCH + 100; n += 1) {
      const id = `c0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      mock.directory.addUser({ id, userPrincipalName: `pool.${n}@contoso.example`, mail: `pool.${n}@contoso.example`, displayName: `Pool ${n}`, userType: 'Member', accountEnabled: true });
    }
    await applyDemo(store, mock);
    let batches = 0;
    const r = await sync(store, mock, {}, { onProgress: (p: SyncProgress) => { if (p.kind === 'batch') batches += 1; } });
    expect(batches).toBeGreaterThanOrEqual(2);
    expect(r.counts.created).toBeGreaterThan(DECIDE_BATCH);
  }, 30_000);

  it('sizes a daemon pool at two per tenant synced at once, and never below eight', () => {
    expect(connectionsFor(1)).toBe(8);
    expect(connectionsFor(4)).toBe(10);
    expect(connectionsFor(10)).toBe(22);
  });
});
