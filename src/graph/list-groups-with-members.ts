import { z } from 'zod';
import { AppError } from '../core/app-error.js';
import type { GroupChange } from '../core/directory-change.js';
import type { GraphApi } from './create-graph-api.js';
import { batchGet, throwIfFailed } from './batch-get.js';
import { collectionPages } from './delta-pages.js';
import { GROUP_SELECT, memberType } from './group-delta.js';
import { quoteODataString } from './odata-escape.js';

/** `id,displayName,…`: GROUP_SELECT already starts with `id`, which the list answer is matched by. */
const GROUP_PROPS = GROUP_SELECT.filter((p) => p !== 'members').join(',');
/**
 * Fifteen groups a batch: one `/groups?$filter=id in (…)` list for their properties plus one read
 * of the first 999 members each, 1 + 15 = 16 requests, within the 20 a `$batch` may hold (§9b).
 * 15 is also the most ids one `in` may name — doc: Graph $filter docs, microsoftgraph/microsoft-graph-docs
 * PR #22097 / issue #21098: "The maximum number of expressions in a filter clause when using the
 * `in` operator is 15 items by default"; a 16th is refused with 400 "Too many child clauses …".
 */
const GROUPS_PER_BATCH = 15;

/**
 * The current state of the given groups and their direct members, read with batched GETs instead
 * of a groups/delta round (§9b). Each `$batch` carries, for up to 15 groups, one
 * `/groups?$filter=id in ('…',…)&$select=…` for their properties (1 resource unit for all of them,
 * instead of one `/groups/{id}` each) and `/groups/{id}/members?$select=id&$top=999` per group;
 * members beyond the first page, and list pages beyond the first, are followed by nextLink. A group
 * that no longer exists (absent from the list answer, or its members 404) is left out, so the
 * caller's full-round sweep marks it deleted. Yields one change per group, in the shape
 * groups/delta items parse to, ids lowercased.
 */
export async function* readGroupsWithMembers(
  api: GraphApi,
  groupIds: readonly string[],
  sleep: (ms: number) => Promise<void>,
): AsyncGenerator<GroupChange[]> {
  for (let i = 0; i < groupIds.length; i += GROUPS_PER_BATCH) {
    const chunk = groupIds.slice(i, i + GROUPS_PER_BATCH);
    const urls = new Map<string, string>();
    urls.set('props', groupListUrl(chunk));
    for (const id of chunk) urls.set(`m:${id}`, `/groups/${id}/members?$select=id&$top=999`);
    const answers = await batchGet(api, urls, sleep);
    const props = await readGroupList(api, answers.get('props'), urls.get('props') ?? '');
    const changes: GroupChange[] = [];
    for (const id of chunk) {
      const g = props.get(id.toLowerCase());
      const members = answers.get(`m:${id}`);
      // A batch answer without this item would read as "no members": refuse it, never sweep on it.
      if (!members) throw new AppError('GRAPH_BAD_RESPONSE', `Graph left the members of group ${id} out of a $batch answer`);
      if (!g || members.status === 404) continue;
      throwIfFailed(members, urls.get(`m:${id}`) ?? '');
      // Parsed, not cast: a garbled body must never read as "a group without members".
      const page = readBody(membersSchema, members.body, `Graph returned an unreadable answer for group ${id} in a $batch`);
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

/** `/groups?$filter=id in ('a','b')&$select=id,…`, the filter quoted and encoded as all user-facing filters are. */
function groupListUrl(ids: readonly string[]): string {
  const filter = `id in (${ids.map((id) => quoteODataString(id)).join(',')})`;
  return `/groups?$filter=${encodeURIComponent(filter)}&$select=${GROUP_PROPS}`;
}

/**
 * The list answer by lowercased id. Unlike a member read it never 404s (a missing group is simply
 * not listed), so any failure or a missing answer is an error: dropping all 15 groups would have
 * the sweep mark them deleted.
 */
async function readGroupList(api: GraphApi, answer: { status: number; body: unknown } | undefined, url: string): Promise<Map<string, z.infer<typeof groupSchema>>> {
  if (!answer) throw new AppError('GRAPH_BAD_RESPONSE', 'Graph left the group list out of a $batch answer');
  throwIfFailed(answer, url);
  const list = readBody(groupListSchema, answer.body, 'Graph returned an unreadable group list in a $batch');
  const groups = [...list.value];
  // At most 15 ids never fill a page, but a nextLink is followed rather than trusted away.
  if (typeof list['@odata.nextLink'] === 'string') {
    for await (const more of collectionPages(api, list['@odata.nextLink'])) {
      groups.push(...more.items.map((item) => readBody(groupSchema, item, 'Graph returned an unreadable group list page')));
    }
  }
  return new Map(groups.map((g) => [g.id.toLowerCase(), g]));
}

const groupSchema = z.looseObject({
  id: z.string(),
  displayName: z.string().nullable().optional(),
  groupTypes: z.array(z.string()).nullable().optional(),
  mailEnabled: z.boolean().nullable().optional(),
  securityEnabled: z.boolean().nullable().optional(),
});
const groupListSchema = z.looseObject({
  value: z.array(groupSchema),
  '@odata.nextLink': z.unknown().optional(),
});
const membersSchema = z.looseObject({
  value: z.array(z.looseObject({ id: z.unknown().optional(), '@odata.type': z.unknown().optional() })),
  '@odata.nextLink': z.unknown().optional(),
});

function readBody<T>(schema: z.ZodType<T>, body: unknown, message: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new AppError('GRAPH_BAD_RESPONSE', message);
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
