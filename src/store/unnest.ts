import { sql, type SQL } from 'drizzle-orm';

export type Cell = string | number | boolean | null | undefined;

/**
 * One column of a bulk write as a `text[]` parameter. Every column travels as text and is cast in
 * SQL, because postgres.js cannot infer the type of an array of booleans with nulls, and a single
 * encoding behaves the same on both drivers (stack-notes §3: unnest is 6–8× faster than
 * drizzle's `.values()` and has no 65,534-parameter ceiling).
 *
 * The parameter is the array's literal, written here: both drivers pass a string through as it is.
 * Given a JavaScript array, postgres.js quoted every element with two regular-expression replaces
 * and joined the lot, about 4 % of the importer's CPU in a large import; most cells (object ids,
 * numbers, names) need no escaping, and one test says so.
 */
export function textArray(values: readonly Cell[]): SQL {
  return sql`${sql.param(arrayLiteral(values))}::text[]`;
}

/**
 * A column of Entra object ids as a `uuid[]` parameter (the columns that hold them are uuid; see
 * schema.ts). Sent as the array's literal, like textArray; PostgreSQL parses each id once.
 */
export function uuidArray(values: readonly (string | null)[]): SQL {
  return sql`${sql.param(arrayLiteral(values))}::uuid[]`;
}

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/** A PostgreSQL array literal of these values as text: every element quoted, `"` and `\` escaped, NULL unquoted. */
export function arrayLiteral(values: readonly Cell[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (i > 0) out += ',';
    if (value === null || value === undefined) {
      out += 'NULL';
      continue;
    }
    const text = typeof value === 'string' ? value : String(value);
    out += NEEDS_ESCAPE.test(text) ? `"${text.replace(ESCAPED, '\\$&')}"` : `"${text}"`;
  }
  return `${out}}`;
}

/**
 * The rows of a bulk write as one jsonb parameter, for `jsonb_array_elements`. Worth it where the
 * rows carry JSON already: a user's attributes went through JSON.stringify and then through
 * postgres.js escaping them again as a `text[]` cell, in JavaScript. Mirroring 300k users took
 * 14.1 s instead of 12.4 s that way. Rows of a few short columns (memberships, inSync writes) stay
 * `text[]`: PostgreSQL parses those arrays faster than jsonb with its repeated keys.
 */
export function jsonRows(rows: readonly unknown[]): SQL {
  return sql`${JSON.stringify(rows)}::jsonb`;
}

/** `unnest($1::text[], $2::text[], …) as alias(col1, col2, …)`. */
export function unnestColumns(alias: string, columns: Record<string, readonly Cell[]>): SQL {
  const names = Object.keys(columns);
  const arrays = names.map((n) => textArray(columns[n] ?? []));
  return sql`unnest(${sql.join(arrays, sql`, `)}) as ${sql.raw(alias)}(${sql.raw(names.join(', '))})`;
}

/**
 * Keeps the last occurrence of each key. Graph may return one object several times in a round
 * (graph-semantics D1), and ON CONFLICT DO UPDATE refuses to touch a row twice in one statement.
 */
export function lastByKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  const map = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    map.delete(k);
    map.set(k, item);
  }
  return [...map.values()];
}
