import { searchUsers, type UserSearchResult } from '../graph/search-users.js';
import type { Store } from '../store/open-store.js';
import { findTenant } from './find-tenant.js';
import { openTenantGraph, type AdminGraphDeps } from './open-tenant-graph.js';

/** Searches the tenant's Entra directory by name, mail or UPN, for manual import. Read-only. */
export async function searchDirectory(store: Store, tenantName: string, text: string, top: number, deps: AdminGraphDeps): Promise<UserSearchResult> {
  const tenant = await findTenant(store.db, tenantName);
  const graph = await openTenantGraph(tenant, deps);
  return searchUsers(graph, text, top);
}
