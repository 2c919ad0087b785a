import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { AppError } from '../core/app-error.js';
import { sendQuery } from './send-query.js';
import * as schema from './schema.js';
import { messageOf } from '../core/message-of.js';

/** Both drivers' drizzle databases share this type; code above store/ never sees which it has. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Store {
  readonly db: Db;
  readonly driver: 'postgres' | 'pglite';
  /**
   * Runs raw SQL and returns its rows, hiding the drivers' different result shapes. The statement
   * is sent at the call (see sendQuery), so calls not awaited in between run in call order.
   */
  rows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]>;
  /**
   * Runs fn while holding the tenant's lock, or returns `undefined` without running it when another
   * run holds the lock. PostgreSQL: a session advisory lock, so daemons sharing a database never
   * overlap; PGlite: an in-process lock (one process owns the data directory anyway).
   */
  withTenantLock<T>(tenantId: number, fn: (held: HeldLock) => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
  close(): Promise<void>;
}

export type ReadIsolation = 'snapshot' | 'committed';

/** What the holder of a tenant lock may use besides the pool. */
export interface HeldLock {
  /**
   * Runs fn in a read-only transaction on the connection that holds the lock, so that reads run
   * beside another transaction's writes without taking another connection from the pool (a run
   * already holds the lock's and its apply transaction's). 'snapshot' reads the database as it
   * was when fn started; 'committed' lets each statement see what has committed by then. Absent
   * on PGlite, which has one connection: read there.
   */
  readOnly?: <T>(isolation: ReadIsolation, fn: (db: Db) => Promise<T>) => Promise<T>;
}

export type StoreTarget =
  /** poolSize: connections at most (default 8); see connectionsFor. */
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'pglite'; dataDir: string | null };

/**
 * The pool a process running `concurrency` syncs at once needs: a run holds its tenant lock's
 * connection (which also reads its decide batches) for the whole run, and its apply transaction
 * for the decide step, which in a full round starts while the users stream still writes. A run
 * waits for a connection (a short write transaction, or the apply transaction) only while holding
 * at most those two; with two per run plus two spare, the short transactions, which never wait
 * for another connection, always get one, so every run makes progress.
 */
export function connectionsFor(concurrency: number): number {
  return Math.max(8, 2 * concurrency + 2);
}

const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url));
/** Arbitrary but fixed key so that concurrent starters migrate one at a time. */
const MIGRATION_LOCK = 7_245_301;

/** Opens the database, applies pending migrations, and returns the store. */
export async function openStore(target: StoreTarget): Promise<Store> {
  return target.kind === 'postgres' ? openPostgres(target.url, target.poolSize ?? 8) : openPglite(target.dataDir);
}

function rowsOf<T>(result: unknown): T[] {
  // postgres.js returns an array-like RowList; PGlite returns { rows }.
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

async function rows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  return rowsOf<T>(await sendQuery(db, query));
}

async function openPostgres(url: string, poolSize: number): Promise<Store> {
  await migratePostgresLocked(url);
  const client = postgres(url, { max: poolSize, onnotice: () => {} });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  return {
    db,
    driver: 'postgres',
    rows,
    async withTenantLock(tenantId, fn) {
      const conn = await client.reserve();
      try {
        const [got] = await conn<{ locked: boolean }[]>`select pg_try_advisory_lock(${lockKey(tenantId)}) as locked`;
        if (!got?.locked) return { ran: false };
        try {
          return { ran: true, value: await fn({ readOnly: (isolation, read) => readOnlyOn(client, conn, isolation, read) }) };
        } finally {
          await conn`select pg_advisory_unlock(${lockKey(tenantId)})`;
        }
      } finally {
        conn.release();
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/** A read-only transaction on a reserved connection (postgres.js has no `begin` on those). */
async function readOnlyOn<T>(client: postgres.Sql, conn: postgres.ReservedSql, isolation: ReadIsolation, read: (db: Db) => Promise<T>): Promise<T> {
  // drizzle registers its type parsers on the client's options when it wraps a client; a reserved
  // connection has none of its own and parses with the pool's, which drizzle already set up.
  const db = drizzlePostgres(Object.assign(conn, { options: client.options }), { schema }) as unknown as Db;
  await (isolation === 'snapshot' ? conn`begin isolation level repeatable read read only` : conn`begin isolation level read committed read only`);
  try {
    const value = await read(db);
    await conn`commit`;
    return value;
  } catch (err) {
    await conn`rollback`.catch(() => undefined);
    throw err;
  }
}

async function migratePostgresLocked(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres(client), { migrationsFolder: MIGRATIONS });
  } catch (err) {
    throw classifyOpenError(err);
  } finally {
    await client.end({ timeout: 5 }).catch(() => {});
  }
}

async function openPglite(dataDir: string | null): Promise<Store> {
  // Loaded only here: PGlite's module and its WebAssembly took about 45 MB of resident memory in
  // every process, a PostgreSQL deployment's daemon included, which never uses it.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'), import('drizzle-orm/pglite'), import('drizzle-orm/pglite/migrator'),
  ]);
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir ?? 'memory://');
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  try {
    await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS });
  } catch (err) {
    await client.close();
    throw classifyOpenError(err);
  }
  const held = new Set<number>();
  return {
    db,
    driver: 'pglite',
    rows,
    async withTenantLock(tenantId, fn) {
      if (held.has(tenantId)) return { ran: false };
      held.add(tenantId);
      try {
        return { ran: true, value: await fn({}) };
      } finally {
        held.delete(tenantId);
      }
    },
    close: () => client.close(),
  };
}

function lockKey(tenantId: number): number {
  // Namespaced so that our advisory locks do not collide with another application's small integers.
  return 0x45490000 + tenantId;
}

function classifyOpenError(err: unknown): AppError {
  const message = messageOf(err);
  const code = (err as { code?: string }).code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '3D000' || code === '28P01' || code === '28000') {
    return new AppError('DB_UNAVAILABLE', `cannot reach the database: ${message}`, { cause: err });
  }
  return new AppError('DB_MIGRATION_FAILED', `database migration failed: ${message}`, { cause: err });
}
