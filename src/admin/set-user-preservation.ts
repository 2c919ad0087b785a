import { eq } from 'drizzle-orm';
import { flagUsersForDecision } from '../store/flag-for-decision.js';
import type { Db, Store } from '../store/open-store.js';
import { insyncUsers } from '../store/schema.js';
import { findInsyncUser, type InsyncUserRecord } from './find-insync-user.js';
import { findTenant } from './find-tenant.js';
import { recordUserChange } from '../store/record-user-change.js';

export interface PreservationChange {
  email: string;
  outcome: 'changed' | 'unchanged';
  status: 'active' | 'preserved';
  preservedBy: 'sync' | 'admin' | null;
}

/**
 * An admin preserves a user by hand: data kept, backups stop, and the sync never reactivates them
 * (insync-behaviour "Reactivation": only users the sync preserved come back by themselves).
 */
export async function preserveUser(store: Store, tenantName: string, email: string, actor: string): Promise<PreservationChange> {
  return store.db.transaction(async (db) => {
    const tenant = await findTenant(db, tenantName);
    const user = await findInsyncUser(db, tenant.id, tenantName, email);
    if (user.status === 'preserved' && user.preservedBy === 'admin') return unchanged(user);
    await db.update(insyncUsers)
      .set({ status: 'preserved', preservedBy: 'admin', preservedReason: 'ADMIN_PRESERVED', updatedAt: new Date() })
      .where(eq(insyncUsers.id, user.id));
    await record(db, tenant.id, user, actor, 'preserve', 'ADMIN_PRESERVED');
    return { email: user.email, outcome: 'changed', status: 'preserved', preservedBy: 'admin' };
  });
}

/**
 * An admin brings a preserved user back. The user's Entra record is marked for a new decision, so
 * the next sync checks them again: someone still deleted or disabled in Entra is preserved again
 * (by the sync), because inSync follows the directory.
 */
export async function reactivateUser(store: Store, tenantName: string, email: string, actor: string): Promise<PreservationChange> {
  return store.db.transaction(async (db) => {
    const tenant = await findTenant(db, tenantName);
    const user = await findInsyncUser(db, tenant.id, tenantName, email);
    if (user.status === 'active') return unchanged(user);
    await db.update(insyncUsers)
      .set({ status: 'active', preservedBy: null, preservedReason: null, updatedAt: new Date() })
      .where(eq(insyncUsers.id, user.id));
    if (user.entraObjectId !== null) {
      await flagUsersForDecision(db, tenant.id, [user.entraObjectId]);
    }
    await record(db, tenant.id, user, actor, 'reactivate', 'ADMIN_REACTIVATED');
    return { email: user.email, outcome: 'changed', status: 'active', preservedBy: null };
  });
}

function unchanged(user: InsyncUserRecord): PreservationChange {
  return { email: user.email, outcome: 'unchanged', status: user.status, preservedBy: user.preservedBy };
}

async function record(db: Db, tenantId: number, user: InsyncUserRecord, actor: string, action: 'preserve' | 'reactivate', reason: string): Promise<void> {
  const before = { status: user.status, preservedBy: user.preservedBy, preservedReason: user.preservedReason };
  const after = action === 'preserve'
    ? { status: 'preserved', preservedBy: 'admin', preservedReason: reason }
    : { status: 'active', preservedBy: null, preservedReason: null };
  await recordUserChange(db, { tenantId, actor, auditAction: `user.${action}`, user, before, after, log: { action, reason } });
}
