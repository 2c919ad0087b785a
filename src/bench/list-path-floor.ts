import { z } from 'zod';
import { createGraphApi, type GraphApi } from '../graph/create-graph-api.js';
import { groupStreams } from '../graph/group-delta.js';
import type { GraphSettings } from '../graph/graph-settings.js';
import { USER_SELECT, parseUserChange, usersDeltaPath } from '../graph/user-delta.js';
import type { FloorResult } from './pull-only-floor.js';

const listPage = z.looseObject({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() });
const batchAnswer = z.object({ responses: z.array(z.object({ id: z.string(), status: z.number(), body: z.unknown() })) });

/** §9b: at most 20 requests per `$batch`. */
const BATCH = 20;

/**
 * The pull-only floor of the fast first round (§9b), read by the bench itself so it exists before
 * the engine's: `$deltatoken=latest` links for every stream, `GET /users?$top=999` pages, and the
 * mapped groups' direct members through `$batch`, 20 reads a request. Parsed, written nowhere.
 */
export async function listPathFloor(settings: GraphSettings, groupIds: readonly string[]): Promise<FloorResult> {
  const graph = await createGraphApi(settings);
  const out: FloorResult = { pages: 0, users: 0, groupItems: 0, unreadable: 0, graphRequests: 0 };
  const latest = [usersDeltaPath(), ...(groupIds.length > 0 ? groupStreams(groupIds, false).map((g) => g.path) : [])];
  await Promise.all(latest.map((path) => graph.getJson(`${path}&$deltatoken=latest`)));
  const users = async () => {
    for (let url: string | undefined = `/users?$select=${USER_SELECT.join(',')}&$top=999`; url !== undefined;) {
      const page = listPage.parse(await graph.getJson(url));
      out.pages += 1;
      for (const raw of page.value) {
        if (parseUserChange(raw).ok) out.users += 1;
        else out.unreadable += 1;
      }
      url = page['@odata.nextLink'];
    }
  };
  const members = async () => {
    for (let i = 0; i < groupIds.length; i += BATCH) out.groupItems += await readMembers(graph, groupIds.slice(i, i + BATCH), out);
  };
  await Promise.all([users(), members()]);
  out.graphRequests = graph.stats.requests;
  return out;
}

/** One `$batch` of member reads; throttled items are sent again, nextLinks followed one by one. */
async function readMembers(graph: GraphApi, ids: readonly string[], out: FloorResult): Promise<number> {
  let pending = [...ids];
  let count = 0;
  for (let attempt = 0; pending.length > 0 && attempt < 5; attempt++) {
    const answer = batchAnswer.parse(await graph.postJson('/$batch', {
      requests: pending.map((id, n) => ({ id: String(n), method: 'GET', url: `/groups/${id}/members?$select=id&$top=999` })),
    }));
    out.pages += 1;
    const retry: string[] = [];
    for (const r of answer.responses) {
      const id = pending[Number(r.id)];
      if (id === undefined) continue;
      if (r.status === 429 || r.status >= 500) { retry.push(id); continue; }
      if (r.status !== 200) throw new Error(`members of ${id} answered ${r.status}`);
      for (let page = listPage.parse(r.body); ;) {
        count += page.value.length;
        const next = page['@odata.nextLink'];
        if (next === undefined) break;
        page = listPage.parse(await graph.getJson(next));
        out.pages += 1;
      }
    }
    pending = retry;
  }
  return count;
}
