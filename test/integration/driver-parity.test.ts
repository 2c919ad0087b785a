import { describe, expect, it } from 'vitest';
import { listInsyncUsers } from '../../src/admin/list-insync-users.js';
import { openStore } from '../../src/store/open-store.js';
import { applyDemo, startFixtureMock, sync, user, FINANCE } from '../support/sync-harness.js';
import { openTestStore } from '../support/test-store.js';

const pgUrl = process.env['TEST_DATABASE_URL'];

/** Issue 2, "done means": the same sync gives the same users on PGlite and on PostgreSQL. */
describe.skipIf(!pgUrl)('PGlite and PostgreSQL', () => {
  it('end with identical inSync users after the same runs', async () => {
    const outcomes: unknown[] = [];
    for (const kind of ['pglite', 'postgres'] as const) {
      const test = kind === 'postgres' ? await openTestStore() : null;
      const store = test ? test.store : await openStore({ kind: 'pglite', dataDir: null });
      const mock = await startFixtureMock();
      try {
        await applyDemo(store, mock);
        await sync(store, mock);
        mock.directory.removeMember(FINANCE, user(5));
        mock.directory.softDeleteUser(user(20));
        mock.directory.updateUser(user(2), { city: 'Portland' });
        const second = await sync(store, mock);
        outcomes.push({ users: await listInsyncUsers(store, 'contoso'), counts: second.counts });
      } finally {
        await mock.close();
        if (test) await test.close();
        else await store.close();
      }
    }
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect((outcomes[0] as { counts: { updated: number } }).counts.updated).toBe(2);
  });
});
