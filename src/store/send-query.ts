import type { SQL } from 'drizzle-orm';
import type { Db } from './open-store.js';

/**
 * Sends a statement now and returns its result as a plain promise. Statements sent one after
 * another on a transaction, without awaiting in between, reach its connection in call order and
 * run one after the other (postgres.js pipelines them; PGlite queues them). The decide step relies
 * on that order.
 *
 * Why not `db.execute(query)` as is: drizzle returns a lazy thenable that runs the statement again
 * on every `then`, and only when first awaited, one microtask later than a direct call. Calling
 * its `execute()` once fixes both.
 */
export function sendQuery(db: Db, query: SQL): Promise<unknown> {
  return db.execute(query).execute();
}
