import { eq } from 'drizzle-orm';
import { AppError } from '../core/app-error.js';
import type { Store } from '../store/open-store.js';
import { tenants, type Encryption } from '../store/schema.js';
import { findTenant } from './find-tenant.js';
import { recordAudit } from '../store/record-audit.js';

export const ENCRYPTION_MODES: readonly Encryption[] = ['kms', 'byok', 'none'];

/**
 * Sets the tenant's encryption mode. The product cannot turn KMS off; here it is a precondition of
 * the import, not key management, so any change is allowed and audited (insync-behaviour
 * "Precondition" default). With "none" the next sync refuses with ENCRYPTION_REQUIRED.
 */
export async function setEncryption(store: Store, tenantName: string, to: Encryption, actor: string): Promise<{ tenant: string; from: Encryption; to: Encryption; outcome: 'changed' | 'unchanged' }> {
  if (!ENCRYPTION_MODES.includes(to)) throw new AppError('USAGE', `unknown encryption "${to}"; use one of ${ENCRYPTION_MODES.join(', ')}`);
  return store.db.transaction(async (db) => {
    const tenant = await findTenant(db, tenantName);
    const from = tenant.encryption;
    if (from === to) return { tenant: tenant.name, from, to, outcome: 'unchanged' as const };
    await db.update(tenants).set({ encryption: to, updatedAt: new Date() }).where(eq(tenants.id, tenant.id));
    await recordAudit(db, { tenantId: tenant.id, actor, action: 'tenant.set-encryption', target: tenant.name, before: { encryption: from }, after: { encryption: to } });
    return { tenant: tenant.name, from, to, outcome: 'changed' as const };
  });
}
