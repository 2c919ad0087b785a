import type { DirectoryUser } from './directory-user.js';
import { isValidEmail } from './is-valid-email.js';
import type { MappingRule, Memberships, TenantPolicy } from './mapping-rule.js';
import { matchesSelector } from './matches-selector.js';
import type { ReasonCode } from './reason-code.js';
import { readEmailAsReceived } from './resolve-email.js';
import { sanitizeUserName } from './sanitize-user-name.js';

export type Decision =
  | {
      eligible: true;
      /** Trimmed and lower-cased: the key inSync users are compared by. */
      email: string;
      /** Trimmed but as Entra returned it: inSync stores emails as received. */
      emailAsReceived: string;
      /** The display name made safe for inSync's userName. */
      userName: string;
      mapping: MappingRule;
      reason: 'MATCHED';
    }
  | { eligible: false; reason: Exclude<ReasonCode, 'MATCHED'>; email: string | null };

/**
 * Decides one user: eligibility first, then the first matching mapping in priority order.
 * Pure and deterministic; the order of the eligibility checks is part of the contract, because
 * the first failing check is the reason an admin sees.
 */
export function decideUser(
  user: DirectoryUser,
  memberships: Memberships,
  rules: readonly MappingRule[],
  policy: TenantPolicy,
): Decision {
  const isSharedMailbox = policy.sharedMailboxIds.has(user.id);
  // Q20 (insync-sources): a shared mailbox is always addressed by its mail, whatever emailFrom says.
  const asReceived = readEmailAsReceived(user, isSharedMailbox ? 'mail' : policy.emailFrom);
  const email = asReceived?.toLowerCase() ?? null;
  const refuse = (reason: Exclude<ReasonCode, 'MATCHED'>): Decision => ({ eligible: false, reason, email });

  // users/delta alone says whether a user exists (D2, D3): hard = @removed 'deleted', soft = 'changed'.
  if (user.deletion === 'hard') return refuse('DELETED');
  if (user.deletion === 'soft') return refuse('SOFT_DELETED');
  // Only members are imported; Graph may omit userType (§6, S10/Q11), and we refuse to guess.
  if (user.userType === null) return refuse('USER_TYPE_MISSING');
  if (user.userType.toLowerCase() === 'guest') return refuse('GUEST');
  if (isSharedMailbox && !policy.includeSharedMailboxes) return refuse('SHARED_MAILBOX_EXCLUDED');
  // Shared mailboxes are disabled accounts by design (§6, P1/P2), so an included one is never
  // refused for it. Only an explicit false counts: null means Graph never reported the property.
  if (user.accountEnabled === false && !isSharedMailbox) return refuse('DISABLED');
  if (asReceived === null || email === null) return refuse('NO_EMAIL');
  if (!isValidEmail(email)) return refuse('INVALID_EMAIL');

  const mapping = prioritised(rules).find((rule) => matchesSelector(rule.selector, user, memberships));
  if (mapping === undefined) return refuse('NO_MAPPING_MATCHED');
  const localPart = email.slice(0, email.indexOf('@'));
  return {
    eligible: true,
    email,
    emailAsReceived: asReceived,
    userName: sanitizeUserName(user.displayName, localPart),
    mapping,
    reason: 'MATCHED',
  };
}

/** Priority 1 first; equal priorities go to the older mapping (lower id). Never mutates the input. */
export function sortByPriority(rules: readonly MappingRule[]): MappingRule[] {
  return [...rules].sort((a, b) => a.priority - b.priority || a.id - b.id);
}

/** sortByPriority once per rule list, not once per user: a run decides every user against the same list. */
const sorted = new WeakMap<readonly MappingRule[], readonly MappingRule[]>();

function prioritised(rules: readonly MappingRule[]): readonly MappingRule[] {
  let list = sorted.get(rules);
  if (list === undefined) sorted.set(rules, (list = sortByPriority(rules)));
  return list;
}
