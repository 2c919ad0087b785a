import { AppError } from '../core/app-error.js';
import type { TenantRow } from '../store/tenant-row.js';

export type { TenantRow };

/**
 * The reasons a tenant may not be imported at all, checked before any Graph call. Order matters:
 * the first failing one is what the admin is told.
 */
export function checkPreconditions(tenant: TenantRow, mappingCount: number): AppError | null {
  // SaaS backups need each user's key without a device: no KMS or BYOK, no import (insync-behaviour "Precondition").
  if (tenant.encryption !== 'kms' && tenant.encryption !== 'byok') {
    return new AppError(
      'ENCRYPTION_REQUIRED',
      `tenant "${tenant.name}" has encryption "${tenant.encryption}"; Entra ID import requires KMS or BYOK to be enabled`,
      { details: { tenant: tenant.name, encryption: tenant.encryption } },
    );
  }
  if (tenant.provisioningMethod !== 'entra-import') {
    return new AppError(
      'METHOD_NOT_ENTRA_IMPORT',
      `tenant "${tenant.name}" provisions users by "${tenant.provisioningMethod}", not "entra-import"; the import does not run`,
      { details: { tenant: tenant.name, provisioningMethod: tenant.provisioningMethod } },
    );
  }
  if (tenant.state === 'paused') {
    return new AppError('TENANT_LOCKED', `tenant "${tenant.name}" is paused${tenant.stateReason ? `: ${tenant.stateReason}` : ''}`);
  }
  if (mappingCount === 0) {
    return new AppError('NO_MAPPINGS', `tenant "${tenant.name}" has no mappings; nobody would be imported`);
  }
  return null;
}
