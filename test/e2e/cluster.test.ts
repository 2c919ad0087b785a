import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { applyConfig } from '../../src/admin/apply-config.js';
import { parseConfigFile } from '../../src/config/index.js';
import type { MockGraph } from '../../src/mock-graph/start-mock-graph.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { DEMO_CONFIG, SECRET, startFixtureMock } from '../support/sync-harness.js';

/*
 * Three real `daemon --cluster` processes share twenty tenants through pg-boss on one fresh
 * PostgreSQL database; one is killed (SIGKILL) in the middle of a run. Every tenant must end up
 * synced exactly once over (13 users), no tenant may ever have had two runs at once, and the
 * killed run must have been retried elsewhere after its job timed out.
 */
const PG = process.env['TEST_DATABASE_URL'];
const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));
const TENANTS = Array.from({ length: 20 }, (_, i) => `tenant-${String(i + 1).padStart(2, '0')}`);

interface Worker { child: ChildProcess; lines: string[]; exited: Promise<number | null> }

let dir: string;
let mock: MockGraph;
let store: Store;
let databaseUrl: string;
let dropDatabase = async () => {};
const workers: Worker[] = [];

function startWorker(env: NodeJS.ProcessEnv): Worker {
  const child = spawn(process.execPath, [BIN, 'daemon', '--cluster', '--concurrency', '2', '--job-timeout', '8',
    '--retry-limit', '3', '--retry-delay', '1', '--poll', '0.5', '--metrics-port', '0'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const lines: string[] = [];
  let rest = '';
  child.stderr!.on('data', (d: Buffer) => {
    const parts = (rest + d.toString()).split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, lines, exited };
}

describe.skipIf(!PG)('cluster mode: three workers, twenty tenants, one killed', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'entra-import-cluster-'));
    // Small pages, each a little late: a run takes a few seconds, long enough to be killed in.
    mock = await startFixtureMock({ pageSizes: { usersDelta: 4 } });
    mock.faults.add({ match: { path: '/users/delta' }, kind: 'delay', delayMs: 600, times: Infinity });
    await writeFile(join(dir, 'ca.pem'), mock.caPem ?? '');

    const name = `ei_cluster_${process.pid}_${Date.now()}`;
    const admin = postgres(PG!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(PG!);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    };

    const demo = JSON.parse((await readFile(DEMO_CONFIG, 'utf8')).replaceAll('https://localhost:8443', mock.url)) as { tenants: Record<string, unknown>[] };
    const config = { tenants: TENANTS.map((n) => ({ ...demo.tenants[0], name: n, schedule: '* * * * *' })) };
    store = await openStore({ kind: 'postgres', url: databaseUrl });
    await applyConfig(store, parseConfigFile(JSON.stringify(config), 'cluster-test'), 'test');
  });

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await store?.close();
    await mock?.close();
    await dropDatabase();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('syncs every tenant once, never two runs of a tenant at once, and retries the killed run', async () => {
    const env = {
      PATH: process.env['PATH'], HOME: process.env['HOME'], DATABASE_URL: databaseUrl, LOG_LEVEL: 'info',
      NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem'), CONTOSO_GRAPH_SECRET: SECRET,
    };
    for (let i = 0; i < 3; i += 1) workers.push(startWorker(env));

    // Kill the first worker seen starting a run, while that run is in progress.
    const started = (w: Worker) => w.lines.map(parse).find((l) => l?.['msg'] === 'sync run started');
    const victim = await vi.waitFor(() => {
      const w = workers.find((x) => started(x));
      if (!w) throw new Error('no run started yet');
      return w;
    }, { timeout: 60_000, interval: 50 });
    const killedTenant = String(started(victim)?.['tenant']);
    expect(workers.map((w) => w.child.exitCode), 'a worker exited on its own').toEqual([null, null, null]);
    victim.child.kill('SIGKILL');
    await victim.exited;

    await vi.waitFor(async () => {
      const done = await store.rows<{ n: number }>(store.db, sqlCountSynced());
      expect(Number(done[0]?.n)).toBe(TENANTS.length);
    }, { timeout: 90_000, interval: 500 }).catch(async (err: unknown) => {
      // Say why: the runs' outcomes and the workers' last log lines.
      const rows = await store.rows(store.db, sql`select status, error_code, count(*)::int as n from sync_runs group by 1, 2`);
      throw new Error(`${String(err)}\nruns: ${JSON.stringify(rows)}\n${workers.map((w) => w.lines.slice(-15).join('\n')).join('\n--\n')}`);
    });

    for (const w of workers.filter((x) => x !== victim)) w.child.kill('SIGTERM');
    const codes = await Promise.all(workers.filter((x) => x !== victim).map((w) => w.exited));
    expect(codes).toEqual([0, 0]);

    const runs = await store.rows<RunRow>(store.db, sqlRuns());
    for (const tenant of TENANTS) {
      const mine = runs.filter((r) => r.tenant === tenant);
      const succeeded = mine.filter((r) => r.status === 'succeeded');
      expect(succeeded.length, tenant).toBeGreaterThanOrEqual(1);
      expect(succeeded.reduce((sum, r) => sum + Number(r.created ?? 0), 0), tenant).toBe(13);
      expect(Number(mine[0]?.users), tenant).toBe(13);
      // Runs of one tenant follow each other: each starts after the previous one finished.
      for (let i = 1; i < mine.length; i += 1) {
        const prev = mine[i - 1]!;
        expect(prev.finished_at, `${tenant} run ${prev.id} never finished`).not.toBeNull();
        expect(new Date(mine[i]!.started_at).getTime(), `${tenant} runs ${prev.id} and ${mine[i]!.id} overlap`)
          .toBeGreaterThanOrEqual(new Date(prev.finished_at!).getTime());
      }
    }
    const killed = runs.filter((r) => r.tenant === killedTenant);
    const abandoned = killed.find((r) => r.error_code === 'ABANDONED');
    expect(abandoned, `the killed run of ${killedTenant} was not closed as ABANDONED`).toBeDefined();
    expect(killed.some((r) => r.status === 'succeeded' && r.id > abandoned!.id)).toBe(true);
  }, 150_000);
});

interface RunRow extends Record<string, unknown> {
  id: number; tenant: string; status: string; error_code: string | null; created: string | null;
  started_at: string | Date; finished_at: string | Date | null; users: string;
}

function parse(line: string): Record<string, unknown> | null {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const sqlCountSynced = () => sql`select count(distinct tenant_id)::int as n from sync_runs where status = 'succeeded'`;
const sqlRuns = () => sql`
  select r.id, t.name as tenant, r.status, r.error_code, r.counts->>'created' as created, r.started_at, r.finished_at,
         (select count(*) from insync_users u where u.tenant_id = t.id) as users
  from sync_runs r join tenants t on t.id = r.tenant_id where r.status <> 'refused' order by t.name, r.started_at, r.id`;
