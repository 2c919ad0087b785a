import { eq } from 'drizzle-orm';
import { AppError } from '../core/app-error.js';
import type { Selector } from '../mapping/mapping-rule.js';
import type { Store } from '../store/open-store.js';
import { mappings } from '../store/schema.js';
import { findMapping } from './find-mapping.js';
import { findTenant } from './find-tenant.js';
import { mappingView, type MappingView } from './list-mappings.js';
import { catalogueId, checkMappingName, quotaBytesFrom, validateSelector } from './mapping-input.js';
import { bumpMappingsVersion, recordAudit } from '../store/record-audit.js';

/** Only what is given changes. Criteria are editable too (insync-behaviour "Mapping edits" default). */
export interface MappingEdit {
  rename?: string;
  selector?: Selector;
  profile?: string;
  storage?: string;
  quota?: string;
}

export async function editMapping(store: Store, tenantName: string, name: string, edit: MappingEdit, actor: string): Promise<MappingView> {
  if (Object.values(edit).every((v) => v === undefined)) {
    throw new AppError('USAGE', 'nothing to change; give --profile, --storage, --quota, --rename or new criteria');
  }
  const rename = edit.rename === undefined ? undefined : checkMappingName(edit.rename);
  const selector = edit.selector === undefined ? undefined : validateSelector(edit.selector);
  const quotaBytes = edit.quota === undefined ? undefined : quotaBytesFrom(edit.quota);
  return store.db.transaction(async (db) => {
    const tenant = await findTenant(db, tenantName);
    const row = await findMapping(db, tenant.id, tenantName, name);
    if (rename !== undefined && rename !== name) {
      const taken = await mappingView(db, tenant.id, rename);
      if (taken) throw new AppError('MAPPING_EXISTS', `tenant "${tenantName}" already has a mapping named "${rename}"`);
    }
    const before = await mappingView(db, tenant.id, name);
    await db.update(mappings).set({
      ...(rename !== undefined ? { name: rename } : {}),
      ...(selector !== undefined ? { kind: selector.kind, selector: selector as unknown as Record<string, unknown> } : {}),
      ...(edit.profile !== undefined ? { profileId: await catalogueId(db, tenant.id, 'profile', edit.profile) } : {}),
      ...(edit.storage !== undefined ? { storageId: await catalogueId(db, tenant.id, 'storage', edit.storage) } : {}),
      ...(quotaBytes !== undefined ? { quotaBytes } : {}),
      updatedAt: new Date(),
    }).where(eq(mappings.id, row.id));
    const after = await mappingView(db, tenant.id, rename ?? name);
    if (!after) throw new AppError('INTERNAL', `mapping "${rename ?? name}" vanished during the edit`);
    await bumpMappingsVersion(db, tenant.id);
    await recordAudit(db, { tenantId: tenant.id, actor, action: 'mapping.update', target: name, before, after });
    return after;
  });
}
