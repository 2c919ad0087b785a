import { systemClock } from '../core/clock.js';
import { createGraphApi } from '../graph/create-graph-api.js';
import { groupStreams, parseGroupChange } from '../graph/group-delta.js';
import type { GraphSettings } from '../graph/graph-settings.js';
import { latestDeltaLink } from '../graph/latest-delta-link.js';
import { listUserPages } from '../graph/list-users.js';
import { readGroupsByDelta } from '../graph/read-groups-by-delta.js';
import { parseUserChange, usersDeltaPath } from '../graph/user-delta.js';
import type { FloorResult } from './pull-only-floor.js';

/**
 * The pull-only floor of the fast first round (§9b), read with the engine's own Graph functions:
 * `$deltatoken=latest` links for every stream, `GET /users?$top=999` pages, and the mapped groups
 * with their direct members through batched groups/delta sub-rounds. Parsed, written nowhere;
 * users and groups side by side.
 */
export async function listPathFloor(settings: GraphSettings, groupIds: readonly string[]): Promise<FloorResult> {
  const graph = await createGraphApi(settings);
  const out: FloorResult = { pages: 0, users: 0, groupItems: 0, unreadable: 0, graphRequests: 0 };
  const streams = groupIds.length > 0 ? groupStreams(groupIds, false) : [];
  await Promise.all([usersDeltaPath(), ...streams.map((s) => s.path)].map((path) => latestDeltaLink(graph, path)));
  const users = async () => {
    for await (const page of listUserPages(graph)) {
      out.pages += 1;
      for (const raw of page.items) {
        if (parseUserChange(raw, 'full').ok) out.users += 1;
        else out.unreadable += 1;
      }
    }
  };
  const members = async () => {
    for (const stream of streams) {
      for await (const items of readGroupsByDelta(graph, stream.groupIds ?? [], (ms) => systemClock.sleep(ms))) {
        out.pages += 1;
        for (const raw of items) {
          const parsed = parseGroupChange(raw);
          if (!parsed.ok) out.unreadable += 1;
          else if (parsed.change.kind === 'upsert') out.groupItems += parsed.change.memberAdds.length;
        }
      }
    }
  };
  await Promise.all([users(), members()]);
  out.graphRequests = graph.stats.requests;
  return out;
}
