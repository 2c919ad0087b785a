import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockGraph } from '../../src/mock-graph/start-mock-graph.js';
import { SECRET, startFixtureMock, DEMO_CONFIG } from '../support/sync-harness.js';
import { readFile } from 'node:fs/promises';

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
function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'entra-import-e2e-'));
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
    const name = `ei_e2e_${process.pid}_${Date.now()}`;
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
});

afterAll(async () => {
  await mock?.close();
  await dropDatabase?.();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the entra-import command', () => {
  it('--help lists the commands and exit codes', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const command of ['apply', 'sync', 'users', 'runs', 'log', 'connection', 'mock-graph']) expect(r.stdout).toContain(command);
    expect(r.stdout).toContain('Exit codes');
  });

  it('refuses a bad configuration file with the path of each problem and exit code 2', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ tenants: [{ name: 'x', encryption: 'rot13' }] }));
    const r = await cli(['apply', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CONFIG_INVALID');
    expect(r.stderr).toContain('tenants[0].encryption');
  });

  it('applies, imports, and reports in the documented JSON shapes', async () => {
    const applied = await cli(['apply', join(dir, 'config.json')]);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('tenant contoso: created');

    const synced = await cli(['sync', 'contoso', '--json']);
    expect(synced.code).toBe(0);
    expect(JSON.parse(synced.stdout)).toEqual({
      created: 13, updated: 0, preserved: 0, reactivated: 0, unchanged: 0,
      skipped: { GUEST: 2, USER_TYPE_MISSING: 1, DISABLED: 3, NO_EMAIL: 1 },
    });

    const listed = await cli(['users', 'contoso', '--json']);
    expect(listed.code).toBe(0);
    const users = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(users).toHaveLength(13);
    expect(users.find((u) => u['email'] === 'lee.gu@contoso.example')).toEqual({
      email: 'lee.gu@contoso.example', displayName: 'Lee Gu', entraObjectId: 'b0000000-0000-4000-8000-000000000009',
      status: 'active', mapping: 'Everyone', profile: 'Default', storage: 'EU-West', quotaBytes: null, source: 'auto', preservedReason: null,
    });

    const again = await cli(['sync', 'contoso', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, updated: 0 });

    const runs = await cli(['runs', 'contoso', '--json']);
    expect((JSON.parse(runs.stdout) as { status: string }[]).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);

    const log = await cli(['log', 'contoso', '--user', 'ADELE.VANCE@contoso.example']);
    expect(log.code).toBe(0);
    expect(log.stdout).toContain('MATCHED');
    expect(log.stdout).toContain('adele.vance@contoso.example');
  });

  it('says which secret is missing, with exit code 3, and never prints a secret', async () => {
    const r = await cli(['sync', 'contoso'], { CONTOSO_GRAPH_SECRET: '' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('CONTOSO_GRAPH_SECRET');
    expect(r.stderr).toContain('SECRET_MISSING');
    const wrong = await cli(['sync', 'contoso', '--full'], { CONTOSO_GRAPH_SECRET: 'not-the-secret-xyz' });
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toContain('GRAPH_AUTH');
    expect(wrong.stderr + wrong.stdout).not.toContain('not-the-secret-xyz');
  });

  it('connection test: every check ok is exit 0; a missing permission is exit 4 and names it (§9b, D9)', async () => {
    const ok = await cli(['connection', 'test', 'contoso', '--json']);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    const report = JSON.parse(ok.stdout) as { ok: boolean; checks: { name: string; status: string }[] };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([
      ['credentials', 'ok'], ['token', 'ok'], ['User.Read.All', 'ok'], ['GroupMember.Read.All', 'ok'], ['MailboxSettings.Read', 'skipped'],
    ]);
    // A second tenant on the fixture's app that has no roles at all.
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { tenants: Record<string, unknown>[] };
    const tenant: Record<string, unknown> = { ...config.tenants[0], name: 'noroles' };
    tenant['entra'] = { ...(tenant['entra'] as object), clientId: 'a0a0a0a0-0000-4000-8000-000000000002', clientSecretEnv: 'NO_ROLES_SECRET' };
    await writeFile(join(dir, 'noroles.json'), JSON.stringify({ tenants: [tenant] }));
    expect((await cli(['apply', join(dir, 'noroles.json')])).code).toBe(0);
    const denied = await cli(['connection', 'test', 'noroles'], { NO_ROLES_SECRET: 'mock-secret-no-roles' });
    expect(denied.code).toBe(4);
    expect(denied.stdout).toContain('the app lacks the application permission User.Read.All; grant it');
    expect(denied.stdout).toContain('connection test failed');
    expect(denied.stderr).toContain('GRAPH_FORBIDDEN');
  });

  it('an unknown tenant is a usage error', async () => {
    const r = await cli(['users', 'nosuch']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('TENANT_NOT_FOUND');
  });
});
