import { AppError } from '../core/app-error.js';
import type { GraphApi } from './create-graph-api.js';
import { batchGet, MAX_BATCH, throwIfFailed } from './batch-get.js';
import { readDeltaPage } from './delta-pages.js';
import { groupDeltaPath, MAX_IDS_PER_FILTER } from './group-delta.js';
import { safePath } from './graph-error.js';

/**
 * The current state of the given groups and their direct members, for the list path of a first
 * round (§9b), read as many small groups/delta initial rounds side by side in one `$batch`.
 *
 * The ids are spread over up to 20 sub-rounds (`$filter=id eq …` on at most 50 ids each, D4/D5),
 * one batch item each; every batch advances each unfinished sub-round by one page, following its
 * nextLink (D1) until it reaches its deltaLink, which is dropped: the stream's own link was taken
 * with `$deltatoken=latest` before the read and replays whatever changed meanwhile.
 *
 * Why delta pages and not `GET /groups/{id}/members`: a members read costs 2 resource units ($select)
 * per group and per 999 members (D8), so a tenant of many groups of a few hundred members paid more
 * than a whole plain delta round. A groups/delta page costs 1 unit [inf, §4: not in D8's table]
 * and carries the properties and member slices of several groups (I1, D3), so no separate property
 * read is needed either. The split into sub-rounds keeps the requests of the batched read: one
 * batch per page of the longest sub-round. Members of one group may be cut across pages and the
 * same group may come twice (D3); mirroring merges them, as it does for a plain delta round.
 *
 * Yields the raw items of each batch, in the shape groups/delta items have, for the caller's
 * parser. A group that no longer exists is simply not in its sub-round, so the caller's full-round
 * sweep marks it deleted.
 */
export async function* readGroupsByDelta(
  api: GraphApi,
  groupIds: readonly string[],
  sleep: (ms: number) => Promise<void>,
): AsyncGenerator<unknown[]> {
  const perWave = MAX_BATCH * MAX_IDS_PER_FILTER;
  for (let i = 0; i < groupIds.length; i += perWave) {
    let pending = new Map(subRounds(groupIds.slice(i, i + perWave)).map((ids, n) => [String(n), groupDeltaPath(ids)]));
    while (pending.size > 0) {
      const answers = await batchGet(api, pending, sleep);
      const next = new Map<string, string>();
      const items: unknown[] = [];
      for (const [key, url] of pending) {
        const answer = answers.get(key);
        // A missing answer would read as "these groups have no members": refuse it, never sweep on it.
        if (!answer) throw new AppError('GRAPH_BAD_RESPONSE', `Graph left ${safePath(url)} out of a $batch answer`);
        throwIfFailed(answer, url);
        const page = readDeltaPage(answer.body, url, 0);
        items.push(...page.items);
        if (page.nextLink !== null) next.set(key, batchUrl(api, page.nextLink));
      }
      pending = next;
      yield items;
    }
  }
}

/**
 * Up to 20 id lists of nearly equal size (at most 50 each). Fewer, larger sub-rounds would cost
 * fewer units (a page is charged however little it holds) but take more batches one after another.
 */
export function subRounds(ids: readonly string[]): string[][] {
  const count = Math.min(MAX_BATCH, ids.length);
  const out: string[][] = [];
  for (let n = 0, start = 0; n < count; n += 1) {
    const size = Math.floor(ids.length / count) + (n < ids.length % count ? 1 : 0);
    out.push(ids.slice(start, start + size));
    start += size;
  }
  return out;
}

/** A `$batch` item's url is relative to the version root; Graph's nextLinks are absolute (D6). */
function batchUrl(api: GraphApi, link: string): string {
  if (link.startsWith(`${api.baseUrl}/`)) return link.slice(api.baseUrl.length);
  throw new AppError('GRAPH_BAD_RESPONSE', `Graph sent a nextLink outside ${api.baseUrl}: ${safePath(link)}`);
}
