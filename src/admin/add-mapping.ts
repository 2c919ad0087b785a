import { eq, sql } from 'drizzle-orm';
import { AppError } from '../core/app-error.js';
import type { Selector } from '../mapping/mapping-rule.js';
import type { Store } from '../store/open-store.js';
import { mappings } from '../store/schema.js';
import { mappingsInOrder, writeMappingOrder } from './find-mapping.js';
import { findTenant } from './find-tenant.js';
import { mappingView, type MappingView } from './list-mappings.js';
import { catalogueId, checkMappingName, quotaBytesFrom, validateSelector } from './mapping-input.js';
import { bumpMappingsVersion, recordAudit } from '../store/record-audit.js';

export interface NewMapping {
  name: string;
  selector: Selector;
  profile: string;
  storage: string;
  /** As admins write it: "100GB", "unlimited". */
  quota: string;
  /** 1 = top. Default: the bottom, because a new mapping goes below the existing ones (insync-behaviour "Priority of new mappings"). */
  priority?: number;
}

/** Adds a mapping, renumbering the ones at and below its priority; audited; the next sync re-decides everyone. */
export async function addMapping(store: Store, tenantName: string, input: NewMapping, actor: string): Promise<MappingView> {
  const name = checkMappingName(input.name);
  const selector = validateSelector(input.selector);
  const quotaBytes = quotaBytesFrom(input.quota);
  return store.db.transaction(async (db) => {
    const tenant = await findTenant(db, tenantName);
    const existing = await mappingsInOrder(db, tenant.id);
    if (existing.some((m) => m.name === name)) {
      throw new AppError('MAPPING_EXISTS', `tenant "${tenantName}" already has a mapping named "${name}"; use \`mapping edit\``);
    }
    const priority = input.priority ?? existing.length + 1;
    if (!Number.isInteger(priority) || priority < 1 || priority > existing.length + 1) {
      throw new AppError('USAGE', `priority must be between 1 and ${existing.length + 1} (the bottom)`);
    }
    const profileId = await catalogueId(db, tenant.id, 'profile', input.profile);
    const storageId = await catalogueId(db, tenant.id, 'storage', input.storage);
    const [{ top } = { top: 0 }] = await db.select({ top: sql<number>`coalesce(max(${mappings.priority}), 0)::int` })
      .from(mappings).where(eq(mappings.tenantId, tenant.id));
    // Inserted below everyone (a free priority), then moved into place.
    const [row] = await db.insert(mappings).values({
      tenantId: tenant.id, name, priority: top + 1, kind: selector.kind,
      selector: selector as unknown as Record<string, unknown>, profileId, storageId, quotaBytes,
    }).returning({ id: mappings.id });
    if (!row) throw new AppError('INTERNAL', 'the mapping insert returned nothing');
    const order = existing.map((m) => m.id);
    order.splice(priority - 1, 0, row.id);
    await writeMappingOrder(db, tenant.id, order);
    await bumpMappingsVersion(db, tenant.id);
    const after = await mappingView(db, tenant.id, name);
    await recordAudit(db, { tenantId: tenant.id, actor, action: 'mapping.create', target: name, before: null, after });
    if (!after) throw new AppError('INTERNAL', `mapping "${name}" vanished after insert`);
    return after;
  });
}
