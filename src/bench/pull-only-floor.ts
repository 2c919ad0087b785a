import { createGraphApi } from '../graph/create-graph-api.js';
import { deltaPages } from '../graph/delta-pages.js';
import { groupStreams, parseGroupChange } from '../graph/group-delta.js';
import type { GraphSettings } from '../graph/graph-settings.js';
import { parseUserChange, usersDeltaPath } from '../graph/user-delta.js';

export interface FloorResult { pages: number; users: number; groupItems: number; unreadable: number; graphRequests: number }

/**
 * The pull-only floor: one full delta round of every stream a sync would read (users, and the
 * mapped groups in chunks of 50), fetched and parsed the way the engine does and written nowhere.
 * Streams run side by side as in a sync. What a full import costs above this is the writing.
 */
export async function pullOnlyFloor(settings: GraphSettings, groupIds: readonly string[]): Promise<FloorResult> {
  const graph = await createGraphApi(settings);
  const out: FloorResult = { pages: 0, users: 0, groupItems: 0, unreadable: 0, graphRequests: 0 };
  const read = async (path: string, parse: (raw: unknown) => { ok: boolean }, kind: 'users' | 'groupItems') => {
    for await (const page of deltaPages(graph, path)) {
      out.pages += 1;
      for (const raw of page.items) {
        if (parse(raw).ok) out[kind] += 1;
        else out.unreadable += 1;
      }
    }
  };
  const groups = groupIds.length > 0 ? groupStreams(groupIds, false) : [];
  await Promise.all([read(usersDeltaPath(), (raw) => parseUserChange(raw, 'full'), 'users'), ...groups.map((g) => read(g.path, parseGroupChange, 'groupItems'))]);
  out.graphRequests = graph.stats.requests;
  return out;
}
