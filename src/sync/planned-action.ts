import { REASON_TEXT, type ReasonCode } from '../mapping/index.js';

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
  | 'BAD_RECORD'
  | 'SAFETY_LIMIT';

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

/** Explanations for the reasons the plan adds on top of the decision engine's. */
export const PLAN_REASON_TEXT: Record<Exclude<ActionReason, ReasonCode>, string> = {
  DETAILS_CHANGED: 'name, email or UPN changed in Entra; the inSync user follows the directory',
  MAPPING_CHANGED: 'another mapping now wins; profile and quota follow it',
  STORAGE_CHANGE_PENDING: 'the winning mapping uses another storage; storage is not moved automatically (an admin moves it)',
  BACK_IN_SCOPE: 'the user is eligible and matched again; the sync had preserved them, so they are reactivated',
  EMAIL_CONFLICT: 'another inSync user, linked to a different Entra object, already has this email',
  EXISTS_UNMANAGED: 'an inSync user with this email exists but is not linked to Entra; it is not adopted silently',
  ADMIN_PRESERVED: 'an admin preserved this user; the sync does not reactivate them',
  BAD_RECORD: 'Graph sent an item that could not be read; it was skipped',
  SAFETY_LIMIT: 'the run would have preserved more users than the safety limit allows; nothing was written',
};

/** The human explanation of any reason code the log may hold; '' for one it does not know. */
export function explainReason(reason: string): string {
  const texts: Record<string, string | undefined> = { ...REASON_TEXT, ...PLAN_REASON_TEXT };
  return texts[reason] ?? '';
}
