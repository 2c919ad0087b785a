import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliSandbox } from '../support/cli-sandbox.js';

const sandbox = useCliSandbox('entra-import-e2e-');
const cli = (args: string[], extraEnv?: NodeJS.ProcessEnv) => sandbox.cli(args, extraEnv);

describe('the entra-import command', () => {
  it('--help lists the commands and exit codes', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const command of ['apply', 'sync', 'users', 'runs', 'log', 'connection', 'mock-graph']) expect(r.stdout).toContain(command);
    expect(r.stdout).toContain('Exit codes');
  });

  it('refuses a bad configuration file with the path of each problem and exit code 2', async () => {
    const bad = join(sandbox.dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ tenants: [{ name: 'x', encryption: 'rot13' }] }));
    const r = await cli(['apply', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CONFIG_INVALID');
    expect(r.stderr).toContain('tenants[0].encryption');
  });

  it('applies, imports, and reports in the documented JSON shapes', async () => {
    const applied = await cli(['apply', join(sandbox.dir, 'config.json')]);
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
    const config = JSON.parse(await readFile(join(sandbox.dir, 'config.json'), 'utf8')) as { tenants: Record<string, unknown>[] };
    const tenant: Record<string, unknown> = { ...config.tenants[0], name: 'noroles' };
    tenant['entra'] = { ...(tenant['entra'] as object), clientId: 'a0a0a0a0-0000-4000-8000-000000000002', clientSecretEnv: 'NO_ROLES_SECRET' };
    await writeFile(join(sandbox.dir, 'noroles.json'), JSON.stringify({ tenants: [tenant] }));
    expect((await cli(['apply', join(sandbox.dir, 'noroles.json')])).code).toBe(0);
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
