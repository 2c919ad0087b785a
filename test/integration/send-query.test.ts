import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { toAppError } from '../../src/core/app-error.js';
import { sendQuery } from '../../src/store/send-query.js';
import type { TestStore } from '../support/test-store.js';
import { useTestStore } from '../support/use-store-and-mock.js';

let db: TestStore;
useTestStore((store) => {
  db = store;
});

describe('sendQuery', () => {
  it('runs statements sent without awaiting in the order they were sent', async () => {
    const seen = await db.store.db.transaction(async (tx) => {
      await sendQuery(tx, sql`create temp table sent_order (n int) on commit drop`);
      const sends = [1, 2, 3].map((n) => sendQuery(tx, sql`insert into sent_order select ${n}::int`));
      const read = db.store.rows<{ ns: number[] }>(tx, sql`select array_agg(n order by ctid) as ns from sent_order`);
      await Promise.all(sends);
      return (await read)[0]?.ns;
    });
    expect(seen).toEqual([1, 2, 3]);
  });

  it('reports a failed statement by the database message, without its parameters', async () => {
    const failure = await sendQuery(db.store.db, sql`select ${'ann@contoso.example'}::text, 1 / (${0}::int)`).then(() => null, toAppError);
    expect(failure).toMatchObject({ code: 'DB_QUERY_FAILED', message: 'a database statement failed: division by zero' });
    expect(JSON.stringify({ message: failure?.message, details: failure?.details })).not.toContain('contoso');
  });

  // A statement postgres.js sends unnamed is described first, and everything queued behind it
  // waits for that answer and for this process to send the rest: pipelining stops at every
  // statement with parameters. Named, it is described once per connection.
  it.runIf(process.env['TEST_DATABASE_URL'])('sends statements with parameters as named statements on postgres.js', async () => {
    const named = await db.store.db.transaction(async (tx) => {
      for (const n of [1, 2]) await sendQuery(tx, sql`select ${n}::int as marker_for_send_query_test`);
      return db.store.rows<{ n: number }>(tx, sql`
        select count(*)::int as n from pg_prepared_statements where statement like '%marker_for_send_query_test%' and not from_sql`);
    });
    expect(named[0]?.n).toBe(1);
  });
});
