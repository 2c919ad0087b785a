import type { DirectoryUser } from './directory-user.js';
import type { TenantPolicy } from './mapping-rule.js';

/**
 * The raw value the tenant takes emails from, trimmed, as Entra returned it; null when absent or
 * blank. inSync stores emails as received (insync-behaviour "Email is mandatory").
 */
export function readEmailAsReceived(user: DirectoryUser, emailFrom: TenantPolicy['emailFrom']): string | null {
  const raw = emailFrom === 'mail' ? user.mail : user.userPrincipalName;
  const trimmed = raw?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/**
 * The user's email for comparisons: trimmed and lower-cased, because inSync compares emails
 * case-insensitively and one tenant must not get two users differing only in case.
 */
export function resolveEmail(user: DirectoryUser, emailFrom: TenantPolicy['emailFrom']): string | null {
  return readEmailAsReceived(user, emailFrom)?.toLowerCase() ?? null;
}
