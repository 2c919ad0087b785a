/**
 * Why a user did or did not get a mapping. Stable strings: they are stored in the provisioning
 * log and shown to admins, so rename nothing once released.
 */
export type ReasonCode =
  | 'MATCHED'
  | 'GUEST'
  | 'USER_TYPE_MISSING'
  | 'DISABLED'
  | 'SOFT_DELETED'
  | 'DELETED'
  | 'NO_EMAIL'
  | 'INVALID_EMAIL'
  | 'NO_MAPPING_MATCHED'
  | 'SHARED_MAILBOX_EXCLUDED';

export const REASON_TEXT: Record<ReasonCode, string> = {
  MATCHED: 'the user matched a mapping',
  GUEST: 'guest accounts are never imported; only members are',
  USER_TYPE_MISSING: 'the user has no userType in Entra ID, so it cannot be told apart from a guest',
  DISABLED: 'the account is disabled (sign-in blocked) in Entra ID',
  SOFT_DELETED: 'the user is deleted in Entra ID but can still be restored',
  DELETED: 'the user is permanently deleted in Entra ID',
  NO_EMAIL: 'the user has no value in the attribute the tenant takes emails from',
  INVALID_EMAIL: 'the value the tenant takes emails from is not a valid email address',
  NO_MAPPING_MATCHED: 'the user matches none of the tenant\'s mappings',
  SHARED_MAILBOX_EXCLUDED: 'the user is a shared mailbox and the tenant does not import shared mailboxes',
};
