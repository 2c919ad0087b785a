import { z } from 'zod';
import { AppError } from '../core/app-error.js';
import type { GroupChange } from '../core/directory-change.js';
import type { GraphApi } from './create-graph-api.js';
import { batchGet, throwIfFailed } from './batch-get.js';
import { collectionPages } from './delta-pages.js';
import { GROUP_SELECT, memberType } from './group-delta.js';

const GROUP_PROPS = GROUP_SELECT.filter((p) => p !== 'members').join(',');
/** Ten groups a batch: one request for the group and one for its first 999 members each (≤ 20). */
const GROUPS_PER_BATCH = 10;

/**
 * The current state of the given groups and their direct members, read with batched GETs instead
 * of a groups/delta round (§9b): `/groups/{id}` and `/groups/{id}/members?$select=id&$top=999`, 20
 * requests a batch; members beyond the first page are followed by nextLink. A group that no longer
 * exists (404) is left out, so the caller's full-round sweep marks it deleted. Yields one change per
 * group, in the shape groups/delta items parse to.
 */
export async function* readGroupsWithMembers(
  api: GraphApi,
  groupIds: readonly string[],
  sleep: (ms: number) => Promise<void>,
): AsyncGenerator<GroupChange[]> {
  for (let i = 0; i < groupIds.length; i += GROUPS_PER_BATCH) {
    const chunk = groupIds.slice(i, i + GROUPS_PER_BATCH);
    const urls = new Map<string, string>();
    for (const id of chunk) {
      urls.set(`g:${id}`, `/groups/${id}?$select=${GROUP_PROPS}`);
      urls.set(`m:${id}`, `/groups/${id}/members?$select=id&$top=999`);
    }
    const answers = await batchGet(api, urls, sleep);
    const changes: GroupChange[] = [];
    for (const id of chunk) {
      const group = answers.get(`g:${id}`);
      const members = answers.get(`m:${id}`);
      if (!group || !members || group.status === 404 || members.status === 404) continue;
      throwIfFailed(group, urls.get(`g:${id}`) ?? '');
      throwIfFailed(members, urls.get(`m:${id}`) ?? '');
      // Parsed, not cast: a garbled body must never read as "a group without members".
      const g = readBody(groupSchema, group.body, id);
      const page = readBody(membersSchema, members.body, id);
      const memberAdds = toMembers(page.value);
      if (typeof page['@odata.nextLink'] === 'string') {
        for await (const more of collectionPages(api, page['@odata.nextLink'])) memberAdds.push(...toMembers(more.items as { id?: unknown }[]));
      }
      changes.push({
        kind: 'upsert',
        id: id.toLowerCase(),
        props: {
          displayName: g.displayName ?? null, groupTypes: g.groupTypes ?? [], mailEnabled: g.mailEnabled ?? null, securityEnabled: g.securityEnabled ?? null,
        },
        memberAdds,
        memberRemoves: [],
      });
    }
    yield changes;
  }
}

const groupSchema = z.looseObject({
  displayName: z.string().nullable().optional(),
  groupTypes: z.array(z.string()).nullable().optional(),
  mailEnabled: z.boolean().nullable().optional(),
  securityEnabled: z.boolean().nullable().optional(),
});
const membersSchema = z.looseObject({
  value: z.array(z.looseObject({ id: z.unknown().optional(), '@odata.type': z.unknown().optional() })),
  '@odata.nextLink': z.unknown().optional(),
});

function readBody<T>(schema: z.ZodType<T>, body: unknown, groupId: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new AppError('GRAPH_BAD_RESPONSE', `Graph returned an unreadable answer for group ${groupId} in a $batch`);
  return parsed.data;
}

/** All group ids, for nested mappings that need the whole group graph. */
export async function* listAllGroupIds(api: GraphApi): AsyncGenerator<string[]> {
  for await (const page of collectionPages(api, '/groups?$select=id&$top=999')) {
    yield (page.items as { id?: unknown }[]).flatMap((g) => (typeof g.id === 'string' ? [g.id.toLowerCase()] : []));
  }
}

function toMembers(items: readonly { id?: unknown; '@odata.type'?: unknown }[]): { id: string; type: string }[] {
  return items.flatMap((m) =>
    typeof m.id === 'string'
      ? [{ id: m.id.toLowerCase(), type: memberType(typeof m['@odata.type'] === 'string' ? m['@odata.type'] : undefined) }]
      : [],
  );
}
