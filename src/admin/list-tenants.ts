import { asc, sql } from 'drizzle-orm';
import type { Store } from '../store/open-store.js';
import { insyncUsers, mappings, tenants, type Encryption, type ProvisioningMethod, type TenantState } from '../store/schema.js';

/** The shape `tenant list --json` prints. */
export interface TenantSummary {
  name: string;
  encryption: Encryption;
  provisioningMethod: ProvisioningMethod;
  state: TenantState;
  stateReason: string | null;
  schedule: string;
  mappings: number;
  insyncUsers: number;
}

export async function listTenants(store: Store): Promise<TenantSummary[]> {
  const rows = await store.db
    .select({
      id: tenants.id, name: tenants.name, encryption: tenants.encryption, provisioningMethod: tenants.provisioningMethod,
      state: tenants.state, stateReason: tenants.stateReason, schedule: tenants.schedule,
    })
    .from(tenants)
    .orderBy(asc(tenants.name));
  const mappingCounts = await countsBy(store, mappings.tenantId, mappings);
  const userCounts = await countsBy(store, insyncUsers.tenantId, insyncUsers);
  return rows.map(({ id, ...t }) => ({ ...t, mappings: mappingCounts.get(id) ?? 0, insyncUsers: userCounts.get(id) ?? 0 }));
}

async function countsBy(store: Store, column: typeof mappings.tenantId | typeof insyncUsers.tenantId, table: typeof mappings | typeof insyncUsers): Promise<Map<number, number>> {
  const rows = await store.db.select({ tenantId: column, n: sql<number>`count(*)::int` }).from(table).groupBy(column);
  return new Map(rows.map((r) => [r.tenantId, Number(r.n)]));
}
