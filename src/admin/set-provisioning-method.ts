import { and, eq, inArray } from 'drizzle-orm';
import { AppError } from '../core/app-error.js';
import { deleteMappings } from '../store/delete-mappings.js';
import type { Db, Store } from '../store/open-store.js';
import { insyncUsers, mappings, tenants, type ProvisioningMethod } from '../store/schema.js';
import { mappingsInOrder, writeMappingOrder } from './find-mapping.js';
import { findTenant } from './find-tenant.js';
import { inTenantTransaction } from './in-tenant-transaction.js';
import { mappingViews, type MappingView } from './list-mappings.js';
import { bumpMappingsVersion, recordAudit } from '../store/record-audit.js';

export const PROVISIONING_METHODS: readonly ProvisioningMethod[] = ['entra-import', 'scim', 'ad-ldap'];

export interface MethodChange {
  tenant: string;
  from: ProvisioningMethod;
  to: ProvisioningMethod;
  outcome: 'changed' | 'unchanged';
  /** Group mappings dropped (or that would be, in a refusal's details). */
  groupMappingsRemoved: MappingView[];
  /** inSync users moved to source 'manual'. */
  usersMadeManual: number;
}

/**
 * Switches the tenant's user provisioning method (insync-behaviour "Switching methods"). Leaving
 * entra-import drops every group mapping (they cannot be expressed under SCIM or AD/LDAP), keeps
 * attribute and all-users mappings, turns every inSync user into a manual one, and needs
 * `confirmed`: without it nothing changes and the error lists what would be lost. The sync then
 * refuses with METHOD_NOT_ENTRA_IMPORT, which also stops scheduled imports.
 */
export async function setProvisioningMethod(
  store: Store, tenantName: string, to: ProvisioningMethod, options: { confirmed: boolean }, actor: string,
): Promise<MethodChange> {
  if (!PROVISIONING_METHODS.includes(to)) throw new AppError('USAGE', `unknown method "${to}"; use one of ${PROVISIONING_METHODS.join(', ')}`);
  const found = await findTenant(store.db, tenantName);
  // Under the sync's lock: a run in progress would otherwise go on creating 'auto' users after the switch.
  return inTenantTransaction(store, found, 'change the method', async (db): Promise<MethodChange> => {
    const tenant = await findTenant(db, tenantName);
    const from = tenant.provisioningMethod;
    const base = { tenant: tenant.name, from, to, groupMappingsRemoved: [], usersMadeManual: 0 };
    if (from === to) return { ...base, outcome: 'unchanged' };
    if (from !== 'entra-import') {
      await setMethod(db, tenant.id, to);
      await recordAudit(db, { tenantId: tenant.id, actor, action: 'tenant.set-method', target: tenant.name, before: { provisioningMethod: from }, after: { provisioningMethod: to } });
      return { ...base, outcome: 'changed' };
    }
    const lost = (await mappingViews(db, tenant.id)).filter((m) => m.kind === 'group');
    if (!options.confirmed) {
      const list = lost.length > 0 ? `these group mappings will be deleted: ${lost.map((m) => m.name).join(', ')}` : 'no group mappings will be deleted';
      throw new AppError('CONFIRMATION_REQUIRED',
        `switching tenant "${tenant.name}" from entra-import to ${to} stops the import, makes every inSync user manual, and ${list}; run again with --yes to do it`,
        { details: { groupMappings: lost.map((m) => m.name) } });
    }
    const usersMadeManual = await leaveEntraImport(db, tenant.id, lost.map((m) => m.name));
    await setMethod(db, tenant.id, to);
    await recordAudit(db, {
      tenantId: tenant.id, actor, action: 'tenant.set-method', target: tenant.name,
      before: { provisioningMethod: from, groupMappings: lost }, after: { provisioningMethod: to, groupMappings: [], usersMadeManual },
    });
    return { ...base, outcome: 'changed', groupMappingsRemoved: lost, usersMadeManual };
  });
}

async function leaveEntraImport(db: Db, tenantId: number, groupMappingNames: readonly string[]): Promise<number> {
  if (groupMappingNames.length > 0) {
    await deleteMappings(db, tenantId, and(eq(mappings.kind, 'group'), inArray(mappings.name, [...groupMappingNames])));
    await writeMappingOrder(db, tenantId, (await mappingsInOrder(db, tenantId)).map((m) => m.id));
    await bumpMappingsVersion(db, tenantId);
  }
  const moved = await db.update(insyncUsers).set({ source: 'manual', updatedAt: new Date() })
    .where(and(eq(insyncUsers.tenantId, tenantId), eq(insyncUsers.source, 'auto')))
    .returning({ id: insyncUsers.id });
  return moved.length;
}

async function setMethod(db: Db, tenantId: number, method: ProvisioningMethod): Promise<void> {
  await db.update(tenants).set({ provisioningMethod: method, updatedAt: new Date() }).where(eq(tenants.id, tenantId));
}
