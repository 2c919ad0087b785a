import { createGraphApi, type GraphApi, type GraphApiDeps } from '../graph/create-graph-api.js';
import type { GraphSettings } from '../graph/graph-settings.js';
import type { TenantRow } from '../store/tenant-row.js';
import { graphSettingsFor } from '../graph/graph-settings-for.js';

/** How admin operations reach Graph; the same knobs runSync takes (SyncDeps), so tests can point them at the mock. */
export interface AdminGraphDeps {
  /** Where the tenant's client secret is read from (its variable name is on the tenant row). */
  env: NodeJS.ProcessEnv;
  /** PEM of an extra CA to trust (the mock's certificate). */
  graphCa?: string | null;
  graph?: Omit<GraphApiDeps, 'clock'>;
  /** Replaces the client factory (tests that record requests). */
  createGraph?: (settings: GraphSettings) => Promise<GraphApi>;
}

/** A Graph client for one tenant, built exactly as a sync run builds it (run-sync.ts). */
export async function openTenantGraph(tenant: TenantRow, deps: AdminGraphDeps): Promise<GraphApi> {
  const settings = graphSettingsFor(tenant, deps.env, deps.graphCa ?? null);
  return deps.createGraph ? deps.createGraph(settings) : createGraphApi(settings, deps.graph ?? {});
}
