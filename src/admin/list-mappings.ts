import { asc, eq } from 'drizzle-orm';
import type { Selector } from '../mapping/mapping-rule.js';
import type { Db, Store } from '../store/open-store.js';
import { mappings, profiles, storages, type MappingKind } from '../store/schema.js';
import { findTenant } from './find-tenant.js';

/** The shape `mapping list --json` prints, and what audit events record as before/after. */
export interface MappingView {
  name: string;
  priority: number;
  kind: MappingKind;
  selector: Selector;
  profile: string;
  storage: string;
  /** Bytes; null means unlimited. */
  quotaBytes: number | null;
}

/** The tenant's mappings in priority order (1 first: the first match wins). */
export async function listMappings(store: Store, tenantName: string): Promise<MappingView[]> {
  const tenant = await findTenant(store.db, tenantName);
  return mappingViews(store.db, tenant.id);
}

export async function mappingViews(db: Db, tenantId: number): Promise<MappingView[]> {
  const rows = await db
    .select({
      name: mappings.name, priority: mappings.priority, kind: mappings.kind, selector: mappings.selector,
      profile: profiles.name, storage: storages.name, quotaBytes: mappings.quotaBytes,
    })
    .from(mappings)
    .innerJoin(profiles, eq(profiles.id, mappings.profileId))
    .innerJoin(storages, eq(storages.id, mappings.storageId))
    .where(eq(mappings.tenantId, tenantId))
    .orderBy(asc(mappings.priority), asc(mappings.id));
  return rows.map((r) => ({
    ...r,
    // Stored by validateSelector / config, so the shape is a Selector (mappings.selector is jsonb).
    selector: r.selector as unknown as Selector,
    quotaBytes: r.quotaBytes === null ? null : Number(r.quotaBytes),
  }));
}

export async function mappingView(db: Db, tenantId: number, name: string): Promise<MappingView | null> {
  return (await mappingViews(db, tenantId)).find((m) => m.name === name) ?? null;
}
