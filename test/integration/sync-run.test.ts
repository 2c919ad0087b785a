import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { listInsyncUsers } from '../../src/admin/list-insync-users.js';
import { AppError } from '../../src/core/app-error.js';
import type { Section } from '../../src/core/section-timer.js';
import { DEFAULT_SAFETY } from '../../src/config/config-schema.js';
import { activeEnough } from '../../src/sync/safety-limit.js';
import type { MockGraph } from '../../src/mock-graph/start-mock-graph.js';
import type { TestStore } from '../support/test-store.js';
import { useStoreAndMock } from '../support/use-store-and-mock.js';
import { actionFor, applyDemo, ENGINEERING, FINANCE, startFixtureMock, sync, user } from '../support/sync-harness.js';

const GB = 2 ** 30;
let db: TestStore;
let mock: MockGraph;

useStoreAndMock((store, graph) => {
  db = store;
  mock = graph;
});

async function users() {
  return listInsyncUsers(db.store, 'contoso');
}
async function count(table: string): Promise<number> {
  const [row] = await db.store.rows<{ n: number }>(db.store.db, sql.raw(`select count(*)::int as n from ${table}`));
  return row?.n ?? -1;
}

describe(`a full import (${process.env['TEST_DATABASE_URL'] ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('creates members by the first matching mapping and skips the ineligible with reasons', async () => {
    await applyDemo(db.store, mock);
    const result = await sync(db.store, mock);

    expect(result.counts).toEqual({
      created: 13, updated: 0, preserved: 0, reactivated: 0, unchanged: 0,
      skipped: { GUEST: 2, USER_TYPE_MISSING: 1, DISABLED: 3, NO_EMAIL: 1 },
    });
    const byEmail = new Map((await users()).map((u) => [u.email, u]));
    // Adele is in Finance and in Seattle: the higher-priority Finance mapping wins.
    expect(byEmail.get('adele.vance@contoso.example')).toMatchObject({
      mapping: 'Finance', profile: 'Finance', storage: 'US-East', quotaBytes: 100 * GB, status: 'active', source: 'auto',
      entraObjectId: user(1),
    });
    expect(byEmail.get('alex.wilber@contoso.example')).toMatchObject({ mapping: 'Seattle', storage: 'US-East', quotaBytes: 50 * GB });
    expect(byEmail.get('lee.gu@contoso.example')).toMatchObject({ mapping: 'Everyone', storage: 'EU-West', quotaBytes: null });
    // The guest in the Finance group is not imported: only members are (insync-behaviour "No guests").
    expect(byEmail.has('ana.ruiz@fabrikam.example')).toBe(false);
    expect(actionFor(result.actions, user(12))).toMatchObject({ action: 'skip', reason: 'GUEST' });
    expect(actionFor(result.actions, user(14))).toMatchObject({ action: 'skip', reason: 'USER_TYPE_MISSING' });
    expect(actionFor(result.actions, user(15))).toMatchObject({ action: 'skip', reason: 'DISABLED' });
    expect(actionFor(result.actions, user(16))).toMatchObject({ action: 'skip', reason: 'NO_EMAIL' });
    // ? * / \ < > become _ in the inSync user name.
    expect(byEmail.get('renee.obrien@contoso.example')?.displayName).toBe("Renée O'Brien _ _ _ _ _ _");
    expect(await count('sync_runs')).toBe(1);
    expect(await count(`provisioning_log where action = 'create' and reason = 'MATCHED'`)).toBe(13);
    expect(await count(`delta_cursors`)).toBe(2);
  });

  it('imports group members but not an owner who is not a member', async () => {
    await applyDemo(db.store, mock, (t) => {
      t['mappings'] = [{ name: 'Engineering', groups: [ENGINEERING], profile: 'Default', storage: 'US-East', quota: '10GB' }];
    });
    const result = await sync(db.store, mock);
    const emails = (await users()).map((u) => u.email).sort();
    expect(emails).toEqual([
      'alex.wilber@contoso.example', 'johanna.lorenz@contoso.example', 'lee.gu@contoso.example', 'lynne.robbins@contoso.example',
      'pradeep.gupta@contoso.example', 'renee.obrien@contoso.example',
    ]);
    // Christie owns the Engineering group without being a member of it.
    expect(actionFor(result.actions, user(20))).toMatchObject({ action: 'skip', reason: 'NO_MAPPING_MATCHED' });
  });

  it('follows the priority order, and re-decides everyone when mappings change', async () => {
    await applyDemo(db.store, mock);
    await sync(db.store, mock);
    // Put Seattle above Finance: Adele (in both) must move to Seattle on the next run.
    await applyDemo(db.store, mock, (t) => {
      const [finance, seattle, everyone] = t['mappings'] as unknown[];
      t['mappings'] = [seattle, finance, everyone];
    });
    const result = await sync(db.store, mock);
    expect(actionFor(result.actions, user(1))).toMatchObject({ action: 'update', reason: 'MAPPING_CHANGED' });
    const adele = (await users()).find((u) => u.email === 'adele.vance@contoso.example');
    expect(adele).toMatchObject({ mapping: 'Seattle', profile: 'Default', quotaBytes: 50 * GB, storage: 'US-East' });
    expect(result.counts.updated).toBe(1);
  });
});

describe('the section timer (bench --profile)', () => {
  it('hears from every section of a full import, and from the pull alone when nothing changed', async () => {
    await applyDemo(db.store, mock);
    const record = () => {
      const seen = new Map<Section, number>();
      return { seen, timer: { add: (section: Section, ms: number) => seen.set(section, (seen.get(section) ?? 0) + ms) } };
    };
    const full = record();
    await sync(db.store, mock, {}, { timer: full.timer });
    const all: Section[] = ['graph-wait', 'parse', 'mirror-write', 'decide-read', 'decide', 'insync-write', 'log-write', 'commit'];
    expect([...full.seen.keys()].sort()).toEqual([...all].sort());
    for (const ms of full.seen.values()) expect(ms).toBeGreaterThanOrEqual(0);
    expect(full.seen.get('mirror-write')).toBeGreaterThan(0);
    const idle = record();
    await sync(db.store, mock, {}, { timer: idle.timer });
    // Nothing changed: one empty read finds no user to decide, so nothing is decided or written.
    expect(idle.seen.has('decide')).toBe(false);
    expect(idle.seen.has('insync-write')).toBe(false);
    expect(idle.seen.has('graph-wait')).toBe(true);
  });
});

describe('incremental runs', () => {
  it('change nothing when nothing changed, with one request per stream', async () => {
    await applyDemo(db.store, mock);
    await sync(db.store, mock);
    const second = await sync(db.store, mock);
    expect(second.mode).toBe('incremental');
    expect(second.counts).toEqual({ created: 0, updated: 0, preserved: 0, reactivated: 0, unchanged: 0, skipped: {} });
    expect(second.graphRequests).toBe(2);
  });

  it('create, update, preserve and reactivate as the directory changes; never delete', async () => {
    await applyDemo(db.store, mock);
    await sync(db.store, mock);
    const dir = mock.directory;

    dir.addUser({ id: user(90), userPrincipalName: 'new.hire@contoso.example', mail: 'new.hire@contoso.example', displayName: 'New Hire', userType: 'Member', accountEnabled: true });
    dir.addMember(FINANCE, user(90));
    dir.softDeleteUser(user(20)); // Christie leaves
    dir.disableUser(user(9)); // Lee is blocked
    dir.removeMember(FINANCE, user(5)); // Diego leaves Finance: Everyone now, storage differs
    dir.updateUser(user(10), { displayName: 'Nestor Wilke-Smith' });
    let r = await sync(db.store, mock);
    expect(r.counts).toMatchObject({ created: 1, updated: 2, preserved: 2, reactivated: 0 });
    expect(actionFor(r.actions, user(90))).toMatchObject({ action: 'create', fields: { mappingName: 'Finance' } });
    expect(actionFor(r.actions, user(20))).toMatchObject({ action: 'preserve', reason: 'SOFT_DELETED' });
    expect(actionFor(r.actions, user(9))).toMatchObject({ action: 'preserve', reason: 'DISABLED' });
    expect(actionFor(r.actions, user(5))).toMatchObject({ action: 'update', reason: 'STORAGE_CHANGE_PENDING' });
    expect(actionFor(r.actions, user(10))).toMatchObject({ action: 'update', reason: 'DETAILS_CHANGED' });
    const diego = (await users()).find((u) => u.entraObjectId === user(5));
    // Profile and quota follow the new mapping; the storage stays where the backups are.
    expect(diego).toMatchObject({ mapping: 'Everyone', profile: 'Default', quotaBytes: null, storage: 'US-East' });

    dir.restoreUser(user(20));
    dir.hardDeleteUser(user(9));
    r = await sync(db.store, mock);
    expect(actionFor(r.actions, user(20))).toMatchObject({ action: 'reactivate', reason: 'BACK_IN_SCOPE' });
    // Already preserved: a hard delete changes nothing more, and nothing is ever deleted.
    expect(actionFor(r.actions, user(9))).toMatchObject({ action: 'unchanged', reason: 'DELETED' });
    const all = await users();
    expect(all.find((u) => u.entraObjectId === user(9))).toMatchObject({ status: 'preserved' });
    expect(all.find((u) => u.entraObjectId === user(20))).toMatchObject({ status: 'active' });
    expect(all).toHaveLength(14);
  });
});

describe('preconditions', () => {
  it.each([
    ['none', 'entra-import', 'ENCRYPTION_REQUIRED'],
    ['kms', 'scim', 'METHOD_NOT_ENTRA_IMPORT'],
    ['byok', 'ad-ldap', 'METHOD_NOT_ENTRA_IMPORT'],
  ])('encryption %s with method %s is refused with %s and no Graph call', async (encryption, method, code) => {
    await applyDemo(db.store, mock, (t) => {
      t['encryption'] = encryption;
      t['provisioningMethod'] = method;
    });
    const error = await sync(db.store, mock).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    expect((error as AppError).exitCode).toBe(3);
    expect(mock.stats().totalRequests).toBe(0);
    expect(await count(`sync_runs where status = 'refused' and error_code = '${code}'`)).toBe(1);
    expect(await count('insync_users')).toBe(0);
  });

  it('byok is enough', async () => {
    await applyDemo(db.store, mock, (t) => {
      t['encryption'] = 'byok';
    });
    expect((await sync(db.store, mock)).counts.created).toBe(13);
  });
});

describe('a dry run', () => {
  it('prints the plan and writes nothing', async () => {
    await applyDemo(db.store, mock);
    const result = await sync(db.store, mock, { dryRun: true });
    expect(result.counts.created).toBe(13);
    expect(result.plan.filter((a) => a.action === 'create')).toHaveLength(13);
    for (const table of ['insync_users', 'sync_runs', 'provisioning_log', 'entra_users', 'entra_group_members', 'delta_cursors']) {
      expect(await count(table), table).toBe(0);
    }
  });
});

describe('Graph misbehaving', () => {
  it('resyncs from scratch when the delta link has expired (B1, §11.3)', async () => {
    await applyDemo(db.store, mock);
    await sync(db.store, mock);
    mock.invalidateDeltaTokens();
    mock.directory.disableUser(user(9));
    const r = await sync(db.store, mock);
    expect(r.streams.every((s) => s.resynced && s.round === 'full')).toBe(true);
    expect(actionFor(r.actions, user(9))).toMatchObject({ action: 'preserve', reason: 'DISABLED' });
    expect((await users()).filter((u) => u.status === 'active')).toHaveLength(12);
  });

  it('rides out throttling and a dropped connection (D7, §11.8)', async () => {
    await applyDemo(db.store, mock);
    mock.faults.add({ match: { path: '/users/delta' }, kind: 'status', status: 429, retryAfter: 1, times: 2 });
    mock.faults.add({ match: { path: '/groups/delta' }, kind: 'reset', times: 1 });
    const r = await sync(db.store, mock);
    expect(r.counts.created).toBe(13);
    expect(mock.stats().faultsFired).toBe(3);
  });

  it('fails the run, keeps what it had, and records why, when Graph stays down', async () => {
    await applyDemo(db.store, mock);
    await sync(db.store, mock);
    mock.directory.disableUser(user(9));
    mock.faults.add({ match: { path: '/users/delta' }, kind: 'status', status: 503, times: Infinity });
    const error = await sync(db.store, mock).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('GRAPH_UNAVAILABLE');
    expect(await count(`sync_runs where status = 'failed' and error_code = 'GRAPH_UNAVAILABLE'`)).toBe(1);
    expect((await users()).filter((u) => u.status === 'active')).toHaveLength(13);
    mock.faults.clear();
    const r = await sync(db.store, mock);
    expect(actionFor(r.actions, user(9))).toMatchObject({ action: 'preserve', reason: 'DISABLED' });
  });
});

describe('stopping a run', () => {
  it('stops between pages when aborted, records ABORTED, and the next run converges', async () => {
    // One-user pages make the round long enough to stop inside it.
    const paged = await startFixtureMock({ pageSizes: { usersDelta: 1 } });
    try {
      await applyDemo(db.store, paged);
      const controller = new AbortController();
      const { runSync } = await import('../../src/sync/run-sync.js');
      const error = await runSync(
        { tenant: 'contoso', trigger: 'test' },
        {
          store: db.store, env: { CONTOSO_GRAPH_SECRET: 'mock-secret-not-a-real-secret' }, graphCa: paged.caPem, signal: controller.signal,
          firstRound: 'delta',
          onProgress: (p) => {
            if (p.kind === 'page' && p.stream === 'users' && p.page === 4) controller.abort();
          },
        },
      ).catch((e: unknown) => e);
      expect((error as AppError).code).toBe('ABORTED');
      expect(await count(`sync_runs where status = 'failed' and error_code = 'ABORTED'`)).toBe(1);
      expect(await count(`delta_cursors where stream = 'users'`)).toBe(0);
      expect(await count('insync_users')).toBe(0);
      const r = await sync(db.store, paged);
      expect(r.counts.created).toBe(13);
    } finally {
      await paged.close();
    }
  });
});

describe('the safety limit', () => {
  it('stops a run that would preserve too many users, writes nothing, quarantines the tenant, and --allow-preserve proceeds', async () => {
    await applyDemo(db.store, mock, (t) => {
      t['safety'] = { maxPreserve: 1, maxPreservePercent: 50 };
    });
    await sync(db.store, mock);
    mock.directory.disableUser(user(9));
    mock.directory.softDeleteUser(user(20));
    const error = await sync(db.store, mock).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('SAFETY_LIMIT');
    expect((error as AppError).exitCode).toBe(6);
    expect((error as AppError).message).toContain('--allow-preserve');
    expect((await users()).filter((u) => u.status === 'active')).toHaveLength(13);
    expect(await count(`tenants where state = 'quarantined'`)).toBe(1);
    expect(await count(`sync_runs where status = 'quarantined'`)).toBe(1);
    expect(await count(`provisioning_log where reason = 'SAFETY_LIMIT'`)).toBe(2);

    // The dry run shows the trip without stopping; the real run needs the override.
    const dry = await sync(db.store, mock, { dryRun: true });
    // Tripped by the count, not the percentage: its report still carries every active user, not the early stop.
    expect(dry.safety).toMatchObject({ tripped: true, preserves: 2, activeBefore: 13 });
    const allowed = await sync(db.store, mock, { allowPreserve: true });
    expect(allowed.counts.preserved).toBe(2);
    expect(await count(`tenants where state = 'active'`)).toBe(1);
  });

  it('trips on the percentage of active users too (20% by default)', async () => {
    await applyDemo(db.store, mock);
    await sync(db.store, mock);
    for (const n of [2, 3, 4]) mock.directory.disableUser(user(n)); // 3 of 13 active users = 23%
    const error = await sync(db.store, mock).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('SAFETY_LIMIT');
    expect((error as AppError).message).toMatch(/3 of 13 active users .*20%/);
  });

  it('takes the percentage of the users active before the run, although the run also creates some', async () => {
    await applyDemo(db.store, mock);
    await sync(db.store, mock);
    // The count is taken after the decide step; the users created in the same run must not dilute it.
    for (let n = 1; n <= 5; n += 1) {
      const id = `d0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      mock.directory.addUser({ id, userPrincipalName: `new${n}@contoso.example`, mail: `new${n}@contoso.example`, displayName: `New ${n}`, userType: 'Member', accountEnabled: true });
    }
    for (const n of [2, 3, 4]) mock.directory.disableUser(user(n));
    const dry = await sync(db.store, mock, { dryRun: true });
    expect(dry.counts.created).toBe(5);
    expect(dry.safety).toMatchObject({ tripped: true, preserves: 3, activeBefore: 13 });
  });

  it('counts the active users only as far as the percentage needs when the run stays within it', async () => {
    await applyDemo(db.store, mock);
    await sync(db.store, mock);
    mock.directory.disableUser(user(2)); // 1 of 13 active users: well within 20%
    const r = await sync(db.store, mock);
    expect(r.counts.preserved).toBe(1);
    // Six active users are enough to know that 1 is within 20 %: the count stops there instead of
    // reading every inSync user of the tenant, so a small incremental run costs the same in a large one.
    expect(r.safety).toMatchObject({ tripped: false, preserves: 1, activeBefore: activeEnough(1, DEFAULT_SAFETY) });
  });

  it('does not count the active users of a run that preserves nobody', async () => {
    await applyDemo(db.store, mock);
    const r = await sync(db.store, mock);
    expect(r.safety).toMatchObject({ tripped: false, preserves: 0, activeBefore: null });
  });
});

describe('runs left running by a dead process', () => {
  it('are closed as ABANDONED by the next run that takes the tenant lock', async () => {
    await applyDemo(db.store, mock);
    await db.store.db.execute(sql`
      insert into sync_runs (tenant_id, mode, status) select id, 'full', 'running' from tenants where name = 'contoso'`);
    await sync(db.store, mock);
    const rows = await db.store.rows<{ status: string; error_code: string | null; finished: boolean }>(db.store.db, sql`
      select status, error_code, finished_at is not null as finished from sync_runs order by id`);
    expect(rows).toEqual([
      { status: 'failed', error_code: 'ABANDONED', finished: true },
      { status: 'succeeded', error_code: null, finished: true },
    ]);
  });
});
