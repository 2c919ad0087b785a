import { asc, eq } from 'drizzle-orm';
import type { Store } from '../store/open-store.js';
import { insyncUsers, profiles, storages } from '../store/schema.js';
import { findTenant } from './find-tenant.js';

/** The shape `users --json` prints (issue 2); quotaBytes null means unlimited. */
export interface InsyncUserView {
  email: string;
  displayName: string;
  entraObjectId: string | null;
  status: 'active' | 'preserved';
  mapping: string | null;
  profile: string;
  storage: string;
  quotaBytes: number | null;
  source: 'auto' | 'manual';
  preservedReason: string | null;
}

export async function listInsyncUsers(store: Store, tenantName: string): Promise<InsyncUserView[]> {
  const tenant = await findTenant(store.db, tenantName);
  const rows = await store.db
    .select({
      email: insyncUsers.email, displayName: insyncUsers.displayName, entraObjectId: insyncUsers.entraObjectId,
      status: insyncUsers.status, mapping: insyncUsers.mappingName, profile: profiles.name, storage: storages.name,
      quotaBytes: insyncUsers.quotaBytes, source: insyncUsers.source, preservedReason: insyncUsers.preservedReason,
    })
    .from(insyncUsers)
    .innerJoin(profiles, eq(profiles.id, insyncUsers.profileId))
    .innerJoin(storages, eq(storages.id, insyncUsers.storageId))
    .where(eq(insyncUsers.tenantId, tenant.id))
    .orderBy(asc(insyncUsers.email));
  return rows.map((r) => ({ ...r, quotaBytes: r.quotaBytes === null ? null : Number(r.quotaBytes) }));
}
