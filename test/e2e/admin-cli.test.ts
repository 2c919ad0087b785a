import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCliSandbox } from '../support/cli-sandbox.js';

const sandbox = useCliSandbox('entra-import-admin-e2e-');
const cli = (args: string[], extraEnv?: NodeJS.ProcessEnv) => sandbox.cli(args, extraEnv);

async function json<T>(args: string[]): Promise<T> {
  const r = await cli([...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
}

beforeAll(async () => {
  const applied = await cli(['apply', join(sandbox.dir, 'config.json')]);
  expect(applied.code).toBe(0);
});

type Mapping = { name: string; priority: number; kind: string; selector: unknown; profile: string; storage: string; quotaBytes: number | null };

// Each run of the binary opens the database afresh (seconds on PGlite under load), hence the timeout.
describe('the admin commands', { timeout: 180_000 }, () => {
  it('--help lists the new command groups', async () => {
    const r = await cli(['--help']);
    for (const command of ['status', 'mapping', 'tenant']) expect(r.stdout).toContain(command);
    const users = await cli(['users', '--help']);
    for (const sub of ['search', 'import', 'adopt', 'preserve', 'reactivate', 'move-storage']) expect(users.stdout).toContain(sub);
  });

  it('lists, adds and moves mappings', async () => {
    const listed = await json<Mapping[]>(['mapping', 'list', 'contoso']);
    expect(listed[2]).toEqual({ name: 'Everyone', priority: 3, kind: 'all-users', selector: { kind: 'all-users' }, profile: 'Default', storage: 'EU-West', quotaBytes: null });

    const added = await cli(['mapping', 'add', 'contoso', 'Paris', '--attribute', 'city', '--equals', 'Paris', 'Berlin', '--profile', 'Finance', '--storage', 'EU-West', '--quota', '20GB']);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('added at priority 4');
    const moved = await json<{ name: string; priority: number }[]>(['mapping', 'move', 'contoso', 'Paris', '--to', '1']);
    expect(moved.map((m) => m.name)).toEqual(['Paris', 'Finance', 'Seattle', 'Everyone']);
  });

  it('refuses bad mapping input with exit code 2', async () => {

    const bad = await cli(['mapping', 'add', 'contoso', 'Bad', '--all-users', '--profile', 'Default', '--storage', 'US-East', '--quota', '12XB']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown unit');
    const two = await cli(['mapping', 'add', 'contoso', 'Bad', '--all-users', '--group', 'f1000000-0000-4000-8000-000000000001', '--profile', 'Default', '--storage', 'US-East', '--quota', '1GB']);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('not --group and --all-users');
  });

  it('removes a mapping only with --yes, after a preview', async () => {

    const unconfirmed = await cli(['mapping', 'remove', 'contoso', 'Paris']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stdout).toContain('0 inSync user(s) have it');
    expect(unconfirmed.stderr).toContain('CONFIRMATION_REQUIRED');
    expect((await json<Mapping[]>(['mapping', 'list', 'contoso'])).map((m) => m.name)).toContain('Paris');
    expect((await cli(['mapping', 'remove', 'contoso', 'Paris', '--yes'])).code).toBe(0);
    expect((await json<Mapping[]>(['mapping', 'list', 'contoso'])).map((m) => `${m.priority}:${m.name}`)).toEqual(['1:Finance', '2:Seattle', '3:Everyone']);
  });

  it('searches the directory without letting the text change the query', async () => {
    expect(await json<unknown[]>(['users', 'search', 'contoso', 'Ann" OR "userType:Guest" OR "x'])).toSatisfy((found: unknown[]) =>
      found.every((u) => (u as { userType: string }).userType !== 'Guest'));
    const adele = await json<{ id: string }[]>(['users', 'search', 'contoso', 'Adele']);
    expect(adele.map((u) => u.id)).toEqual(['b0000000-0000-4000-8000-000000000001']);
  });

  it('imports by hand, and preserves and reactivates', async () => {

    const imported = await json<{ action: string; reason: string }[]>([
      'users', 'import', 'contoso', 'lee.gu@contoso.example', 'b0000000-0000-4000-8000-000000000012', '--profile', 'Default', '--storage', 'US-East', '--quota', '5GB',
    ]);
    expect(imported.map((o) => o.reason)).toEqual(['MANUAL_IMPORT', 'GUEST']);
    const users = await json<{ email: string; source: string; quotaBytes: number }[]>(['users', 'contoso']);
    expect(users).toEqual([expect.objectContaining({ email: 'lee.gu@contoso.example', source: 'manual', quotaBytes: 5 * 2 ** 30 })]);

    expect((await json<{ status: string }>(['users', 'preserve', 'contoso', 'lee.gu@contoso.example'])).status).toBe('preserved');
    expect((await json<{ status: string }>(['users', 'reactivate', 'contoso', 'lee.gu@contoso.example'])).status).toBe('active');

    // Lee is linked already (imported by hand from Entra): adopting changes nothing.
    const adopted = await cli(['users', 'adopt', 'contoso', 'LEE.GU@contoso.example']);
    expect([adopted.code, adopted.stdout]).toEqual([0, 'lee.gu@contoso.example: already linked to Entra object b0000000-0000-4000-8000-000000000009; nothing changed\n']);
    const badId = await cli(['users', 'adopt', 'contoso', 'lee.gu@contoso.example', '--object-id', 'lee']);
    expect([badId.code, badId.stderr]).toEqual([2, 'entra-import: --object-id must be a GUID (got "lee") [USAGE]\n']);

    // Imported by hand, Lee has no mapping whose storage he could move to: only --to says where.
    const nowhere = await cli(['users', 'move-storage', 'contoso', 'lee.gu@contoso.example']);
    expect([nowhere.code, nowhere.stderr]).toEqual([2, expect.stringContaining('has no mapping to take a storage from')]);
    const moved = await cli(['users', 'move-storage', 'contoso', 'lee.gu@contoso.example', '--to', 'EU-West']);
    expect([moved.code, moved.stdout]).toEqual([0, 'lee.gu@contoso.example: storage US-East -> EU-West\n']);
    const both = await cli(['users', 'move-storage', 'contoso', 'lee.gu@contoso.example', '--all-pending']);
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining('name no user and no --to with it')]);
    const none = await cli(['users', 'move-storage', 'contoso', '--all-pending']);
    expect([none.code, none.stdout]).toEqual([0, '0 user(s) moved\n']);
  });

  it('switching away from entra-import without --yes changes nothing', async () => {
    const refused = await cli(['tenant', 'set-method', 'contoso', 'scim']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Finance');
    expect((await json<{ provisioningMethod: string }[]>(['tenant', 'list']))[0]?.provisioningMethod).toBe('entra-import');
  });

  it('with --yes the switch drops group mappings and the sync refuses', async () => {

    const done = await cli(['tenant', 'set-method', 'contoso', 'scim', '--yes']);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('group mapping Finance: removed');
    const sync = await cli(['sync', 'contoso']);
    expect(sync.code).toBe(3);
    expect(sync.stderr).toContain('METHOD_NOT_ENTRA_IMPORT');
  });

  it('status says why nothing runs; tenant settings validate their values', async () => {

    const status = await json<{ provisioningMethod: string; nextRunAt: string | null; lastRun: { errorCode: string }; users: { bySource: { manual: number } } }>(['status', 'contoso']);
    expect(status).toMatchObject({ provisioningMethod: 'scim', nextRunAt: null, lastRun: { errorCode: 'METHOD_NOT_ENTRA_IMPORT' }, users: { bySource: { manual: 1 } } });
    const text = await cli(['status', 'contoso']);
    expect(text.stdout).toContain('provisioning method is scim');

    expect((await cli(['tenant', 'set-method', 'contoso', 'fax'])).code).toBe(2);
    expect((await cli(['tenant', 'set-encryption', 'contoso', 'byok'])).stdout).toContain('kms → byok');
  });
});
