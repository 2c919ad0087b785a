import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { MockGraph } from '../../src/mock-graph/start-mock-graph.js';
import { DECIDE_BATCH } from '../../src/sync/decide-batches.js';
import type { SyncProgress } from '../../src/sync/sync-progress.js';
import { REFUSED, whileRefusingInsert } from '../support/refuse-insert.js';
import { actionFor, applyDemo, sync } from '../support/sync-harness.js';
import type { TestStore } from '../support/test-store.js';
import { useStoreAndMock } from '../support/use-store-and-mock.js';

/**
 * The decide step pipelines its batches on one transaction: a batch is read and decided while the
 * one before it is still being written. These tests span several batches, which the small fixture
 * tenant never does.
 */
let db: TestStore;
let mock: MockGraph;
useStoreAndMock(async (store, graph) => {
  db = store;
  mock = graph;
  await applyDemo(db.store, mock, (t) => {
    t['safety'] = { maxPreserve: 100_000, maxPreservePercent: 100 };
  });
});

/** Extra users, sorted after the fixture's, so decide batches (in object-id order) hold them in order. */
const extra = (n: number) => `c0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const EXTRA = 2 * DECIDE_BATCH + 100;

function addExtraUsers(mailOf: (n: number) => string = (n) => `extra.${n}@contoso.example`): void {
  for (let n = 1; n <= EXTRA; n += 1) {
    mock.directory.addUser({
      id: extra(n), userPrincipalName: `extra.${n}@contoso.example`, mail: mailOf(n),
      displayName: `Extra ${n}`, userType: 'Member', accountEnabled: true,
    });
  }
}

const insyncCount = async () =>
  Number((await db.store.rows<{ n: number }>(db.store.db, sql`select count(*)::int as n from insync_users`))[0]?.n);

describe('the pipelined decide step', () => {
  it('a user in a later batch sees the email a user in an earlier batch took', async () => {
    // Two users share one mail in neighbouring batches: the second batch is looked up while the
    // first may still be in flight, and must see it.
    const LATE = DECIDE_BATCH + 10;
    addExtraUsers((n) => (n === LATE ? 'extra.1@contoso.example' : `extra.${n}@contoso.example`));
    const batches: Extract<SyncProgress, { kind: 'batch' }>[] = [];
    const r = await sync(db.store, mock, {}, { onProgress: (p) => { if (p.kind === 'batch') batches.push(p); } });

    expect(actionFor(r.actions, extra(1))).toMatchObject({ action: 'create' });
    expect(actionFor(r.actions, extra(LATE))).toMatchObject({ action: 'skip', reason: 'EMAIL_CONFLICT', detail: { heldBy: extra(1) } });
    expect(batches.length).toBeGreaterThanOrEqual(3);
    // Every user decided is reported once, and every create landed.
    const decided = batches.reduce((n, b) => n + b.decided, 0);
    expect(decided).toBe(r.actions.length);
    expect(await insyncCount()).toBe(r.counts.created);
    expect(r.counts.created).toBe(r.actions.filter((a) => a.action === 'create').length);
  });

  it('on a first import, a user two batches on still sees the email an earlier batch took', async () => {
    // A tenant without inSync users skips the email lookup for emails the run has not claimed
    // (a BloomFilter of claimed emails): batch 3's lookup runs after batch 1 has landed, so only the lookup can tell.
    const FAR = 2 * DECIDE_BATCH + 50;
    addExtraUsers((n) => (n === FAR ? 'Extra.1@Contoso.example' : `extra.${n}@contoso.example`));
    const r = await sync(db.store, mock);

    expect(actionFor(r.actions, extra(1))).toMatchObject({ action: 'create' });
    expect(actionFor(r.actions, extra(FAR))).toMatchObject({ action: 'skip', reason: 'EMAIL_CONFLICT', detail: { heldBy: extra(1) } });
    expect(await insyncCount()).toBe(r.counts.created);
  });

  it('an email one batch gives up is free for a user in the next batch, as if the batches ran one by one', async () => {
    // The next batch's lookup runs before this batch's writes, so the planner must carry what
    // they do to the email index (a lookup alone would still see the old holder).
    addExtraUsers();
    await sync(db.store, mock);
    const NEXT = DECIDE_BATCH + 10;
    mock.directory.updateUser(extra(10), { mail: 'moved.10@contoso.example' });
    mock.directory.updateUser(extra(NEXT), { mail: 'extra.10@contoso.example' });
    const r = await sync(db.store, mock, { full: true });
    expect(actionFor(r.actions, extra(10))).toMatchObject({ action: 'update', reason: 'DETAILS_CHANGED' });
    expect(actionFor(r.actions, extra(NEXT))).toMatchObject({ action: 'update', reason: 'DETAILS_CHANGED' });
    const held = await db.store.rows<{ email: string; entra_object_id: string }>(db.store.db, sql`
      select email, entra_object_id from insync_users where email in ('moved.10@contoso.example', 'extra.10@contoso.example') order by email`);
    expect(held).toEqual([
      { email: 'extra.10@contoso.example', entra_object_id: extra(NEXT) },
      { email: 'moved.10@contoso.example', entra_object_id: extra(10) },
    ]);
  });

  it('a write that fails surfaces its own error, and the run writes nothing', async () => {
    addExtraUsers();
    // Refuse one user of the second batch, while the third is already being read and decided.
    await whileRefusingInsert(db.store, { table: 'insync_users', column: 'email', value: `extra.${DECIDE_BATCH + 50}@contoso.example` }, async () => {
      const failure = await sync(db.store, mock).then(() => null, (err: unknown) => err as Error & { code?: string });
      // Its own error, not "current transaction is aborted" from a statement queued behind it.
      expect(failure).toMatchObject({ code: 'DB_QUERY_FAILED', message: `a database statement failed: ${REFUSED}` });
      expect(await insyncCount()).toBe(0);
      const [run] = await db.store.rows<{ status: string; error_message: string }>(db.store.db, sql`
        select status, error_message from sync_runs order by id desc limit 1`);
      // The statement's parameters (a batch of emails and names) stay out of the run record.
      expect(run).toEqual({ status: 'failed', error_message: `a database statement failed: ${REFUSED}` });
    });
    // Nothing was lost: the next run, without the trigger, creates everyone.
    const r = await sync(db.store, mock);
    expect(actionFor(r.actions, extra(DECIDE_BATCH + 50))).toMatchObject({ action: 'create' });
    expect(await insyncCount()).toBe(r.counts.created);
  });
});

describe('what the decide step looks up in inSync', () => {
  it('an inSync user not linked to Entra that holds the email is found, and not adopted', async () => {
    addExtraUsers();
    const target = extra(DECIDE_BATCH + 7);
    await db.store.db.execute(sql`
      insert into insync_users (tenant_id, email, display_name, profile_id, storage_id, source)
      select t.id, ${`EXTRA.${DECIDE_BATCH + 7}@contoso.example`}, 'Made by hand', p.id, s.id, 'manual'
      from tenants t join profiles p on p.tenant_id = t.id join storages s on s.tenant_id = t.id
      where t.name = 'contoso' limit 1`);
    const r = await sync(db.store, mock);
    expect(actionFor(r.actions, target)).toMatchObject({ action: 'skip', reason: 'EXISTS_UNMANAGED' });
    const [held] = await db.store.rows<{ display_name: string; entra_object_id: string | null }>(db.store.db, sql`
      select display_name, entra_object_id from insync_users where lower(email) = ${`extra.${DECIDE_BATCH + 7}@contoso.example`}`);
    expect(held).toEqual({ display_name: 'Made by hand', entra_object_id: null });
  });

  it('a full reconciliation of an unchanged tenant finds every linked user and writes nothing', async () => {
    addExtraUsers();
    const first = await sync(db.store, mock);
    const before = await db.store.rows(db.store.db, sql`select * from insync_users order by id`);
    const again = await sync(db.store, mock, { full: true });
    expect(again.counts).toMatchObject({ created: 0, updated: 0, preserved: 0, reactivated: 0 });
    expect(again.counts.unchanged).toBe(first.counts.created);
    expect(await db.store.rows(db.store.db, sql`select * from insync_users order by id`)).toEqual(before);
  });
});

