import { sql } from 'drizzle-orm';
import type { InsyncUserFields } from './planned-action.js';

/** An existing inSync user as the planner needs it. */
export interface InsyncUserRow extends InsyncUserFields {
  id: number;
  entraObjectId: string | null;
  quotaOverride: boolean;
  status: 'active' | 'preserved';
  preservedBy: 'sync' | 'admin' | null;
  source: 'auto' | 'manual';
}

/** The columns of insync_users that InsyncRowRaw holds, for a select list. */
export const INSYNC_COLUMNS = sql.raw(`id, email, display_name, entra_object_id, user_principal_name, mapping_id, mapping_name, profile_id,
  storage_id, quota_bytes, quota_override, status, preserved_by, source`);

/** An insync_users row as the drivers return it (INSYNC_COLUMNS). */
export interface InsyncRowRaw extends Record<string, unknown> {
  id: number;
  email: string;
  display_name: string;
  entra_object_id: string | null;
  user_principal_name: string | null;
  mapping_id: number | null;
  mapping_name: string | null;
  profile_id: number;
  storage_id: number;
  quota_bytes: string | number | null;
  quota_override: boolean;
  status: 'active' | 'preserved';
  preserved_by: 'sync' | 'admin' | null;
  source: 'auto' | 'manual';
}

export function toInsyncRow(raw: InsyncRowRaw): InsyncUserRow {
  return {
    id: Number(raw.id),
    email: raw.email,
    displayName: raw.display_name,
    entraObjectId: raw.entra_object_id,
    userPrincipalName: raw.user_principal_name,
    mappingId: raw.mapping_id === null ? null : Number(raw.mapping_id),
    mappingName: raw.mapping_name,
    profileId: Number(raw.profile_id),
    storageId: Number(raw.storage_id),
    // bigint comes back as a string from postgres.js; quotas stay far below 2^53.
    quotaBytes: raw.quota_bytes === null ? null : Number(raw.quota_bytes),
    quotaOverride: raw.quota_override,
    status: raw.status,
    preservedBy: raw.preserved_by,
    source: raw.source,
  };
}
