import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../core/app-error.js';
import { deleteMappings } from '../store/delete-mappings.js';
import type { Db, Store } from '../store/open-store.js';
import { insyncUsers, mappings } from '../store/schema.js';
import { findMapping, mappingsInOrder, writeMappingOrder } from './find-mapping.js';
import { findTenant } from './find-tenant.js';
import { mappingView, type MappingView } from './list-mappings.js';
import { bumpMappingsVersion, recordAudit } from '../store/record-audit.js';

export interface MappingRemovalPreview {
  mapping: MappingView;
  /** inSync users whose winning mapping this is today; the next sync decides them again. */
  users: { active: number; preserved: number; total: number };
}

/** What removing the mapping would touch (insync-behaviour "Deleting a mapping": preview, then confirm). */
export async function previewMappingRemoval(store: Store, tenantName: string, name: string): Promise<MappingRemovalPreview> {
  const tenant = await findTenant(store.db, tenantName);
  return preview(store.db, tenant.id, tenantName, name);
}

/**
 * Deletes the mapping and closes the gap in priorities. Its users keep their inSync accounts;
 * the next sync decides them again (another mapping, or preserved as unmapped, behind the
 * safety limit).
 */
export async function removeMapping(store: Store, tenantName: string, name: string, actor: string): Promise<MappingRemovalPreview> {
  return store.db.transaction(async (db) => {
    const tenant = await findTenant(db, tenantName);
    const shown = await preview(db, tenant.id, tenantName, name);
    const row = await findMapping(db, tenant.id, tenantName, name);
    await deleteMappings(db, tenant.id, eq(mappings.id, row.id));
    await writeMappingOrder(db, tenant.id, (await mappingsInOrder(db, tenant.id)).map((m) => m.id));
    await bumpMappingsVersion(db, tenant.id);
    await recordAudit(db, { tenantId: tenant.id, actor, action: 'mapping.delete', target: name, before: shown.mapping, after: { usersAffected: shown.users } });
    return shown;
  });
}

async function preview(db: Db, tenantId: number, tenantName: string, name: string): Promise<MappingRemovalPreview> {
  const row = await findMapping(db, tenantId, tenantName, name);
  const mapping = await mappingView(db, tenantId, name);
  if (!mapping) throw new AppError('INTERNAL', `mapping "${name}" has no catalogue entries`);
  const [counts] = await db
    .select({
      active: sql<number>`count(*) filter (where ${insyncUsers.status} = 'active')::int`,
      preserved: sql<number>`count(*) filter (where ${insyncUsers.status} = 'preserved')::int`,
    })
    .from(insyncUsers)
    .where(and(eq(insyncUsers.tenantId, tenantId), eq(insyncUsers.mappingId, row.id)));
  const active = counts?.active ?? 0;
  const preserved = counts?.preserved ?? 0;
  return { mapping, users: { active, preserved, total: active + preserved } };
}
