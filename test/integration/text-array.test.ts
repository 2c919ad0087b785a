import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { arrayLiteral, textArray } from '../../src/store/unnest.js';
import type { TestStore } from '../support/test-store.js';
import { useTestStore } from '../support/use-store-and-mock.js';

let db: TestStore;
useTestStore((store) => {
  db = store;
});

/** Every bulk write sends its columns through textArray: what goes in must come out, on both drivers. */
describe('textArray', () => {
  it('round-trips quotes, backslashes, separators, braces, blanks, NULL as text, unicode and real nulls', async () => {
    const values = [
      'plain', 'O"Brien', 'back\\slash', 'both \\" here', 'a,b', '{braces}', '', ' padded ', 'NULL', 'null', null,
      'Zoë Ångström 東京', 'line\nbreak', 42, true, undefined, '\\', '"',
    ];
    // Read back element by element, as the bulk writes use them (unnest), not as an array: postgres.js
    // parses a NULL element of an array it receives as the string "NULL".
    const rows = await db.store.rows<{ cell: string | null }>(db.store.db, sql`
      select x.cell from unnest(${textArray(values)}) with ordinality as x(cell, n) order by x.n`);
    expect(rows.map((r) => r.cell)).toEqual(values.map((v) => (v === null || v === undefined ? null : String(v))));
  });

  it('sends an empty array as one', async () => {
    const [row] = await db.store.rows<{ n: number }>(db.store.db, sql`select cardinality(${textArray([])})::int as n`);
    expect(row?.n).toBe(0);
    expect(arrayLiteral([])).toBe('{}');
  });

  it('escapes only what needs it', () => {
    expect(arrayLiteral(['a', 'b"c', null, 'd\\e'])).toBe('{"a","b\\"c",NULL,"d\\\\e"}');
  });
});
