import type { GraphApi } from './create-graph-api.js';
import { collectionPages } from './delta-pages.js';

/** All group ids, 999 a page and lowercased, for nested mappings that need the whole group graph. */
export async function* listAllGroupIds(api: GraphApi): AsyncGenerator<string[]> {
  for await (const page of collectionPages(api, '/groups?$select=id&$top=999')) {
    yield (page.items as { id?: unknown }[]).flatMap((g) => (typeof g.id === 'string' ? [g.id.toLowerCase()] : []));
  }
}
