import { sql, type SQL } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { analyzeInsyncUsers } from '../../src/store/analyze-insync-users.js';
import { preferKeyedPlans } from '../../src/store/prefer-keyed-plans.js';
import { insyncPreserves, insyncUpdates, type Preserve, type Update } from '../../src/sync/apply-actions.js';
import { applyDemo, startFixtureMock, sync } from '../support/sync-harness.js';
import type { TestStore } from '../support/test-store.js';
import { useTestStore } from '../support/use-store-and-mock.js';

const TENANT = 1;
const USERS = 100_000;
const BATCH = 1200;
const oid = (id: number) => `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`;

describe('analyzeInsyncUsers', () => {
  let db: TestStore;
  useTestStore((ready) => {
    db = ready;
  });

  /** The plan of a statement in a transaction set up as the decide step's is. */
  async function planOf(statement: SQL): Promise<string> {
    return db.store.db.transaction(async (tx) => {
      await preferKeyedPlans(db.store, tx);
      const plan = await db.store.rows<{ 'QUERY PLAN': string }>(tx, sql`explain (costs off) ${statement}`);
      return plan.map((row) => row['QUERY PLAN']).join('\n');
    });
  }

  const probesByKey = (plan: string) =>
    plan.includes('Nested Loop') && plan.includes('Index Scan using insync_users_pkey') && !/Hash Join|Merge Join|Seq Scan|Bitmap|Materialize/.test(plan);

  // Right after a 300k-user import, a churn's batch of 1,200 updates hashed all 280k inSync users
  // (540-600 ms) instead of probing 1,200 ids (60-75 ms): the planner had no statistics yet.
  it("lets a batch's updates and preserves probe the tenant's inSync users by id", async () => {
    await db.store.rows(db.store.db, sql`
      insert into insync_users (tenant_id, email, display_name, profile_id, storage_id)
      select ${TENANT}, 'user' || n || '@keyed.example', 'User ' || n, 1, 1 from generate_series(1, ${USERS}) n`);
    // Ids spread over the whole tenant, as a churn's are.
    const ids = Array.from({ length: BATCH }, (_, i) => 1 + ((i * 7919) % USERS));
    const updates: Update[] = ids.map((id) => ({
      action: 'update', insyncId: id, entraObjectId: oid(id), reason: 'DETAILS_CHANGED', detail: {},
      fields: { email: `user${id}@keyed.example`, displayName: `User ${id} moved`, userPrincipalName: null, mappingId: 1, mappingName: 'm', profileId: 1, storageId: 1, quotaBytes: null },
    }));
    const preserves: Preserve[] = ids.map((id) => ({
      action: 'preserve', insyncId: id, entraObjectId: oid(id), email: `user${id}@keyed.example`, reason: 'DELETED', detail: {},
    }));
    const statements = [insyncUpdates(TENANT, updates), insyncPreserves(TENANT, preserves)];
    // Without statistics, PostgreSQL and PGlite both join against the whole tenant.
    expect(probesByKey(await planOf(statements[0] as SQL))).toBe(false);
    expect(await analyzeInsyncUsers(db.store, USERS)).toBe(true);
    for (const statement of statements) expect(probesByKey(await planOf(statement))).toBe(true);
  }, 60_000);

  it('runs after a first import, not after a dry run', async () => {
    const reltuples = async () => {
      const [row] = await db.store.rows<{ n: number }>(db.store.db, sql`select reltuples::float8 as n from pg_class where relname = 'insync_users'`);
      return Number(row?.n);
    };
    const mock = await startFixtureMock();
    try {
      await applyDemo(db.store, mock);
      // A table never analyzed (nor vacuumed) has reltuples -1; the fixture is far below autovacuum's threshold.
      await sync(db.store, mock, { dryRun: true });
      expect(await reltuples()).toBe(-1);
      await sync(db.store, mock);
      const [written] = await db.store.rows<{ n: number }>(db.store.db, sql`select count(*)::int as n from insync_users`);
      expect(written?.n).toBeGreaterThan(0);
      expect(await reltuples()).toBe(written?.n);
    } finally {
      await mock.close();
    }
  });

  it('leaves a small import to autovacuum where the table was analyzed with many more rows', async () => {
    // Another tenant's 10,000 inSync users, analyzed: autovacuum's rule then wants more than 50 + 1,000 new ones.
    await db.store.rows(db.store.db, sql`
      insert into insync_users (tenant_id, email, display_name, profile_id, storage_id)
      select 99, 'other' || n || '@keyed.example', 'Other ' || n, 1, 1 from generate_series(1, 10000) n`);
    await db.store.rows(db.store.db, sql`analyze insync_users`);
    expect(await analyzeInsyncUsers(db.store, 1050)).toBe(false);
    expect(await analyzeInsyncUsers(db.store, 1051)).toBe(true);
  });
});
