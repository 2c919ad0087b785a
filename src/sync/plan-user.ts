import type { Decision, DirectoryUser, ReasonCode } from '../mapping/index.js';
import type { InsyncUserRow } from './insync-user-row.js';
import type { Assignment, InsyncUserFields, PlannedAction } from './planned-action.js';

/** Manual users are not governed by mappings; only these take them out of service (insync-behaviour "Manual import"). */
const MANUAL_PRESERVE_REASONS: ReadonlySet<ReasonCode> = new Set(['DELETED', 'SOFT_DELETED', 'DISABLED']);

export interface PlanInput {
  user: DirectoryUser;
  decision: Decision;
  /** The winning mapping's catalogue ids, when the decision is eligible. */
  assignment: Assignment | null;
  /** The inSync user linked to this Entra object, if any. */
  linked: InsyncUserRow | null;
  /** Another inSync user already holding the decided email (case-insensitively), if any. */
  emailHolder: InsyncUserRow | null;
}

/**
 * Compares one decision with inSync's current state and says what to do and why. Pure: the
 * caller loads the rows and applies the result. Users are preserved, never deleted
 * (insync-behaviour "Lifecycle").
 */
export function planUser(input: PlanInput): PlannedAction {
  const { user, decision, assignment, linked, emailHolder } = input;
  const id = user.id;

  if (!decision.eligible || assignment === null) {
    const reason: ReasonCode = decision.eligible ? 'NO_MAPPING_MATCHED' : decision.reason;
    if (linked === null) return { action: 'skip', entraObjectId: id, email: decision.email, reason, detail: {} };
    if (linked.status === 'preserved') return { action: 'unchanged', insyncId: linked.id, entraObjectId: id, email: linked.email, reason };
    if (linked.source === 'manual' && !MANUAL_PRESERVE_REASONS.has(reason)) {
      return { action: 'unchanged', insyncId: linked.id, entraObjectId: id, email: linked.email, reason };
    }
    return { action: 'preserve', insyncId: linked.id, entraObjectId: id, email: linked.email, reason, detail: {} };
  }

  const nameDetail = decision.userName !== (user.displayName ?? '') ? { originalName: user.displayName } : {};
  if (emailHolder !== null && emailHolder.id !== linked?.id) {
    // Never adopt or overwrite someone else's inSync user silently (insync-behaviour "Existing
    // inSync users with the same email").
    const reason = emailHolder.entraObjectId === null ? 'EXISTS_UNMANAGED' : 'EMAIL_CONFLICT';
    return {
      action: 'skip',
      entraObjectId: id,
      email: decision.emailAsReceived,
      reason,
      detail: { heldBy: emailHolder.entraObjectId ?? `inSync user ${emailHolder.id}` },
    };
  }

  if (linked === null) {
    return {
      action: 'create',
      entraObjectId: id,
      reason: 'MATCHED',
      fields: {
        email: decision.emailAsReceived,
        displayName: decision.userName,
        userPrincipalName: user.userPrincipalName,
        mappingId: assignment.mappingId,
        mappingName: assignment.mappingName,
        profileId: assignment.profileId,
        storageId: assignment.storageId,
        quotaBytes: assignment.quotaBytes,
      },
      detail: { mapping: assignment.mappingName, profile: assignment.profile, storage: assignment.storage, quotaBytes: assignment.quotaBytes, ...nameDetail },
    };
  }

  if (linked.status === 'preserved' && linked.preservedBy === 'admin') {
    return { action: 'unchanged', insyncId: linked.id, entraObjectId: id, email: linked.email, reason: 'ADMIN_PRESERVED' };
  }

  const next: InsyncUserFields = {
    mappingId: linked.mappingId,
    mappingName: linked.mappingName,
    profileId: linked.profileId,
    storageId: linked.storageId,
    quotaBytes: linked.quotaBytes,
    email: decision.emailAsReceived,
    displayName: decision.userName,
    userPrincipalName: user.userPrincipalName,
  };
  let storagePending: { from: number; to: number } | null = null;
  if (linked.source === 'auto') {
    next.mappingId = assignment.mappingId;
    next.mappingName = assignment.mappingName;
    next.profileId = assignment.profileId;
    if (!linked.quotaOverride) next.quotaBytes = assignment.quotaBytes;
    // Storage never moves by itself: the user's backups live there (insync-behaviour "Moving
    // between mappings"). Record the pending move only when the winning mapping changed.
    if (assignment.storageId !== linked.storageId && assignment.mappingId !== linked.mappingId) {
      storagePending = { from: linked.storageId, to: assignment.storageId };
    }
  }
  const changes = diff(linked, next);
  if (linked.status === 'preserved') {
    return { action: 'reactivate', insyncId: linked.id, entraObjectId: id, fields: next, reason: 'BACK_IN_SCOPE', detail: { changes, ...nameDetail } };
  }
  if (Object.keys(changes).length === 0) {
    return { action: 'unchanged', insyncId: linked.id, entraObjectId: id, email: linked.email, reason: 'MATCHED' };
  }
  const reason = storagePending ? 'STORAGE_CHANGE_PENDING' : 'mappingId' in changes ? 'MAPPING_CHANGED' : 'DETAILS_CHANGED';
  return {
    action: 'update',
    insyncId: linked.id,
    entraObjectId: id,
    fields: next,
    reason,
    detail: { changes, ...(storagePending ? { storage: { current: storagePending.from, wanted: assignment.storage } } : {}), ...nameDetail },
  };
}

const FIELDS: (keyof InsyncUserFields)[] = ['email', 'displayName', 'userPrincipalName', 'mappingId', 'mappingName', 'profileId', 'storageId', 'quotaBytes'];

function diff(before: InsyncUserFields, after: InsyncUserFields): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of FIELDS) {
    if (before[field] !== after[field]) out[field] = { from: before[field], to: after[field] };
  }
  return out;
}
