import { z } from 'zod';
import type { GroupChange } from '../core/directory-change.js';
import { isObjectId, OBJECT_ID_PROBLEM } from '../core/object-id.js';
import { queryHash } from './query-hash.js';

/** Group properties we mirror, plus `members` to get members@delta; never owners (§2.1, §11.1). */
export const GROUP_SELECT: readonly string[] = ['id', 'displayName', 'groupTypes', 'mailEnabled', 'securityEnabled', 'members'];

/** "There is a limit of 50 filtered objects" in a delta $filter (D4, D5). */
export const MAX_IDS_PER_FILTER = 50;

export interface GroupStream {
  /** delta_cursors.stream, stable for a given set of ids. */
  key: string;
  /** Hash of the query; a stored link from a different query is discarded. */
  queryHash: string;
  path: string;
  /** The groups this stream covers, or null for all groups. */
  groupIds: string[] | null;
}

/**
 * The groups/delta queries a tenant needs. Only groups that mappings name are pulled, in chunks of
 * at most 50 ids (D4, D5). Nested mappings need the groups inside those groups too, whose ids we do
 * not know in advance, so they pull every group instead.
 */
export function groupStreams(groupIds: readonly string[], needAllGroups: boolean): GroupStream[] {
  if (needAllGroups) {
    const path = `/groups/delta?${groupDeltaSelect()}`;
    return [{ key: 'groups:all', queryHash: queryHash(path), path, groupIds: null }];
  }
  const sorted = [...new Set(groupIds.map((g) => g.toLowerCase()))].sort();
  const streams: GroupStream[] = [];
  for (let i = 0; i < sorted.length; i += MAX_IDS_PER_FILTER) {
    const chunk = sorted.slice(i, i + MAX_IDS_PER_FILTER);
    const path = groupDeltaPath(chunk);
    const hash = queryHash(path);
    streams.push({ key: `groups:${hash.slice(0, 16)}`, queryHash: hash, path, groupIds: chunk });
  }
  return streams;
}

/** `/groups/delta?$select=…&$filter=id eq 'a' or id eq 'b'`: at most 50 ids (D4, D5), lowercased GUIDs. */
export function groupDeltaPath(ids: readonly string[]): string {
  if (ids.length === 0 || ids.length > MAX_IDS_PER_FILTER) throw new Error(`a groups/delta filter names 1 to ${MAX_IDS_PER_FILTER} ids, not ${ids.length}`);
  const filter = encodeURIComponent(ids.map((id) => `id eq '${id}'`).join(' or '));
  return `/groups/delta?${groupDeltaSelect()}&$filter=${filter}`;
}

/** The one `$select` of every groups/delta query: a stored link's query hash depends on it. */
function groupDeltaSelect(): string {
  return `$select=${GROUP_SELECT.join(',')}`;
}

export type { GroupChange };

const objectId = z.string().refine(isObjectId, { error: OBJECT_ID_PROBLEM });
const memberSchema = z.looseObject({
  id: objectId,
  '@odata.type': z.string().optional(),
  '@removed': z.looseObject({}).optional(),
});
const groupSchema = z.looseObject({
  id: objectId,
  '@removed': z.looseObject({ reason: z.string() }).optional(),
  displayName: z.string().nullable().optional(),
  groupTypes: z.array(z.string()).nullable().optional(),
  mailEnabled: z.boolean().nullable().optional(),
  securityEnabled: z.boolean().nullable().optional(),
  'members@delta': z.array(memberSchema).optional(),
});

export function parseGroupChange(raw: unknown): { ok: true; change: GroupChange } | { ok: false; reason: string } {
  const parsed = groupSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: `unreadable group item: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  const g = parsed.data;
  if (g['@removed']) {
    return { ok: true, change: { kind: 'removed', id: g.id.toLowerCase(), reason: g['@removed'].reason === 'changed' ? 'changed' : 'deleted' } };
  }
  const props: Extract<GroupChange, { kind: 'upsert' }>['props'] = {};
  if (g.displayName !== undefined) props.displayName = g.displayName;
  if (g.groupTypes !== undefined) props.groupTypes = g.groupTypes ?? [];
  if (g.mailEnabled !== undefined) props.mailEnabled = g.mailEnabled;
  if (g.securityEnabled !== undefined) props.securityEnabled = g.securityEnabled;
  const memberAdds: { id: string; type: string }[] = [];
  const memberRemoves: string[] = [];
  for (const m of g['members@delta'] ?? []) {
    if (m['@removed']) memberRemoves.push(m.id.toLowerCase());
    else memberAdds.push({ id: m.id.toLowerCase(), type: memberType(m['@odata.type']) });
  }
  return { ok: true, change: { kind: 'upsert', id: g.id.toLowerCase(), props, memberAdds, memberRemoves } };
}

/** '#microsoft.graph.user' → 'user'; missing type is taken as a user, the common case. */
export function memberType(odataType: string | undefined): string {
  if (!odataType) return 'user';
  return odataType.replace(/^#?microsoft\.graph\./i, '').toLowerCase();
}
