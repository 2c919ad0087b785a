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
  const name = `ei_bench_${randomBytes(5).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    const store = await openStore({ kind: 'postgres', url: url.toString() });
    return {
      store, where: `postgres ${url.host}/${name}`, localServer: ['127.0.0.1', 'localhost', '[::1]', ''].includes(url.hostname), countRows: () => countRows(store),
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
