import { describe, expect, it } from 'vitest';
import { MAX_FILTER_OR_EXPRESSIONS, parseFilter, type Predicate } from '../../src/mock-graph/odata-query.js';

const FILTERABLE = new Set(['id', 'displayName']);
const groups = [
  { id: 'aa', displayName: "O'Brien team" },
  { id: 'bb', displayName: 'Finance' },
  { id: 'cc', displayName: 'Sales, North' },
];

function matching(filter: string): string[] {
  const parsed = parseFilter(filter, FILTERABLE);
  if (!('predicate' in parsed)) throw new Error(`refused: ${JSON.stringify(parsed)}`);
  const p: Predicate = parsed.predicate;
  return groups.filter((g) => p(g)).map((g) => g.id);
}

describe('the mock $filter `in` operator (microsoft-graph-docs PR #22097 / issue #21098)', () => {
  it('allows 15 expressions, as Graph does by default', () => {
    expect(MAX_FILTER_OR_EXPRESSIONS).toBe(15);
  });

  it('matches any listed value, without case, whatever the spacing', () => {
    expect(matching("id in ('aa','cc')")).toEqual(['aa', 'cc']);
    expect(matching("id IN ( 'BB' ,  'zz' )")).toEqual(['bb']);
    expect(matching("(id in ('bb'))")).toEqual(['bb']);
    expect(matching("id in('cc')")).toEqual(['cc']);
  });

  it("reads '' as a quote and a comma inside quotes as text", () => {
    expect(matching("displayName in ('o''brien team','x')")).toEqual(['aa']);
    expect(matching("displayName in ('Sales, North')")).toEqual(['cc']);
    expect(matching("displayName in ('Sales','North')")).toEqual([]);
  });

  it('joins with or / and like the other clauses', () => {
    expect(matching("id in ('aa') or displayName eq 'Finance'")).toEqual(['aa', 'bb']);
    expect(matching("id in ('aa','bb') and displayName eq 'Finance'")).toEqual(['bb']);
  });

  it('refuses a property that is not filterable, and malformed lists', () => {
    expect(parseFilter("mail in ('a')", FILTERABLE)).toEqual({ error: 'mail' });
    expect(parseFilter('id in ()', FILTERABLE)).toHaveProperty('error');
    expect(parseFilter("id in ('a',)", FILTERABLE)).toHaveProperty('error');
    expect(parseFilter("id in ('a' 'b')", FILTERABLE)).toHaveProperty('error');
  });

  it('counts every value of an `in` and every `or` clause against the limit of 15', () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `'v${i}'`).join(',');
    const ors = (n: number) => Array.from({ length: n }, (_, i) => `id eq 'v${i}'`).join(' or ');
    expect(parseFilter(`id in (${list(15)})`, FILTERABLE)).toHaveProperty('predicate');
    expect(parseFilter(`id in (${list(16)})`, FILTERABLE)).toEqual({ tooManyClauses: 16 });
    expect(parseFilter(`id in (${list(40)})`, FILTERABLE)).toEqual({ tooManyClauses: 40 });
    expect(parseFilter(ors(15), FILTERABLE)).toHaveProperty('predicate');
    expect(parseFilter(ors(16), FILTERABLE)).toEqual({ tooManyClauses: 16 });
    // [inf] Graph expands `in` into `or`s, so `or`-joined lists add up.
    expect(parseFilter(`id in (${list(8)}) or id in (${list(8)})`, FILTERABLE)).toEqual({ tooManyClauses: 16 });
    // `and`-joined lists are separate clauses, each within the limit.
    expect(parseFilter(`id in (${list(15)}) and displayName in (${list(15)})`, FILTERABLE)).toHaveProperty('predicate');
  });
});
