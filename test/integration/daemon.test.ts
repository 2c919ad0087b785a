import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { createLogger, silentLogger } from '../../src/core/logger.js';
import type { MockGraph } from '../../src/mock-graph/start-mock-graph.js';
import { createDaemonMetrics } from '../../src/scheduler/daemon-metrics.js';
import { DEFAULT_BACKOFF } from '../../src/scheduler/decide-attempt.js';
import { startHealthServer } from '../../src/scheduler/health-server.js';
import { createWebhookNotifier, type FailureNotice } from '../../src/scheduler/notify-webhook.js';
import { runDaemon, type DaemonOptions } from '../../src/scheduler/run-daemon.js';
import { runTenant, type TenantRunDeps } from '../../src/scheduler/run-tenant.js';
import { syncRuns, tenants } from '../../src/store/schema.js';
import { applyDemo, SECRET, startFixtureMock } from '../support/sync-harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

let t: TestStore;
let mock: MockGraph;
const notices: FailureNotice[] = [];
const noticeUrls: string[] = [];
const fast = { retry: { baseDelayMs: 1, maxDelayMs: 20 } };
const WEBHOOK_URL = 'https://hooks.example.com/services/T0/B0/s3cr3t-hook-token';
const WEBHOOK_ENV = { CONTOSO_WEBHOOK_URL: WEBHOOK_URL };

/** The webhook receiver: the notifier's fetch, injected, so that the test sees what would be POSTed where. */
const receiver: typeof globalThis.fetch = async (url, init) => {
  noticeUrls.push(String(url));
  notices.push(JSON.parse(String(init?.body)) as FailureNotice);
  return new Response(null, { status: 204 });
};
const notifier = () => createWebhookNotifier({ clock: systemClock, logger: silentLogger, fetch: receiver });

beforeAll(async () => {
  [t, mock] = await Promise.all([openTestStore(), startFixtureMock({ pageSizes: { usersDelta: 5 } })]);
});
afterAll(async () => {
  await Promise.all([t?.close(), mock?.close()]);
});
beforeEach(async () => {
  await t.reset();
  await applyDemo(t.store, mock, (tenant) => {
    tenant['schedule'] = '* * * * * *';
    tenant['notify'] = { webhookUrlEnv: 'CONTOSO_WEBHOOK_URL' };
  });
  notices.length = 0;
  noticeUrls.length = 0;
});
afterEach(() => mock.faults.clear());

const tenantRow = async () => (await t.store.db.select().from(tenants).where(eq(tenants.name, 'contoso')))[0]!;
const runs = () => t.store.db.select().from(syncRuns).orderBy(syncRuns.id);

function deps(env: NodeJS.ProcessEnv, signal = new AbortController().signal): TenantRunDeps {
  return {
    store: t.store, logger: silentLogger, clock: systemClock, env, graphCa: mock.caPem, graph: fast,
    metrics: createDaemonMetrics(), notifier: notifier(), policy: DEFAULT_BACKOFF, signal,
  };
}

describe('one scheduled run (runTenant)', () => {
  it('records metrics for a success, including Graph requests', async () => {
    const d = deps({ CONTOSO_GRAPH_SECRET: SECRET });
    const run = await runTenant(await tenantRow(), 'test', d);
    expect(run.outcome).toBe('succeeded');
    const text = await d.metrics.registry.metrics();
    expect(text).toContain('entra_import_runs_total{tenant="contoso",outcome="succeeded"} 1');
    expect(text).toContain('entra_import_users_total{tenant="contoso",action="created"} 13');
    expect(text).toMatch(/entra_import_graph_requests_total\{tenant="contoso"\} [1-9]/);
    expect(text).toMatch(/entra_import_last_success_timestamp_seconds\{tenant="contoso"\} \d/);
  });

  it('notifies a failure without secrets, and quarantines after days of continuous failure', async () => {
    const tenant = await tenantRow();
    const d = deps({ ...WEBHOOK_ENV });
    const first = await runTenant(tenant, 'test', d);
    expect(first).toMatchObject({ outcome: 'refused', quarantined: false });
    await d.notifier.idle();
    expect(notices).toEqual([expect.objectContaining({ tenant: 'contoso', errorCode: 'SECRET_MISSING', state: 'active', runId: expect.any(Number) })]);
    expect(noticeUrls).toEqual([WEBHOOK_URL]);
    expect(JSON.stringify(notices)).not.toContain(SECRET);

    // The streak began four days ago.
    await t.store.db.update(syncRuns).set({ startedAt: new Date(Date.now() - 4 * 86_400_000) });
    const second = await runTenant(tenant, 'test', d);
    expect(second).toMatchObject({ outcome: 'refused', quarantined: true });
    await d.notifier.idle();
    expect(notices[1]).toMatchObject({ errorCode: 'SECRET_MISSING', state: 'quarantined' });
    expect(await tenantRow()).toMatchObject({ state: 'quarantined', stateReason: expect.stringContaining('SECRET_MISSING') });
  });

  it('stores only the name of the webhook variable, never the URL', async () => {
    expect((await tenantRow()).notifyWebhookEnv).toBe('CONTOSO_WEBHOOK_URL');
    const dump = await t.store.db.execute(sql`select row_to_json(x)::text as row from tenants x`);
    expect(JSON.stringify(dump)).not.toContain('s3cr3t-hook-token');
  });

  it.each([
    [{}, 'CONTOSO_WEBHOOK_URL is not set'],
    [{ CONTOSO_WEBHOOK_URL: 'http://hooks.example.com/s3cr3t-hook-token' }, 'CONTOSO_WEBHOOK_URL must use https'],
    [{ CONTOSO_WEBHOOK_URL: 'https://me:s3cr3t-hook-token@hooks.example.com/x' }, 'CONTOSO_WEBHOOK_URL must not carry a user name or password'],
  ])('sends no notice, and says why without the URL, when the variable is %j', async (env, reason) => {
    const lines = new PassThrough();
    let logged = '';
    lines.on('data', (chunk) => (logged += String(chunk)));
    const run = await runTenant(await tenantRow(), 'test', { ...deps(env), logger: createLogger({ destination: lines }) });
    expect(run).toMatchObject({ outcome: 'refused' });
    expect(notices).toEqual([]);
    expect(logged).toContain(`failure notice not sent: the webhook URL in the environment variable ${reason}`);
    expect(logged).not.toContain('s3cr3t-hook-token');
  });
});

describe('the daemon', () => {
  const options: DaemonOptions = {
    concurrency: 2, metricsPort: 0, metricsHost: '127.0.0.1', refreshIntervalMs: 60_000, shutdownTimeoutMs: 20_000,
    policy: DEFAULT_BACKOFF, cluster: null,
  };

  it('runs a tenant on its schedule, serves health and metrics, and stops on SIGTERM', async () => {
    const signals = new EventEmitter();
    let port = 0;
    const daemon = runDaemon(options, {
      store: t.store, logger: silentLogger, clock: systemClock, env: { CONTOSO_GRAPH_SECRET: SECRET, ...WEBHOOK_ENV }, graphCa: mock.caPem, graph: fast,
      notifier: notifier(), signals,
      onReady: (info) => (port = info.metricsPort ?? 0),
    });
    await vi.waitFor(async () => expect((await runs()).some((r) => r.status === 'succeeded')).toBe(true), { timeout: 30_000, interval: 200 });
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('entra_import_runs_total{tenant="contoso",outcome="succeeded"}');
    signals.emit('SIGTERM');
    await expect(daemon).resolves.toBeUndefined();
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    // Every second is a slot, but a tenant never ran twice at once.
    const finished = (await runs()).filter((r) => r.status !== 'refused');
    for (let i = 1; i < finished.length; i += 1) {
      expect(finished[i]!.startedAt.getTime()).toBeGreaterThanOrEqual(finished[i - 1]!.finishedAt?.getTime() ?? Infinity);
    }
  });

  it('aborts a slow run at a safe point on SIGTERM and exits cleanly', async () => {
    mock.faults.add({ match: { path: '/users/delta' }, kind: 'delay', delayMs: 400, times: Infinity });
    const signals = new EventEmitter();
    const daemon = runDaemon({ ...options, metricsPort: null }, {
      store: t.store, logger: silentLogger, clock: systemClock, env: { CONTOSO_GRAPH_SECRET: SECRET, ...WEBHOOK_ENV }, graphCa: mock.caPem, graph: fast,
      notifier: notifier(), signals,
    });
    await vi.waitFor(async () => expect((await runs()).some((r) => r.status === 'running')).toBe(true), { timeout: 30_000, interval: 100 });
    signals.emit('SIGTERM');
    await expect(daemon).resolves.toBeUndefined();
    const rows = await runs();
    expect(rows.map((r) => [r.status, r.errorCode])).toEqual([['failed', 'ABORTED']]);
    expect(notices).toEqual([]); // our own shutdown is not the tenant's failure
  });

  it('gives up after the shutdown timeout with ABORTED', async () => {
    mock.faults.add({ match: { path: '/users/delta' }, kind: 'delay', delayMs: 3_000, times: Infinity });
    const signals = new EventEmitter();
    const daemon = runDaemon({ ...options, metricsPort: null, shutdownTimeoutMs: 50 }, {
      store: t.store, logger: silentLogger, clock: systemClock, env: { CONTOSO_GRAPH_SECRET: SECRET, ...WEBHOOK_ENV }, graphCa: mock.caPem, graph: fast,
      notifier: notifier(), signals,
    });
    await vi.waitFor(async () => expect((await runs()).some((r) => r.status === 'running')).toBe(true), { timeout: 30_000, interval: 100 });
    signals.emit('SIGTERM');
    await expect(daemon).rejects.toMatchObject({ code: 'ABORTED' });
    // Let the run reach its safe point before the next test truncates the tables.
    await vi.waitFor(async () => expect((await runs()).every((r) => r.status !== 'running')).toBe(true), { timeout: 30_000, interval: 100 });
  });

  it('does not schedule a paused tenant', async () => {
    await t.store.db.update(tenants).set({ state: 'paused', stateReason: 'maintenance' });
    const signals = new EventEmitter();
    let ready = false;
    const daemon = runDaemon({ ...options, metricsPort: null }, {
      store: t.store, logger: silentLogger, clock: systemClock, env: { CONTOSO_GRAPH_SECRET: SECRET, ...WEBHOOK_ENV }, graphCa: mock.caPem,
      notifier: notifier(), signals, onReady: () => (ready = true),
    });
    await vi.waitFor(() => expect(ready).toBe(true));
    // A slot of the every-second schedule would have passed; the count query proves none ran.
    await new Promise((r) => setTimeout(r, 1_100));
    signals.emit('SIGTERM');
    await daemon;
    expect(await runs()).toEqual([]);
  });
});

describe('/readyz', () => {
  it('answers 503 when the database does not answer', async () => {
    const server = await startHealthServer({
      port: 0, host: '127.0.0.1', registry: createDaemonMetrics().registry, logger: silentLogger,
      checkDatabase: async () => { await t.store.db.execute(sql`select * from no_such_table`); },
    });
    try {
      expect((await fetch(`http://127.0.0.1:${server.port}/readyz`)).status).toBe(503);
      expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
