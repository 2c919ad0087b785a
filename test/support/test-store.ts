import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openStore, type Store } from '../../src/store/open-store.js';

/**
 * A store for one test file: PGlite in memory by default (no server needed), or a fresh database
 * on the PostgreSQL server named by TEST_DATABASE_URL (CI runs the database suites both ways).
 * A database per file, because drizzle's migrations create tables in "public".
 */
export interface TestStore {
  store: Store;
  driver: 'pglite' | 'postgres';
  /** The fresh database's URL, on PostgreSQL. */
  url?: string;
  /** Empties every table between tests; far cheaper than a new PGlite. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const TABLES = [
  'provisioning_log', 'audit_events', 'sync_runs', 'insync_users', 'delta_cursors', 'entra_group_members',
  'entra_groups', 'entra_users', 'mappings', 'profiles', 'storages', 'tenants',
];

export async function openTestStore(): Promise<TestStore> {
  const url = process.env['TEST_DATABASE_URL'];
  if (!url) {
    const store = await openStore({ kind: 'pglite', dataDir: null });
    return { store, driver: 'pglite', reset: () => truncate(store), close: () => store.close() };
  }
  const name = `ei_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const store = await openStore({ kind: 'postgres', url: dbUrl.toString() });
  return {
    store,
    driver: 'postgres',
    url: dbUrl.toString(),
    reset: () => truncate(store),
    close: async () => {
      await store.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

async function truncate(store: Store): Promise<void> {
  await store.db.execute(sql.raw(`truncate ${TABLES.join(', ')} restart identity cascade`));
}
