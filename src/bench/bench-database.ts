import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openStore, type Store } from '../store/open-store.js';

export type BenchDb = 'pglite' | 'postgres';

/** The tables whose row counts a bench phase reports. */
export const COUNTED_TABLES = ['entra_users', 'entra_group_members', 'insync_users', 'provisioning_log'] as const;
export type RowCounts = Record<(typeof COUNTED_TABLES)[number], number>;

export interface BenchStore {
  store: Store;
  /** Where the data lives, for the report (no credentials). */
  where: string;
  /** A PostgreSQL server on this machine, whose processes' CPU time the bench can read. */
  localServer: boolean;
  countRows(): Promise<RowCounts>;
  close(): Promise<void>;
}

export const DEFAULT_BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A fresh, throwaway database per bench run: `create database` on the server of
 * BENCH_DATABASE_URL (dropped afterwards), or PGlite in a temporary folder (removed afterwards).
 * On disk, not in memory, so PGlite pays for its writes as a real deployment does.
 */
export async function openBenchStore(kind: BenchDb, env: NodeJS.ProcessEnv = process.env): Promise<BenchStore> {
  if (kind === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'entra-bench-'));
    const store = await openStore({ kind: 'pglite', dataDir: dir });
    return { store, where: `pglite ${dir}`, localServer: false, countRows: () => countRows(store), close: async () => { await store.close(); await rm(dir, { recursive: true, force: true }); } };
  }
  const serverUrl = env['BENCH_DATABASE_URL'] ?? DEFAULT_BENCH_DATABASE_URL;
  const url = new URL(serverUrl);
  const localServer = ['127.0.0.1', 'localhost', '[::1]', ''].includes(url.hostname);
  const name = `ei_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  if (localServer) {
    const existing = await admin<{ datname: string }[]>`select datname from pg_database where datname like 'ei\_bench\_%'`;
    for (const stale of abandonedBenchDatabases(existing.map((d) => d.datname), isAlive)) {
      await admin.unsafe(`drop database if exists ${stale} with (force)`);
    }
  }
  await admin.unsafe(`create database ${name}`);
  url.pathname = `/${name}`;
  try {
    const store = await openStore({ kind: 'postgres', url: url.toString() });
    return {
      store, where: `postgres ${url.host}/${name}`, localServer, countRows: () => countRows(store),
      close: async () => {
        await store.close();
        await dropDatabase(admin, name);
      },
    };
  } catch (err) {
    await dropDatabase(admin, name);
    throw err;
  }
}

/**
 * Databases left by benches that were killed before they could drop them (Ctrl-C, a timeout):
 * named after a process of this machine that no longer runs. A bench still running keeps its own.
 * Only for a server on this machine, where the process ids in the names mean something.
 */
export function abandonedBenchDatabases(names: readonly string[], alive: (pid: number) => boolean): string[] {
  return names.filter((name) => {
    const pid = /^ei_bench_(\d+)_[0-9a-f]+$/.exec(name)?.[1];
    return pid !== undefined && !alive(Number(pid));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function dropDatabase(admin: postgres.Sql, name: string): Promise<void> {
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end({ timeout: 5 });
}

async function countRows(store: Store): Promise<RowCounts> {
  const parts = COUNTED_TABLES.map((t) => `(select count(*)::int from ${t}) as ${t}`).join(', ');
  const [row] = await store.rows<RowCounts>(store.db, sql.raw(`select ${parts}`));
  if (!row) throw new Error('could not count rows');
  return row;
}
