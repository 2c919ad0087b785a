import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockGraph } from '../../src/mock-graph/start-mock-graph.js';
import { DEMO_CONFIG, SECRET, startFixtureMock } from '../support/sync-harness.js';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));
let dir: string;
let mock: MockGraph;
let env: NodeJS.ProcessEnv;
let dropDatabase: (() => Promise<void>) | null = null;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real binary in a child process, as an operator runs it. */
function cli(args: string[]): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function json<T>(args: string[]): Promise<T> {
  const r = await cli([...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'entra-import-admin-e2e-'));
  mock = await startFixtureMock();
  await writeFile(join(dir, 'ca.pem'), mock.caPem ?? '');
  await writeFile(join(dir, 'config.json'), (await readFile(DEMO_CONFIG, 'utf8')).replaceAll('https://localhost:8443', mock.url));
  env = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem'),
    ENTRA_IMPORT_DATA_DIR: join(dir, 'data'),
    CONTOSO_GRAPH_SECRET: SECRET,
  };
  const pg = process.env['TEST_DATABASE_URL'];
  if (pg) {
    const name = `ei_e2e_admin_${process.pid}_${Date.now()}`;
    const admin = postgres(pg, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(pg);
    url.pathname = `/${name}`;
    env['DATABASE_URL'] = url.toString();
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    };
  }
  const applied = await cli(['apply', join(dir, 'config.json')]);
  expect(applied.code).toBe(0);
});

afterAll(async () => {
  await mock?.close();
  await dropDatabase?.();
  if (dir) await rm(dir, { recursive: true, force: true });
});

type Mapping = { name: string; priority: number; kind: string; selector: unknown; profile: string; storage: string; quotaBytes: number | null };

// Each run of the binary opens the database afresh (seconds on PGlite under load), hence the timeout.
describe('the admin commands', { timeout: 180_000 }, () => {
  it('--help lists the new command groups', async () => {
    const r = await cli(['--help']);
    for (const command of ['status', 'mapping', 'tenant']) expect(r.stdout).toContain(command);
    const users = await cli(['users', '--help']);
    for (const sub of ['search', 'import', 'preserve', 'reactivate']) expect(users.stdout).toContain(sub);
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
