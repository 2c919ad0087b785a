import { isObjectId } from '../core/object-id.js';
import type { GraphApi } from './create-graph-api.js';
import { collectionPages } from './delta-pages.js';

/**
 * Ids of the users in the directory's recycle bin: deleted, but restorable for 30 days (D16, read
 * with User.Read.All like the users themselves). A full round does not return them (D1), so when
 * it follows a link that went stale, this is what tells a user deleted meanwhile but restorable
 * from one purged for good. Ids that are not GUIDs cannot be in the mirror and are left out.
 */
export async function listSoftDeletedUserIds(api: GraphApi): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of collectionPages(api, '/directory/deletedItems/microsoft.graph.user?$select=id&$top=999')) {
    for (const item of page.items) {
      const id = (item as { id?: unknown } | null)?.id;
      if (typeof id === 'string' && isObjectId(id)) ids.push(id);
    }
  }
  return ids;
}
