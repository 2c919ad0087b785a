import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Store } from '../store/open-store.js';
import { provisioningLog } from '../store/schema.js';
import { findTenant } from './find-tenant.js';

export interface LogFilter {
  /** Case-insensitive, as inSync compares emails. */
  email?: string;
  runId?: number;
  limit: number;
}

export async function listProvisioningLog(store: Store, tenantName: string, filter: LogFilter) {
  const tenant = await findTenant(store.db, tenantName);
  const where: SQL[] = [eq(provisioningLog.tenantId, tenant.id)];
  if (filter.email) where.push(sql`lower(${provisioningLog.email}) = ${filter.email.toLowerCase()}`);
  if (filter.runId !== undefined) where.push(eq(provisioningLog.runId, filter.runId));
  const rows = await store.db
    .select({
      id: provisioningLog.id, runId: provisioningLog.runId, at: provisioningLog.at, email: provisioningLog.email,
      entraObjectId: provisioningLog.entraObjectId, action: provisioningLog.action, reason: provisioningLog.reason,
      detail: provisioningLog.detail,
    })
    .from(provisioningLog)
    .where(and(...where))
    .orderBy(desc(provisioningLog.id))
    .limit(filter.limit);
  return rows.reverse();
}
