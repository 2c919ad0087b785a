import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { listInsyncUsers } from '../../src/admin/list-insync-users.js';
import { listMappings } from '../../src/admin/list-mappings.js';
import { listTenants } from '../../src/admin/list-tenants.js';
import { setEncryption } from '../../src/admin/set-encryption.js';
import { setProvisioningMethod } from '../../src/admin/set-provisioning-method.js';
import { tenantStatus } from '../../src/admin/tenant-status.js';
import type { MockGraph } from '../../src/mock-graph/start-mock-graph.js';
import type { TestStore } from '../support/test-store.js';
import { useStoreAndMock } from '../support/use-store-and-mock.js';
import { applyDemo, sync } from '../support/sync-harness.js';

const ACTOR = 'cli:tester';
const DAY = 86_400_000;
let db: TestStore;
let mock: MockGraph;

useStoreAndMock(async (store, graph) => {
  db = store;
  mock = graph;
  await applyDemo(db.store, mock);
});

const names = async () => (await listMappings(db.store, 'contoso')).map((m) => `${m.priority}:${m.name}`);
async function tenantRow() {
  const [row] = await db.store.rows<{ provisioning_method: string; encryption: string; mappings_version: number }>(
    db.store.db, sql`select provisioning_method, encryption, mappings_version from tenants where name = 'contoso'`);
  return row;
}
async function audits(action: string) {
  return db.store.rows<{ before: Record<string, unknown>; after: Record<string, unknown> }>(
    db.store.db, sql`select before, after from audit_events where action = ${action} and actor = ${ACTOR} order by id`);
}

describe(`tenant settings (${process.env['TEST_DATABASE_URL'] ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('leaving entra-import without confirmation changes nothing and names the group mappings', async () => {
    await sync(db.store, mock);
    const before = { row: await tenantRow(), mappings: await names(), users: await listInsyncUsers(db.store, 'contoso') };
    const refused = setProvisioningMethod(db.store, 'contoso', 'scim', { confirmed: false }, ACTOR);
    await expect(refused).rejects.toMatchObject({ code: 'CONFIRMATION_REQUIRED', exitCode: 2, details: { groupMappings: ['Finance'] } });
    await expect(refused).rejects.toThrow('Finance');
    expect({ row: await tenantRow(), mappings: await names(), users: await listInsyncUsers(db.store, 'contoso') }).toEqual(before);
    expect(await audits('tenant.set-method')).toEqual([]);
  });

  it('with confirmation drops group mappings only, makes users manual, and stops the import', async () => {
    await sync(db.store, mock);
    const v0 = (await tenantRow())?.mappings_version ?? 0;
    const change = await setProvisioningMethod(db.store, 'contoso', 'ad-ldap', { confirmed: true }, ACTOR);
    expect(change).toMatchObject({ from: 'entra-import', to: 'ad-ldap', outcome: 'changed', usersMadeManual: 13 });
    expect(change.groupMappingsRemoved.map((m) => m.name)).toEqual(['Finance']);
    expect(await names()).toEqual(['1:Seattle', '2:Everyone']);
    expect(await tenantRow()).toMatchObject({ provisioning_method: 'ad-ldap', mappings_version: v0 + 1 });
    const users = await listInsyncUsers(db.store, 'contoso');
    expect(users).toHaveLength(13);
    expect(users.every((u) => u.source === 'manual')).toBe(true);
    const [audit] = await audits('tenant.set-method');
    expect(audit?.before).toMatchObject({ provisioningMethod: 'entra-import', groupMappings: [{ name: 'Finance' }] });
    expect(audit?.after).toMatchObject({ provisioningMethod: 'ad-ldap', usersMadeManual: 13 });
    await expect(sync(db.store, mock)).rejects.toMatchObject({ code: 'METHOD_NOT_ENTRA_IMPORT' });
    expect((await tenantStatus(db.store, 'contoso')).nextRunAt).toBeNull();
    // Back to entra-import needs no confirmation; the users stay manual (the product does not re-map them).
    expect(await setProvisioningMethod(db.store, 'contoso', 'entra-import', { confirmed: false }, ACTOR)).toMatchObject({ outcome: 'changed' });
    expect((await listInsyncUsers(db.store, 'contoso')).every((u) => u.source === 'manual')).toBe(true);
  });

  it('sets encryption, audited; "none" makes the sync refuse', async () => {
    expect(await setEncryption(db.store, 'contoso', 'kms', ACTOR)).toMatchObject({ outcome: 'unchanged' });
    expect(await setEncryption(db.store, 'contoso', 'none', ACTOR)).toMatchObject({ from: 'kms', to: 'none', outcome: 'changed' });
    expect(await audits('tenant.set-encryption')).toEqual([{ before: { encryption: 'kms' }, after: { encryption: 'none' } }]);
    await expect(sync(db.store, mock)).rejects.toMatchObject({ code: 'ENCRYPTION_REQUIRED' });
    await setEncryption(db.store, 'contoso', 'byok', ACTOR);
    await expect(sync(db.store, mock)).resolves.toMatchObject({ counts: { created: 13 } });
  });

  it('lists tenants with their counts', async () => {
    expect(await listTenants(db.store)).toEqual([
      { name: 'contoso', encryption: 'kms', provisioningMethod: 'entra-import', state: 'active', stateReason: null, schedule: '0 * * * *', mappings: 3, insyncUsers: 0 },
    ]);
    await sync(db.store, mock);
    expect((await listTenants(db.store))[0]).toMatchObject({ mappings: 3, insyncUsers: 13 });
  });
});

describe(`tenant status (${process.env['TEST_DATABASE_URL'] ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('reports state, the last run, cursor ages and user counts', async () => {
    const empty = await tenantStatus(db.store, 'contoso');
    expect(empty).toMatchObject({ state: 'active', lastRun: null, cursors: [], users: { total: 0 }, warnings: [] });
    await sync(db.store, mock);
    await db.store.db.execute(sql`update insync_users set status = 'preserved', source = 'manual' where email = 'lee.gu@contoso.example'`);
    const now = new Date();
    const s = await tenantStatus(db.store, 'contoso', now);
    expect(s).toMatchObject({
      tenant: 'contoso', state: 'active', encryption: 'kms', provisioningMethod: 'entra-import', mappingsChangedSinceLastRun: false,
      lastRun: { status: 'succeeded', counts: { created: 13 }, errorCode: null },
      users: { byStatus: { active: 12, preserved: 1 }, bySource: { auto: 12, manual: 1 }, total: 13 },
      warnings: [],
    });
    expect(s.cursors.map((c) => c.stream)).toContain('users');
    expect(s.cursors.every((c) => !c.stale && c.ageDays < 1)).toBe(true);
    expect(Date.parse(s.nextRunAt ?? '')).toBeGreaterThan(now.getTime() - 1000);
  });

  it('warns about delta links older than five days, and about a tenant that will not run', async () => {
    await sync(db.store, mock);
    const now = new Date();
    await db.store.db.execute(sql`update delta_cursors set updated_at = ${new Date(now.getTime() - 6 * DAY).toISOString()}::timestamptz where stream = 'users'`);
    const old = await tenantStatus(db.store, 'contoso', now);
    expect(old.cursors.find((c) => c.stream === 'users')).toMatchObject({ stale: true, ageDays: 6 });
    expect(old.warnings.join('\n')).toMatch(/users.*6\.0 days old/);
    // Just under five days is no warning yet.
    await db.store.db.execute(sql`update delta_cursors set updated_at = ${new Date(now.getTime() - 4.9 * DAY).toISOString()}::timestamptz where stream = 'users'`);
    expect((await tenantStatus(db.store, 'contoso', now)).cursors.find((c) => c.stream === 'users')?.stale).toBe(false);

    await db.store.db.execute(sql`update tenants set state = 'quarantined', state_reason = 'safety limit' where name = 'contoso'`);
    await setEncryption(db.store, 'contoso', 'none', ACTOR);
    const blocked = await tenantStatus(db.store, 'contoso', now);
    expect(blocked).toMatchObject({ state: 'quarantined', stateReason: 'safety limit', nextRunAt: null });
    expect(blocked.warnings.join('\n')).toContain('quarantined: safety limit');
    expect(blocked.warnings.join('\n')).toContain('encryption is none');
  });

  it('shows a failed last run with its error, and pending mapping changes', async () => {
    await setEncryption(db.store, 'contoso', 'none', ACTOR);
    await expect(sync(db.store, mock)).rejects.toThrow();
    const s = await tenantStatus(db.store, 'contoso');
    expect(s.lastRun).toMatchObject({ status: 'refused', errorCode: 'ENCRYPTION_REQUIRED' });
    expect(s.mappingsChangedSinceLastRun).toBe(true);
  });
});

describe('tenant pause and resume', () => {
  it('a paused tenant does not sync; resume lifts a pause or a quarantine, both audited', async () => {
    const { setTenantState } = await import('../../src/admin/set-tenant-state.js');
    expect(await setTenantState(db.store, 'contoso', 'paused', ACTOR, 'migration weekend')).toMatchObject({ from: 'active', to: 'paused', outcome: 'changed' });
    const refused = await sync(db.store, mock).catch((e: unknown) => e);
    expect((refused as { code?: string }).code).toBe('TENANT_LOCKED');
    expect(mock.stats().totalRequests).toBe(0);
    await db.store.db.execute(sql`update tenants set state = 'quarantined', state_reason = 'failing for 3 days' where name = 'contoso'`);
    expect(await setTenantState(db.store, 'contoso', 'active', ACTOR, null)).toMatchObject({ from: 'quarantined', to: 'active' });
    expect((await sync(db.store, mock)).counts.created).toBe(13);
    expect(await audits('tenant.pause')).toEqual([{ before: { state: 'active', stateReason: null }, after: { state: 'paused', stateReason: 'migration weekend' } }]);
    expect(await audits('tenant.resume')).toHaveLength(1);
  });
});
