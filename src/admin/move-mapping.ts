import { AppError } from '../core/app-error.js';
import type { Store } from '../store/open-store.js';
import { findMapping, mappingsInOrder, writeMappingOrder } from './find-mapping.js';
import { findTenant } from './find-tenant.js';
import { mappingViews, type MappingView } from './list-mappings.js';
import { bumpMappingsVersion, recordAudit } from '../store/record-audit.js';

/**
 * Puts a mapping at priority `to` (1 = top) and renumbers the others 1..n around it, which
 * changes who wins for users matching several mappings: the next sync re-decides everyone.
 */
export async function moveMapping(store: Store, tenantName: string, name: string, to: number, actor: string): Promise<MappingView[]> {
  return store.db.transaction(async (db) => {
    const tenant = await findTenant(db, tenantName);
    const row = await findMapping(db, tenant.id, tenantName, name);
    const order = (await mappingsInOrder(db, tenant.id)).map((m) => m.id);
    if (!Number.isInteger(to) || to < 1 || to > order.length) {
      throw new AppError('USAGE', `--to must be between 1 and ${order.length} (tenant "${tenantName}" has ${order.length} mappings)`);
    }
    const before = await mappingViews(db, tenant.id);
    const from = order.indexOf(row.id);
    if (from === to - 1) return before;
    order.splice(from, 1);
    order.splice(to - 1, 0, row.id);
    await writeMappingOrder(db, tenant.id, order);
    await bumpMappingsVersion(db, tenant.id);
    const after = await mappingViews(db, tenant.id);
    // The whole order is the thing that changed, so before/after record it all.
    await recordAudit(db, {
      tenantId: tenant.id, actor, action: 'mapping.move', target: name,
      before: before.map((m) => ({ name: m.name, priority: m.priority })), after: after.map((m) => ({ name: m.name, priority: m.priority })),
    });
    return after;
  });
}
