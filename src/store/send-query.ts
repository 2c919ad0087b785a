import { DrizzleQueryError, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from './open-store.js';

/** The part of a postgres.js client (or transaction) this file calls. */
interface PostgresJsClient {
  unsafe(query: string, params: unknown[], options: { prepare: boolean }): { execute(): Promise<unknown> };
}

const dialect = new PgDialect();

/**
 * Sends a statement now and returns its result as a plain promise. Statements sent one after
 * another on a transaction, without awaiting in between, reach its connection in call order and
 * run one after the other (postgres.js pipelines them; PGlite queues them). The decide step relies
 * on that order.
 *
 * Why not `db.execute(query)` as is: drizzle returns a lazy thenable that runs the statement again
 * on every `then`, and only when first awaited, one microtask later than a direct call. And on
 * postgres.js it sends every statement unnamed, which makes postgres.js describe the statement
 * first (to learn its parameter types) and hold back everything queued behind it until the answer
 * has come back and this process has had a turn to send the rest. While this process decides a
 * batch, PostgreSQL then sat idle with the next batch's writes waiting on our side. A named
 * statement is described once per connection and then pipelined like any other.
 */
export function sendQuery(db: Db, query: SQL): Promise<unknown> {
  const client = postgresJsClientOf(db);
  if (client) {
    const { sql: text, params } = dialect.sqlToQuery(query);
    // Named statements are what postgres.js does by default for its own tagged queries; like
    // those, they need session-mode pooling if a pooler sits in front of PostgreSQL.
    // Failures look the same as through drizzle, so that they are reported the same (toAppError).
    return client.unsafe(text, params, { prepare: true }).execute().catch((err: unknown) => {
      throw new DrizzleQueryError(text, params, err instanceof Error ? err : new Error(String(err)));
    });
  }
  return db.execute(query).execute();
}

/** The postgres.js client behind a drizzle database or transaction, or null on another driver. */
function postgresJsClientOf(db: Db): PostgresJsClient | null {
  // drizzle keeps its session and the session's client as internal fields; both drivers have them,
  // only postgres.js (a client or a transaction) has `unsafe`.
  const client = (db as unknown as { session?: { client?: Partial<PostgresJsClient> } }).session?.client;
  return client && typeof client.unsafe === 'function' ? (client as PostgresJsClient) : null;
}
