import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { formatWriteBounds } from '../../src/bench/format-write-bounds.js';
import { measureWriteBounds, WRITE_STEPS } from '../../src/bench/write-bounds.js';
import type { TestStore } from '../support/test-store.js';
import { useTestStore } from '../support/use-store-and-mock.js';

// The plumbing of `npm run bench:writes`, not its speed: every path must write and read every row
// they claim to, or the figures they print compare nothing.
describe('measureWriteBounds', () => {
  let db: TestStore;
  useTestStore((ready) => {
    db = ready;
  });

  it('writes every generated row three ways, reads each user with its groups, and leaves no table behind', async () => {
    const users = 2500;
    const bounds = await measureWriteBounds(db.store, { users, groups: 7, batch: 1000 });
    const all = { entra_users: users, entra_group_members: users, insync_users: users, provisioning_log: users };
    expect(bounds.perBatch.rows).toEqual(all);
    expect(bounds.deferred.rows).toEqual(all);
    expect(bounds.bulk.rows).toEqual(all);
    // Three batches of 1000, the last one short: each user decided once, with its one membership.
    expect(bounds.perBatch.decideRead).toEqual({ users, memberships: users });
    expect(bounds.deferred.decideRead).toEqual({ users, memberships: users });
    expect(bounds.bulk.decideRead).toEqual({ users, memberships: users });
    for (const step of WRITE_STEPS) {
      expect(bounds.perBatch.steps[step], step).toBeGreaterThan(0);
      expect(bounds.deferred.steps[step], step).toBeGreaterThan(0);
      expect(bounds.bulk.steps[step], step).toBeGreaterThan(0);
    }
    expect(bounds.bulk.indexBuilds).toBeGreaterThan(0);
    expect(bounds.perBatch.indexBuilds).toBe(0);
    // No meter given: the CPU figure is unknown, not zero.
    expect(bounds.perBatch.databaseCpu).toBeNull();

    const left = await db.store.rows<{ n: number }>(db.store.db, sql`select count(*)::int as n from pg_tables where schemaname = 'public' and tablename like 'wb\_%'`);
    expect(left[0]?.n).toBe(0);

    const table = formatWriteBounds(bounds);
    expect(table).toContain('| decide read: users/memberships | 2500/2500 | 2500/2500 | 2500/2500 |');
    expect(table).toMatch(/\| database CPU s \| - \| - \| - \|/);
  }, 60_000);

  it('builds on the bulk tables every index the shared tables have, and measures both paths with the meter given', async () => {
    // A bulk path without the primary keys and unique indexes would look cheaper than any design could be.
    const shared = await db.store.rows<{ n: number }>(db.store.db, sql`
      select count(*)::int as n from pg_indexes
      where schemaname = 'public' and tablename in ('entra_users', 'entra_group_members', 'insync_users', 'provisioning_log')`);
    let meters = 0;
    const bounds = await measureWriteBounds(db.store, {
      users: 10, groups: 2, batch: 10,
      databaseCpu: () => {
        meters += 1;
        return { stop: () => meters };
      },
    });
    expect(shared[0]?.n).toBeGreaterThanOrEqual(10);
    expect(bounds.bulk.indexesBuilt).toBe(shared[0]?.n);
    expect(bounds.perBatch.indexesBuilt).toBe(0);
    // Deferred builds every index too, some before the batches and the rest after.
    expect(bounds.deferred.indexesBuilt).toBe(shared[0]?.n);
    expect([bounds.perBatch.databaseCpu, bounds.deferred.databaseCpu, bounds.bulk.databaseCpu]).toEqual([1, 2, 3]);
  }, 60_000);
});
