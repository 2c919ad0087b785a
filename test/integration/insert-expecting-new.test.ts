import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { emptyMirror } from '../../src/store/empty-mirror.js';
import { insertExpectingNew, isUniqueViolation } from '../../src/store/insert-expecting-new.js';
import { mirrorGroups } from '../../src/store/mirror-groups.js';
import { mirrorUsers } from '../../src/store/mirror-users.js';
import type { Db } from '../../src/store/open-store.js';
import type { TestStore } from '../support/test-store.js';
import { useTestStore } from '../support/use-store-and-mock.js';

const id = (n: number) => `0c000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const GROUP = '0d000000-0000-4000-8000-000000000001';
const upsert = (n: number, city: string) => ({ kind: 'upsert' as const, id: id(n), attributes: { userPrincipalName: `u${n}@x.example`, city } });

describe('insertExpectingNew', () => {
  let db: TestStore;
  useTestStore((ready) => {
    db = ready;
  });

  /** Runs fn in a transaction, as the streams do, recording which statements reached the database. */
  async function recording<T>(fn: (db: Db, run: (db: Db, q: SQL) => Promise<unknown>) => Promise<T>): Promise<{ value: T; sent: string[] }> {
    const sent: string[] = [];
    const value = await db.store.db.transaction((tx) => fn(tx, (d, q) => {
      sent.push(/on conflict/i.test(new PgDialect().sqlToQuery(q).sql) ? 'upsert' : 'insert');
      return db.store.rows(d, q);
    }));
    return { value, sent };
  }

  const statements = (n: number) => ({
    insert: sql`insert into entra_users (tenant_id, id) values (1, ${id(n)}::uuid)`,
    upsert: sql`insert into entra_users (tenant_id, id) values (1, ${id(n)}::uuid) on conflict (tenant_id, id) do update set deletion = 'soft'`,
  });

  it('sends only the plain INSERT when every row is new', async () => {
    const { insert, upsert: up } = statements(1);
    const { value, sent } = await recording((tx, run) => insertExpectingNew(tx, run, insert, up));
    expect(value.conflicted).toBe(false);
    expect(sent).toEqual(['insert']);
  });

  it('falls back to the upsert in the same transaction when a row exists, and keeps what the transaction wrote before', async () => {
    await db.store.rows(db.store.db, sql`insert into entra_users (tenant_id, id) values (1, ${id(2)}::uuid)`);
    const { insert, upsert: up } = statements(2);
    const { value, sent } = await recording(async (tx, run) => {
      await db.store.rows(tx, sql`insert into entra_users (tenant_id, id) values (1, ${id(3)}::uuid)`);
      return insertExpectingNew(tx, run, insert, up);
    });
    expect(value.conflicted).toBe(true);
    expect(sent).toEqual(['insert', 'upsert']);
    const rows = await db.store.rows<{ id: string; deletion: string }>(db.store.db, sql`select id, deletion from entra_users order by id`);
    expect(rows).toEqual([{ id: id(2), deletion: 'soft' }, { id: id(3), deletion: 'none' }]);
  });

  it('lets any other failure through', async () => {
    const bad = sql`insert into entra_users (tenant_id, id) values (1, 'not-a-uuid')`;
    await expect(db.store.db.transaction((tx) => insertExpectingNew(tx, (d, q) => db.store.rows(d, q), bad, bad))).rejects.toSatisfy((err) => !isUniqueViolation(err));
  });

  it('knows a unique violation wrapped by drizzle from other errors', () => {
    expect(isUniqueViolation(Object.assign(new Error('wrapped'), { cause: Object.assign(new Error('dup'), { code: '23505' }) }))).toBe(true);
    expect(isUniqueViolation(Object.assign(new Error('fk'), { code: '23503' }))).toBe(false);
    expect(isUniqueViolation('23505')).toBe(false);
  });

  it('tells a first import from a tenant that has rows', async () => {
    expect(await emptyMirror(db.store.rows, db.store.db, 1)).toEqual({ users: true, memberships: true });
    await mirrorUsers(db.store.db, 1, 1, [upsert(1, 'Oslo')], 'replace');
    expect(await emptyMirror(db.store.rows, db.store.db, 1)).toEqual({ users: false, memberships: true });
    expect(await emptyMirror(db.store.rows, db.store.db, 2)).toEqual({ users: true, memberships: true });
  });
});

describe('the mirror writers expecting new rows', () => {
  let db: TestStore;
  useTestStore((ready) => {
    db = ready;
  });

  it('write users Graph lists twice (D1) like the upsert would, and say so', async () => {
    const first = await db.store.db.transaction((tx) => mirrorUsers(tx, 1, 1, [upsert(1, 'Oslo'), upsert(2, 'Rome')], 'replace', true));
    expect(first.conflicted).toBe(false);
    const again = await db.store.db.transaction((tx) => mirrorUsers(tx, 1, 1, [upsert(2, 'Paris'), upsert(3, 'Lima')], 'replace', true));
    expect(again.conflicted).toBe(true);
    const rows = await db.store.rows<{ id: string; city: string }>(db.store.db, sql`select id, attributes->>'city' as city from entra_users order by id`);
    expect(rows).toEqual([{ id: id(1), city: 'Oslo' }, { id: id(2), city: 'Paris' }, { id: id(3), city: 'Lima' }]);
  });

  it('write memberships seen twice once, and report new members as the upsert does', async () => {
    const [tenant] = await db.store.rows<{ id: number }>(db.store.db, sql`insert into tenants (name) values ('contoso') returning id`);
    const t = tenant?.id ?? 0;
    const add = (members: number[]) => [{
      kind: 'upsert' as const, id: GROUP, props: { displayName: 'G' }, memberRemoves: [],
      memberAdds: members.map((n) => ({ id: id(n), type: 'user' as const })),
    }];
    const first = await db.store.db.transaction((tx) => mirrorGroups(tx, t, 1, add([1, 2]), db.store.rows, false, true));
    expect(first.conflicted).toBe(false);
    const again = await db.store.db.transaction((tx) => mirrorGroups(tx, t, 2, add([2, 3]), db.store.rows, false, true));
    expect(again.conflicted).toBe(true);
    const rows = await db.store.rows<{ member_id: string; seen_run_id: number }>(db.store.db, sql`
      select member_id, seen_run_id from entra_group_members order by member_id`);
    expect(rows).toEqual([{ member_id: id(1), seen_run_id: 1 }, { member_id: id(2), seen_run_id: 2 }, { member_id: id(3), seen_run_id: 2 }]);
  });
});
