import type { ReasonCode } from '../mapping/index.js';

/** Why the plan does something; decision reasons plus the plan's own. */
export type ActionReason =
  | ReasonCode
  | 'DETAILS_CHANGED'
  | 'MAPPING_CHANGED'
  | 'STORAGE_CHANGE_PENDING'
  | 'BACK_IN_SCOPE'
  | 'EMAIL_CONFLICT'
  | 'EXISTS_UNMANAGED'
  | 'ADMIN_PRESERVED'
  | 'BAD_RECORD';

/** The inSync settings a mapping assigns, resolved to catalogue ids. */
export interface Assignment {
  mappingId: number;
  mappingName: string;
  profileId: number;
  profile: string;
  storageId: number;
  storage: string;
  quotaBytes: number | null;
}

/** The columns of an inSync user the sync owns. */
export interface InsyncUserFields {
  email: string;
  displayName: string;
  userPrincipalName: string | null;
  mappingId: number | null;
  mappingName: string | null;
  profileId: number;
  storageId: number;
  quotaBytes: number | null;
}

export type PlannedAction =
  | { action: 'create'; entraObjectId: string; fields: InsyncUserFields; reason: 'MATCHED'; detail: Record<string, unknown> }
  | {
      action: 'update' | 'reactivate';
      insyncId: number;
      entraObjectId: string;
      fields: InsyncUserFields;
      reason: ActionReason;
      detail: Record<string, unknown>;
    }
  | { action: 'preserve'; insyncId: number; entraObjectId: string; email: string; reason: ActionReason; detail: Record<string, unknown> }
  | { action: 'unchanged'; insyncId: number; entraObjectId: string; email: string; reason: ActionReason }
  | { action: 'skip'; entraObjectId: string | null; email: string | null; reason: ActionReason; detail: Record<string, unknown> };
