import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../core/app-error.js';
import { isObjectId } from '../core/object-id.js';
import { flagUsersForDecision } from '../store/flag-for-decision.js';
import type { Db, Store } from '../store/open-store.js';
import { recordUserChange } from '../store/record-user-change.js';
import { insyncUsers } from '../store/schema.js';
import type { TenantRow } from '../store/tenant-row.js';
import { findInsyncUser } from './find-insync-user.js';
import { findTenant } from './find-tenant.js';
import { inTenantTransaction } from './in-tenant-transaction.js';

export interface AdoptOutcome {
  email: string;
  entraObjectId: string;
  outcome: 'adopted' | 'unchanged';
}

/**
 * Links an inSync user the sync does not manage (made by hand in inSync, or by another
 * provisioning method; the sync skips its Entra namesake as EXISTS_UNMANAGED) to the Entra user
 * with the same email. insync-behaviour "Existing inSync users with the same email": never
 * silently, only by this audited admin command. The Entra user is looked up in the mirror the
 * last sync wrote, by the address the tenant's `emailFrom` names; `objectId` picks one when
 * several share it. From then on the sync manages the user like one it created: the next run
 * decides them, and their profile, quota and status follow the mappings (storage never moves by
 * itself: STORAGE_CHANGE_PENDING).
 */
export async function adoptUser(store: Store, tenantName: string, email: string, actor: string, opts: { objectId?: string } = {}): Promise<AdoptOutcome> {
  if (opts.objectId !== undefined && !isObjectId(opts.objectId)) throw new AppError('USAGE', `--object-id must be a GUID (got "${opts.objectId}")`);
  const tenant = await findTenant(store.db, tenantName);
  // The sync's lock: a run deciding this user at the same moment would not see the link.
  return inTenantTransaction(store, tenant, 'adopt', (db) => adoptOne(store, db, tenant, email, actor, opts.objectId));
}

async function adoptOne(store: Store, db: Db, tenant: TenantRow, email: string, actor: string, objectId: string | undefined): Promise<AdoptOutcome> {
  const user = await findInsyncUser(db, tenant.id, tenant.name, email);
  if (user.entraObjectId !== null) {
    // Already managed: saying so is the answer, unless the admin asked for another object.
    if (objectId === undefined || objectId.toLowerCase() === user.entraObjectId) return { email: user.email, entraObjectId: user.entraObjectId, outcome: 'unchanged' };
    throw new AppError('ADOPT_REFUSED', `inSync user "${user.email}" is already linked to Entra object ${user.entraObjectId}; it is not re-pointed`);
  }
  const entra = await entraNamesake(store, db, tenant, user.email, objectId);
  const [holder] = await db.select({ email: insyncUsers.email }).from(insyncUsers)
    .where(and(eq(insyncUsers.tenantId, tenant.id), eq(insyncUsers.entraObjectId, entra)));
  if (holder) throw new AppError('ADOPT_REFUSED', `Entra object ${entra} is already linked to inSync user "${holder.email}"`);

  await db.update(insyncUsers).set({ entraObjectId: entra, source: 'auto', updatedAt: new Date() }).where(eq(insyncUsers.id, user.id));
  await flagUsersForDecision(db, tenant.id, [entra]);
  const before = { entraObjectId: null, source: user.source };
  const after = { entraObjectId: entra, source: 'auto' };
  await recordUserChange(db, {
    tenantId: tenant.id, actor, auditAction: 'user.adopt', user: { email: user.email, entraObjectId: entra }, before, after,
    log: { action: 'update', reason: 'ADMIN_ADOPTED' },
  });
  return { email: user.email, entraObjectId: entra, outcome: 'adopted' };
}

/** The one present Entra user in the mirror whose inSync email would be `email`. */
async function entraNamesake(store: Store, db: Db, tenant: TenantRow, email: string, objectId: string | undefined): Promise<string> {
  const column = tenant.emailFrom === 'userPrincipalName' ? sql`user_principal_name` : sql`mail`;
  const ids = (await store.rows<{ id: string }>(db, sql`
    select id::text as id from entra_users
    where tenant_id = ${tenant.id} and deletion = 'none' and lower(${column}) = ${email.trim().toLowerCase()}
      ${objectId === undefined ? sql`` : sql`and id = ${objectId.toLowerCase()}::uuid`}
    order by id`)).map((r) => r.id);
  const by = tenant.emailFrom === 'userPrincipalName' ? 'userPrincipalName' : 'mail';
  if (ids.length === 0) {
    throw new AppError('ADOPT_REFUSED', objectId === undefined
      ? `no present Entra user of tenant "${tenant.name}" has ${by} "${email}" in the last sync; run a sync first, or check the address`
      : `Entra object ${objectId} is not a present user of tenant "${tenant.name}" with ${by} "${email}" in the last sync`);
  }
  const [only] = ids;
  if (ids.length > 1 || only === undefined) {
    throw new AppError('ADOPT_REFUSED', `${ids.length} Entra users of tenant "${tenant.name}" have ${by} "${email}" (${ids.join(', ')}); name one with --object-id`);
  }
  return only;
}
