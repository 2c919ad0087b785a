import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { applyConfig } from '../../src/admin/apply-config.js';
import { parseConfigFile } from '../../src/config/index.js';
import { AppError } from '../../src/core/app-error.js';
import type { TestStore } from '../support/test-store.js';
import { useTestStore } from '../support/use-store-and-mock.js';

let db: TestStore;
useTestStore((store) => {
  db = store;
});

const base = {
  name: 'contoso', encryption: 'kms', provisioningMethod: 'entra-import',
  entra: { directoryId: 'c0c0c0c0-0000-4000-8000-000000000000', clientId: 'a0a0a0a0-0000-4000-8000-000000000001', clientSecretEnv: 'CONTOSO_SECRET' },
  profiles: ['Default', 'Finance'], storages: ['US-East', 'EU-West'],
  mappings: [
    { name: 'Finance', groups: ['f1000000-0000-4000-8000-000000000001'], profile: 'Finance', storage: 'US-East', quota: '100GB' },
    { name: 'Seattle', attribute: { name: 'city', equals: 'Seattle' }, profile: 'Default', storage: 'US-East', quota: '50GB' },
    { name: 'Everyone', allUsers: true, profile: 'Default', storage: 'EU-West', quota: 'unlimited' },
  ],
};
const file = (tenant: object) => parseConfigFile(JSON.stringify({ tenants: [tenant] }), 'test.json');

async function scalar(query: string): Promise<unknown> {
  const [row] = await db.store.rows<{ v: unknown }>(db.store.db, sql.raw(query));
  return row?.v;
}

describe('entra-import apply', () => {
  it('creates, then reports nothing to do for the same file (idempotent)', async () => {
    const first = await applyConfig(db.store, file(base), 'test');
    expect(first[0]?.outcome).toBe('created');
    const second = await applyConfig(db.store, file(base), 'test');
    expect(second).toEqual([{ tenant: 'contoso', outcome: 'unchanged', changes: [] }]);
    expect(await scalar(`select mappings_version as v from tenants`)).toBe(1);
    expect(await scalar(`select count(*)::int as v from mappings`)).toBe(3);
  });

  it('reorders, edits and removes mappings, bumps the mappings version and audits each change', async () => {
    await applyConfig(db.store, file(base), 'test');
    const [finance, seattle] = base.mappings;
    const changed = await applyConfig(db.store, file({ ...base, encryption: 'byok', mappings: [seattle, { ...finance, quota: '200GB' }] }), 'alice');
    expect(changed[0]?.outcome).toBe('updated');
    expect(changed[0]?.changes).toEqual(expect.arrayContaining([
      'encryption: kms → byok',
      'mapping Everyone: removed',
      'mapping Seattle: priority 2 → 1',
      'mapping Finance: priority 1 → 2, quota 107374182400 → 214748364800',
    ]));
    expect(await scalar(`select mappings_version as v from tenants`)).toBe(2);
    expect(await scalar(`select string_agg(name, ',' order by priority) as v from mappings`)).toBe('Seattle,Finance');
    expect(await scalar(`select count(*)::int as v from audit_events where actor = 'alice'`)).toBe(4);
  });

  it('a bad file is refused before anything is written, naming the path and the problem', () => {
    const bad = { ...base, mappings: [{ ...base.mappings[0], profile: 'Nope', quota: '12 parsecs' }] };
    let error: unknown;
    try {
      file(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    const issues = (error as AppError).details['issues'] as { path: string; message: string }[];
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['tenants[0].mappings[0].profile', 'tenants[0].mappings[0].quota']));
  });
});

describe('the failure webhook in apply output and audit', () => {
  it('is the name of its environment variable, so that no token can reach them', async () => {
    await applyConfig(db.store, file({ ...base, notify: { webhookUrlEnv: 'CONTOSO_WEBHOOK_URL' } }), 'test');
    const changed = await applyConfig(db.store, file({ ...base, notify: { webhookUrlEnv: 'CONTOSO_ALERTS_URL' } }), 'test');
    expect(changed[0]?.changes).toEqual(['notifyWebhookEnv: CONTOSO_WEBHOOK_URL → CONTOSO_ALERTS_URL']);
    const audits = await db.store.rows<{ text: string }>(db.store.db, sql`select coalesce(before::text, '') || coalesce(after::text, '') as text from audit_events`);
    expect(audits.map((a) => a.text).join(' ')).toContain('CONTOSO_ALERTS_URL');
  });
});
