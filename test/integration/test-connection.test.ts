import { afterEach, describe, expect, it } from 'vitest';
import { testConnection, type ConnectionReport } from '../../src/admin/test-connection.js';
import { loadDirectorySeed } from '../../src/mock-graph/directory-seed.js';
import { startMockGraph, type MockGraph } from '../../src/mock-graph/start-mock-graph.js';
import type { TestStore } from '../support/test-store.js';
import { applyDemo, FIXTURE, SECRET } from '../support/sync-harness.js';
import { useTestStore } from '../support/use-store-and-mock.js';

const USERS_ONLY_APP = 'a0a0a0a0-0000-4000-8000-0000000000a1';
const NO_ROLES_APP = 'a0a0a0a0-0000-4000-8000-000000000002';
const ALL_ROLES_APP = 'a0a0a0a0-0000-4000-8000-000000000003';
const SECRETS = { CONTOSO_GRAPH_SECRET: SECRET, NO_ROLES: 'mock-secret-no-roles', ALL_ROLES: 'mock-secret-all-roles', USERS_ONLY: 'users-only-secret' };

let db: TestStore;
let mock: MockGraph;
useTestStore(async (store) => {
  db = store;
  const seed = await loadDirectorySeed(FIXTURE);
  // An app granted User.Read.All only, to see the groups check fail on its own.
  seed.apps.push({ clientId: USERS_ONLY_APP, clientSecret: SECRETS.USERS_ONLY, roles: ['User.Read.All'] });
  mock = await startMockGraph({ seed });
});
afterEach(async () => { await mock.close(); });

async function check(change: (t: Record<string, unknown>) => void = () => {}, env: NodeJS.ProcessEnv = SECRETS): Promise<ConnectionReport> {
  await applyDemo(db.store, mock, change);
  return testConnection(db.store, 'contoso', { env, graphCa: mock.caPem, graph: { retry: { baseDelayMs: 1, maxDelayMs: 20 } } });
}
const asApp = (clientId: string, secretEnv: string) => (t: Record<string, unknown>) => {
  Object.assign(t['entra'] as Record<string, unknown>, { clientId, clientSecretEnv: secretEnv });
};
const statuses = (r: ConnectionReport) => Object.fromEntries(r.checks.map((c) => [c.name, c.status]));
const messageOf = (r: ConnectionReport, name: string) => r.checks.find((c) => c.name === name)?.message ?? '';

describe(`connection test (${process.env['TEST_DATABASE_URL'] ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('§9b: gets a token and proves User.Read.All and, for a group mapping, GroupMember.Read.All with one cheap read each', async () => {
    const before = mock.stats().requests;
    const r = await check();
    expect(r.ok).toBe(true);
    expect(statuses(r)).toEqual({ credentials: 'ok', token: 'ok', 'User.Read.All': 'ok', 'GroupMember.Read.All': 'ok', 'MailboxSettings.Read': 'skipped' });
    const after = mock.stats().requests;
    expect((after['GET /v1.0/users'] ?? 0) - (before['GET /v1.0/users'] ?? 0)).toBe(1);
    expect((after['GET /v1.0/groups'] ?? 0) - (before['GET /v1.0/groups'] ?? 0)).toBe(1);
  });

  it('D9: an app without roles fails User.Read.All with a message naming the permission to grant', async () => {
    const r = await check(asApp(NO_ROLES_APP, 'NO_ROLES'));
    expect(r.ok).toBe(false);
    expect(statuses(r)).toMatchObject({ token: 'ok', 'User.Read.All': 'failed', 'GroupMember.Read.All': 'failed' });
    expect(messageOf(r, 'User.Read.All')).toMatch(/^the app lacks the application permission User\.Read\.All; grant it .*admin consent/);
  });

  it('GroupMember.Read.All is checked only when a mapping selects by group', async () => {
    const withGroups = await check(asApp(USERS_ONLY_APP, 'USERS_ONLY'));
    expect(withGroups.ok).toBe(false);
    expect(statuses(withGroups)).toMatchObject({ 'User.Read.All': 'ok', 'GroupMember.Read.All': 'failed' });
    expect(messageOf(withGroups, 'GroupMember.Read.All')).toMatch(/^the app lacks the application permission GroupMember\.Read\.All; grant it .*admin consent/);
    const noGroups = await check((t) => {
      asApp(USERS_ONLY_APP, 'USERS_ONLY')(t);
      t['mappings'] = (t['mappings'] as Record<string, unknown>[]).filter((m) => !('groups' in m));
    });
    expect(noGroups.ok).toBe(true);
    expect(statuses(noGroups)).toMatchObject({ 'User.Read.All': 'ok', 'GroupMember.Read.All': 'skipped' });
  });

  it('D15: with shared mailboxes included, MailboxSettings.Read is checked but only advised', async () => {
    const without = await check((t) => { t['includeSharedMailboxes'] = true; });
    expect(without.ok).toBe(true);
    expect(without.checks.find((c) => c.name === 'MailboxSettings.Read')).toMatchObject({ status: 'failed', required: false });
    expect(messageOf(without, 'MailboxSettings.Read')).toMatch(/lacks the application permission MailboxSettings\.Read/);
    const granted = await check((t) => { t['includeSharedMailboxes'] = true; asApp(ALL_ROLES_APP, 'ALL_ROLES')(t); });
    expect(statuses(granted)).toMatchObject({ 'MailboxSettings.Read': 'ok' });
  });

  it('D20: a wrong secret fails the token check and stops; a missing variable fails the credentials check', async () => {
    const wrong = await check(() => {}, { CONTOSO_GRAPH_SECRET: 'not-the-secret' });
    expect(wrong.ok).toBe(false);
    expect(statuses(wrong)).toEqual({ credentials: 'ok', token: 'failed' });
    expect(messageOf(wrong, 'token')).toMatch(/AADSTS7000215.*check the directory id, client id and secret/s);
    const missing = await check(() => {}, {});
    expect(statuses(missing)).toEqual({ credentials: 'failed' });
    expect(messageOf(missing, 'credentials')).toMatch(/CONTOSO_GRAPH_SECRET, which is not set/);
  });
});
