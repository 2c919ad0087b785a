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
  const out: Record<string, unknown> = { id };
  for (const n of names) {
    if (n === 'id') continue;
    const v = props[n];
    out[n] = v === undefined ? (n === 'businessPhones' || n === 'groupTypes' ? [] : null) : v;
  }
  return out;
}

export function userRead(u: UserRecord, select: readonly string[] | undefined): Record<string, unknown> {
  return pick(u.id, u.props, select ?? USER_READ_DEFAULTS);
}

export function groupRead(g: GroupRecord, select: readonly string[] | undefined): Record<string, unknown> {
  return pick(g.id, g.props, select ?? GROUP_READ_DEFAULTS);
}

/** Member collections are mixed, so each item names its type (graph-semantics §10.4). */
export function memberRead(obj: { kind: 'user'; rec: UserRecord } | { kind: 'group'; rec: GroupRecord }, select: readonly string[] | undefined): Record<string, unknown> {
  // A `$select` names properties of either type; each item gets the ones its type has.
  if (obj.kind === 'user') return { '@odata.type': '#microsoft.graph.user', ...userRead(obj.rec, select?.filter((s) => USER_READ_PROPERTIES.has(s))) };
  return { '@odata.type': '#microsoft.graph.group', ...groupRead(obj.rec, select?.filter((s) => GROUP_PROPERTIES.has(s) && s !== 'members' && s !== 'owners')) };
}
