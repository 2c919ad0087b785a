import { sql } from 'drizzle-orm';
import type { Store } from '../../src/store/open-store.js';

/** The message PostgreSQL fails the refused insert with. */
export const REFUSED = 'refused by the test trigger';

/**
 * Runs fn while a trigger makes the database refuse to insert the one row of `table` whose
 * `column` equals `value`: a write that fails in the middle of a run, on either driver.
 */
export async function whileRefusingInsert<T>(
  store: Store,
  refuse: { table: string; column: string; value: string },
  fn: () => Promise<T>,
): Promise<T> {
  const literal = `'${refuse.value.replaceAll("'", "''")}'`;
  await store.db.execute(sql.raw(`
    create or replace function refuse_insert() returns trigger language plpgsql as $$
    begin
      if new.${refuse.column} = ${literal} then raise exception '${REFUSED}'; end if;
      return new;
    end $$`));
  await store.db.execute(sql.raw(`create trigger refuse_insert before insert on ${refuse.table} for each row execute function refuse_insert()`));
  try {
    return await fn();
  } finally {
    await store.db.execute(sql.raw(`drop trigger if exists refuse_insert on ${refuse.table}`));
    await store.db.execute(sql.raw('drop function if exists refuse_insert()'));
  }
}
