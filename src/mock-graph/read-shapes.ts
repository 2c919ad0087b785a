import type { GroupRecord, UserRecord } from './directory-records.js';
import { GROUP_PROPERTIES, USER_READ_PROPERTIES } from './known-properties.js';

/** D13: what `GET /users` returns without `$select`. */
export const USER_READ_DEFAULTS = [
  'businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation',
  'preferredLanguage', 'surname', 'userPrincipalName',
] as const;

export const GROUP_READ_DEFAULTS = [
  'classification', 'createdDateTime', 'description', 'displayName', 'groupTypes', 'mail', 'mailEnabled',
  'mailNickname', 'membershipRule', 'membershipRuleProcessingState', 'securityEnabled', 'visibility',
] as const;

/** Plain reads return unset selected properties as null (unlike delta, I16); collections as []. */
function pick(id: string, props: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return readerFor(names)(id, props);
}

type Reader = (id: string, props: Record<string, unknown>) => Record<string, unknown>;

/** Compiled readers by property list. Callers use a handful of lists; the bound only stops a client that sends endless distinct `$select`s. */
const readers = new Map<string, Reader>();
const MAX_READERS = 256;
const readersByList = new WeakMap<readonly string[], Reader>();

/**
 * A reader of these properties, compiled once per property list into one object literal. An
 * object given more than about a dozen properties one at a time under computed names becomes a
 * dictionary in V8, slow to build and then to serialise: picking the importer's 17 properties for
 * each user of a list page that way took 0.7-0.9 s per 300k users and slowed JSON.stringify by a
 * third, against 0.05 s for the literal. The names are written as JSON string literals, which are
 * JavaScript string literals too, so no name can be read as code; `id` always comes first.
 */
function readerFor(names: readonly string[]): Reader {
  // A list page asks once per user with the same array: find it by identity before joining names.
  let reader = readersByList.get(names);
  if (reader !== undefined) return reader;
  const key = names.join('\u0000');
  reader = readers.get(key);
  if (reader === undefined) {
    const fields = names.filter((n) => n !== 'id').map((n) => {
      const name = JSON.stringify(n);
      const unset = n === 'businessPhones' || n === 'groupTypes' ? '[]' : 'null';
      return `${name}: props[${name}] === undefined ? ${unset} : props[${name}]`;
    });
    reader = new Function('id', 'props', `return { "id": id, ${fields.join(', ')} };`) as Reader;
    if (readers.size >= MAX_READERS) readers.clear();
    readers.set(key, reader);
  }
  readersByList.set(names, reader);
  return reader;
}

export function userRead(u: UserRecord, select: readonly string[] | undefined): Record<string, unknown> {
  return pick(u.id, u.props, select ?? USER_READ_DEFAULTS);
}

export function groupRead(g: GroupRecord, select: readonly string[] | undefined): Record<string, unknown> {
  return pick(g.id, g.props, select ?? GROUP_READ_DEFAULTS);
}

/** A member of either type, as `memberReader` reads it. */
export type MemberObject = { kind: 'user'; rec: UserRecord } | { kind: 'group'; rec: GroupRecord };

/**
 * Member collections are mixed, so each item names its type (graph-semantics §10.4). A `$select`
 * names properties of either type and each item gets the ones its type has: the two lists are
 * filtered once per request here, not once per member, so every member of a page reuses the same
 * arrays (and so the same compiled reader, found by identity).
 */
export function memberReader(select: readonly string[] | undefined): (obj: MemberObject) => Record<string, unknown> {
  const userSelect = select?.filter((s) => USER_READ_PROPERTIES.has(s));
  const groupSelect = select?.filter((s) => GROUP_PROPERTIES.has(s) && s !== 'members' && s !== 'owners');
  return (obj) => obj.kind === 'user'
    ? { '@odata.type': '#microsoft.graph.user', ...userRead(obj.rec, userSelect) }
    : { '@odata.type': '#microsoft.graph.group', ...groupRead(obj.rec, groupSelect) };
}
