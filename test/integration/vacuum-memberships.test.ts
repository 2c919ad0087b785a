import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { vacuumMemberships } from '../../src/store/vacuum-memberships.js';
import { applyDemo, startFixtureMock, sync } from '../support/sync-harness.js';
import type { TestStore } from '../support/test-store.js';
import { useTestStore } from '../support/use-store-and-mock.js';

const GROUP = '0a000000-0000-4000-8000-000000000001';
const memberId = (n: number) => `0b000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

describe('vacuumMemberships', () => {
  let db: TestStore;
  useTestStore((ready) => {
    db = ready;
  });

  /** Whether the decide read's lookup of these members' groups was answered from the index alone. */
  async function fromIndexAlone(members: string[], tenantId = 1): Promise<boolean> {
    return db.store.db.transaction(async (tx) => {
      // The table is small: without this the planner reads it whole instead of using the index.
      await db.store.rows(tx, sql`select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`);
      const plan = await db.store.rows<{ 'QUERY PLAN': string }>(tx, sql`
        explain (analyze, costs off, timing off, summary off)
        select m.group_id from entra_group_members m where m.tenant_id = ${tenantId} and m.member_id = any(${`{${members.join(',')}}`}::uuid[])`);
      const text = plan.map((row) => row['QUERY PLAN']).join('\n');
      // Before the vacuum, PostgreSQL plans a plain index scan (it knows no page is marked) and
      // PGlite an index-only scan that fetches every row from the table: neither answers from the index.
      return text.includes('Index Only Scan') && /Heap Fetches: 0\b/.test(text);
    });
  }

  it('lets the members lookup answer from the index alone once the rows are written', async () => {
    const members = Array.from({ length: 300 }, (_, i) => memberId(i + 1));
    await db.store.rows(db.store.db, sql`
      insert into entra_group_members (tenant_id, group_id, member_id, member_type)
      select 1, ${GROUP}::uuid, m, 'user' from unnest(${`{${members.join(',')}}`}::uuid[]) as m`);
    const probe = members.slice(0, 50);
    expect(await fromIndexAlone(probe)).toBe(false);
    await vacuumMemberships(db.store);
    expect(await fromIndexAlone(probe)).toBe(true);
  });

  it('runs when a sync has read the groups, before the decide step reads everyone', async () => {
    const vacuums = async () => {
      const [stats] = await db.store.rows<{ n: number }>(db.store.db, sql`
        select vacuum_count::int as n from pg_stat_user_tables where relname = 'entra_group_members'`);
      return Number(stats?.n ?? 0);
    };
    const before = await vacuums();
    const mock = await startFixtureMock();
    try {
      await applyDemo(db.store, mock);
      await sync(db.store, mock);
    } finally {
      await mock.close();
    }
    const members = await db.store.rows<{ tenant_id: number; member_id: string }>(db.store.db, sql`select tenant_id, member_id from entra_group_members`);
    expect(members.length).toBeGreaterThan(0);
    // That the vacuum ran, not what it could mark: the users stream writes beside it, and a page
    // whose rows are newer than one of its open snapshots stays unmarked until the next vacuum
    // (which the test above covers without anything running beside it).
    expect(await vacuums()).toBe(before + 1);
  });
});
