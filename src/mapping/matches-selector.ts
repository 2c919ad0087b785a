import type { DirectoryUser } from './directory-user.js';
import type { AttributeClause, Memberships, Selector } from './mapping-rule.js';

/** Whether one mapping's selector picks this (already eligible) user. */
export function matchesSelector(selector: Selector, user: DirectoryUser, memberships: Memberships): boolean {
  switch (selector.kind) {
    case 'all-users':
      return true;
    case 'group': {
      // Only members count: owners are not imported (insync-behaviour "Members only"), and the
      // mirror never records owners because groups/delta is read without owners (D5).
      const wanted = groupSetOf(selector.groupIds);
      return intersects(wanted, memberships.direct) || (selector.nested && intersects(wanted, memberships.transitive));
    }
    case 'attribute':
      return selector.clauses.every((clause) => matchesClause(clause, readAttribute(user, clause.name)));
  }
}

/**
 * The selector's group ids as a set, built once per id list. Asking each of a mapping's groups
 * whether the user is in it cost one lookup per group per user: with 500 mapped groups, most of
 * the time the engine spent on a user. A user is in a few groups, so walking the smaller side
 * is a handful of lookups. The cache is keyed by the list itself and never changes an answer.
 */
const groupSets = new WeakMap<readonly string[], ReadonlySet<string>>();

function groupSetOf(ids: readonly string[]): ReadonlySet<string> {
  let set = groupSets.get(ids);
  if (set === undefined) groupSets.set(ids, (set = new Set(ids)));
  return set;
}

function intersects(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const id of small) if (large.has(id)) return true;
  return false;
}

function matchesClause(clause: AttributeClause, raw: string | null): boolean {
  // A missing or null value never matches, not even notEquals (insync-behaviour "Attribute matching").
  if (raw === null) return false;
  if (clause.op === 'present') return raw.length > 0;
  const fold = (s: string): string => (clause.ignoreCase ? s.toLowerCase() : s);
  const value = fold(raw);
  const wanted = clause.values.map(fold);
  switch (clause.op) {
    case 'equals':
      return wanted.includes(value);
    case 'notEquals':
      return !wanted.includes(value);
    case 'startsWith':
      return wanted.some((w) => value.startsWith(w));
    case 'contains':
      return wanted.some((w) => value.includes(w));
  }
}

const TOP_LEVEL = ['userPrincipalName', 'mail', 'displayName', 'userType'] as const;
type TopLevelName = (typeof TOP_LEVEL)[number];

/** The attributes map first; the four typed fields answer for their own names when it is silent. */
function readAttribute(user: DirectoryUser, name: string): string | null {
  const fromMap = Object.hasOwn(user.attributes, name) ? user.attributes[name] : undefined;
  if (fromMap !== undefined && fromMap !== null) return fromMap;
  if ((TOP_LEVEL as readonly string[]).includes(name)) return user[name as TopLevelName];
  return null;
}
