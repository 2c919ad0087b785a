/** A predicate over an object's properties (`id` included). */
export type Predicate = (props: Record<string, unknown>) => boolean;

const QUOTED = String.raw`'((?:[^']|'')*)'`;
const STARTSWITH = new RegExp(String.raw`^startswith\(\s*(\w+)\s*,\s*${QUOTED}\s*\)$`, 'i');
const EQ = new RegExp(String.raw`^(\w+)\s+eq\s+(?:${QUOTED}|(true|false|null))$`, 'i');
const ANY = new RegExp(String.raw`^(\w+)/any\(\s*(\w+)\s*:\s*\2\s+eq\s+${QUOTED}\s*\)$`, 'i');
const QUOTED_LIST = String.raw`'(?:[^']|'')*'(?:\s*,\s*'(?:[^']|'')*')*`;
const IN = new RegExp(String.raw`^(\w+)\s+in\s*\(\s*(${QUOTED_LIST})\s*\)$`, 'i');

/**
 * The most expressions one `in` may list, and the most `or`-joined clauses one filter may hold —
 * doc: Graph $filter docs, microsoftgraph/microsoft-graph-docs PR #22097 / issue #21098: "The
 * maximum number of expressions in a filter clause when using the `in` operator is 15 items by
 * default"; Graph answers 400 with the message of `tooManyClausesMessage`. An `in` joined by `or`
 * to other clauses counts each of its values, as Graph expands `in` into `or`s [inf].
 */
export const MAX_FILTER_OR_EXPRESSIONS = 15;

/** Graph's words for a filter over MAX_FILTER_OR_EXPRESSIONS (code Request_UnsupportedQuery). */
export function tooManyClausesMessage(count: number): string {
  return `Too many child clauses specified in search filter expression containing 'OR' operators: ${count}. Max allowed: ${MAX_FILTER_OR_EXPRESSIONS}`;
}

const unquote = (s: string) => s.replace(/''/g, "'");
const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);

/**
 * Parses the small `$filter` subset the mock supports on plain reads (D10): `startswith(p,'x')`,
 * `p eq 'x'|true|false|null`, `p/any(c:c eq 'x')`, `p in ('x','y')`, joined by a single kind of
 * `and`/`or`. Returns the offending clause when a property is not filterable or the syntax is
 * unknown, and `tooManyClauses` when an `in` or the `or`s list more than 15 expressions.
 */
export function parseFilter(filter: string, filterable: ReadonlySet<string>): { predicate: Predicate } | { error: string } | { tooManyClauses: number } {
  const joiner = /\s+and\s+/i.test(filter) ? 'and' : 'or';
  const clauses = filter.split(joiner === 'and' ? /\s+and\s+/i : /\s+or\s+/i).map((c) => c.trim().replace(/^\((.*)\)$/, '$1').trim());
  const preds: Predicate[] = [];
  let expressions = 0;
  for (const clause of clauses) {
    const p = parseClause(clause, filterable);
    if (typeof p === 'string') return { error: p };
    if (p.expressions > MAX_FILTER_OR_EXPRESSIONS) return { tooManyClauses: p.expressions };
    expressions += p.expressions;
    preds.push(p.predicate);
  }
  if (joiner === 'or' && expressions > MAX_FILTER_OR_EXPRESSIONS) return { tooManyClauses: expressions };
  return { predicate: joiner === 'and' ? (o) => preds.every((p) => p(o)) : (o) => preds.some((p) => p(o)) };
}

/** One clause's predicate and how many `or` expressions it stands for (an `in` one per value). */
function parseClause(clause: string, filterable: ReadonlySet<string>): { predicate: Predicate; expressions: number } | string {
  const m = IN.exec(clause);
  if (m?.[1] !== undefined && m[2] !== undefined) {
    const prop = m[1];
    if (!filterable.has(prop)) return prop;
    const wanted = [...m[2].matchAll(new RegExp(QUOTED, 'g'))].map((v) => unquote(v[1] ?? '').toLowerCase());
    const set = new Set(wanted);
    return { predicate: (o) => set.has(lower(o[prop] ?? null) as string), expressions: wanted.length };
  }
  const p = parseSimpleClause(clause, filterable);
  return typeof p === 'string' ? p : { predicate: p, expressions: 1 };
}

function parseSimpleClause(clause: string, filterable: ReadonlySet<string>): Predicate | string {
  let m = STARTSWITH.exec(clause);
  if (m?.[1] !== undefined && m[2] !== undefined) {
    const [prop, prefix] = [m[1], unquote(m[2]).toLowerCase()];
    if (!filterable.has(prop)) return prop;
    return (o) => typeof o[prop] === 'string' && (o[prop] as string).toLowerCase().startsWith(prefix);
  }
  m = EQ.exec(clause);
  if (m?.[1] !== undefined) {
    const prop = m[1];
    if (!filterable.has(prop)) return prop;
    const literal: unknown = m[2] !== undefined ? unquote(m[2]) : m[3] === 'null' ? null : m[3]?.toLowerCase() === 'true';
    return (o) => lower(o[prop] ?? null) === lower(literal);
  }
  m = ANY.exec(clause);
  if (m?.[1] !== undefined && m[3] !== undefined) {
    const [prop, wanted] = [m[1], unquote(m[3]).toLowerCase()];
    if (!filterable.has(prop)) return prop;
    return (o) => Array.isArray(o[prop]) && (o[prop] as unknown[]).some((v) => lower(v) === wanted);
  }
  return clause;
}

/**
 * `$search="displayName:ann" OR "mail:ann"` (D10): tokenised prefix match, as directory search
 * matches the start of any word. Returns undefined when the syntax is not understood.
 */
export function parseSearch(search: string): Predicate | undefined {
  // Quoted clauses with backslash escapes, as Graph reads them: `"displayName:Ann \"x\" OR y"` is
  // one clause whose text contains the quotes and the word OR (§9b: escaped user text stays text).
  const clauses = [...search.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] ?? '').replace(/\\(.)/g, '$1'));
  const terms = clauses.flatMap((c) => {
    const colon = c.indexOf(':');
    return colon > 0 && /^\w+$/.test(c.slice(0, colon)) ? [{ prop: c.slice(0, colon), value: c.slice(colon + 1).toLowerCase() }] : [];
  });
  if (terms.length === 0) return undefined;
  const between = search.replace(/"((?:[^"\\]|\\.)*)"/g, '""');
  const all = /""\s+AND\s+""/.test(between);
  const test = (o: Record<string, unknown>, t: { prop: string; value: string }) => {
    const v = o[t.prop];
    if (typeof v !== 'string') return false;
    const text = v.toLowerCase();
    return text.startsWith(t.value) || text.split(/[^\p{L}\p{N}]+/u).some((w) => w.startsWith(t.value));
  };
  return all ? (o) => terms.every((t) => test(o, t)) : (o) => terms.some((t) => test(o, t));
}
