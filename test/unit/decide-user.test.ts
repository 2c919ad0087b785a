import { describe, expect, it } from 'vitest';
import { decideUser, type Decision } from '../../src/mapping/decide-user.js';
import type { DirectoryUser } from '../../src/mapping/directory-user.js';
import type { AttributeClause, MappingRule, Memberships, Selector, TenantPolicy } from '../../src/mapping/mapping-rule.js';

const FINANCE = 'f1000000-0000-4000-8000-000000000001';
const PARENT = 'f2000000-0000-4000-8000-000000000002';
const SHARED_ID = 'aaaa0000-0000-4000-8000-00000000000a';

function buildUser(overrides: Partial<DirectoryUser> = {}): DirectoryUser {
  return {
    id: 'u1000000-0000-4000-8000-000000000001',
    userPrincipalName: 'ana.lee@contoso.onmicrosoft.com',
    mail: 'Ana.Lee@contoso.com',
    displayName: 'Ana Lee',
    userType: 'Member',
    accountEnabled: true,
    deletion: 'none',
    attributes: { city: 'Seattle' },
    ...overrides,
  };
}

function rule(id: number, priority: number, selector: Selector, name = `rule-${id}`): MappingRule {
  return { id, name, priority, selector, profile: 'Default', storage: 'US-East', quotaBytes: null };
}

const clause = (c: Partial<AttributeClause> & Pick<AttributeClause, 'name' | 'op'>): AttributeClause => ({
  values: [],
  ignoreCase: false,
  ...c,
});
const attr = (...clauses: AttributeClause[]): Selector => ({ kind: 'attribute', clauses });
const group = (nested = false, ...groupIds: string[]): Selector => ({ kind: 'group', groupIds: groupIds.length ? groupIds : [FINANCE], nested });
const ALL: Selector = { kind: 'all-users' };

const NO_GROUPS: Memberships = { direct: new Set(), transitive: new Set() };
const IN_FINANCE: Memberships = { direct: new Set([FINANCE]), transitive: new Set([FINANCE, PARENT]) };
/** Forty other groups, for mappings and memberships larger than the other side. */
const MANY_GROUPS = Array.from({ length: 40 }, (_, i) => `f3000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
const IN_MANY: Memberships = { direct: new Set(MANY_GROUPS), transitive: new Set(MANY_GROUPS) };
/** Member of a group nested inside PARENT: PARENT reaches the user only transitively. */
const UNDER_PARENT: Memberships = IN_FINANCE;

const POLICY: TenantPolicy = { emailFrom: 'mail', includeSharedMailboxes: false, sharedMailboxIds: new Set() };
const WITH_SHARED: TenantPolicy = { ...POLICY, sharedMailboxIds: new Set([SHARED_ID]) };
const INCLUDE_SHARED: TenantPolicy = { ...WITH_SHARED, includeSharedMailboxes: true };

interface Row {
  name: string;
  user?: Partial<DirectoryUser>;
  memberships?: Memberships;
  rules?: MappingRule[];
  policy?: TenantPolicy;
  /** The reason, and for MATCHED the id of the winning rule. */
  expect: Decision['reason'] | { matched: number };
}

const catchAll = [rule(1, 1, ALL)];

const rows: Row[] = [
  // Eligibility (insync-behaviour "No guests", "Disabled at first import"; graph-semantics D1, D2, §6)
  { name: 'a plain member matches', rules: catchAll, expect: { matched: 1 } },
  { name: 'hard-deleted (@removed deleted, D2) → DELETED', user: { deletion: 'hard' }, rules: catchAll, expect: 'DELETED' },
  { name: 'soft-deleted (@removed changed, D2) → SOFT_DELETED', user: { deletion: 'soft' }, rules: catchAll, expect: 'SOFT_DELETED' },
  { name: 'guest → GUEST', user: { userType: 'Guest' }, rules: catchAll, expect: 'GUEST' },
  { name: 'guest spelled in lower case → GUEST', user: { userType: 'guest' }, rules: catchAll, expect: 'GUEST' },
  { name: 'userType missing (§6, S10) → USER_TYPE_MISSING', user: { userType: null }, rules: catchAll, expect: 'USER_TYPE_MISSING' },
  { name: 'disabled → DISABLED', user: { accountEnabled: false }, rules: catchAll, expect: 'DISABLED' },
  { name: 'accountEnabled never reported is not treated as disabled', user: { accountEnabled: null }, rules: catchAll, expect: { matched: 1 } },
  { name: 'deletion outranks guest', user: { deletion: 'soft', userType: 'Guest' }, rules: catchAll, expect: 'SOFT_DELETED' },
  { name: 'guest outranks disabled', user: { userType: 'Guest', accountEnabled: false }, rules: catchAll, expect: 'GUEST' },
  // Email (insync-behaviour "Email is mandatory")
  { name: 'no mail with emailFrom=mail → NO_EMAIL', user: { mail: null }, rules: catchAll, expect: 'NO_EMAIL' },
  { name: 'blank mail → NO_EMAIL', user: { mail: '   ' }, rules: catchAll, expect: 'NO_EMAIL' },
  { name: 'emailFrom=userPrincipalName ignores a missing mail', user: { mail: null }, rules: catchAll, policy: { ...POLICY, emailFrom: 'userPrincipalName' }, expect: { matched: 1 } },
  { name: 'emailFrom=userPrincipalName with no UPN → NO_EMAIL', user: { userPrincipalName: null }, rules: catchAll, policy: { ...POLICY, emailFrom: 'userPrincipalName' }, expect: 'NO_EMAIL' },
  { name: 'invalid mail → INVALID_EMAIL', user: { mail: 'ana lee at contoso' }, rules: catchAll, expect: 'INVALID_EMAIL' },
  { name: 'disabled outranks no email', user: { accountEnabled: false, mail: null }, rules: catchAll, expect: 'DISABLED' },
  // Shared mailboxes (insync-behaviour "Users and shared mailboxes"; graph-semantics §6, P1/P2)
  { name: 'shared mailbox, not included → SHARED_MAILBOX_EXCLUDED', user: { id: SHARED_ID }, rules: catchAll, policy: WITH_SHARED, expect: 'SHARED_MAILBOX_EXCLUDED' },
  { name: 'shared mailbox excluded even when disabled', user: { id: SHARED_ID, accountEnabled: false }, rules: catchAll, policy: WITH_SHARED, expect: 'SHARED_MAILBOX_EXCLUDED' },
  { name: 'included shared mailbox matches although disabled (P1)', user: { id: SHARED_ID, accountEnabled: false }, rules: catchAll, policy: INCLUDE_SHARED, expect: { matched: 1 } },
  { name: 'included shared mailbox still needs to be a member', user: { id: SHARED_ID, userType: 'Guest' }, rules: catchAll, policy: INCLUDE_SHARED, expect: 'GUEST' },
  { name: 'includeSharedMailboxes does not excuse an ordinary disabled user', user: { accountEnabled: false }, rules: catchAll, policy: INCLUDE_SHARED, expect: 'DISABLED' },
  // Priority (insync-behaviour "Priority")
  { name: 'no mapping → NO_MAPPING_MATCHED', rules: [], expect: 'NO_MAPPING_MATCHED' },
  { name: 'lowest priority number wins, not array order', rules: [rule(1, 2, ALL), rule(2, 1, ALL)], expect: { matched: 2 } },
  { name: 'equal priority: the lower id wins', rules: [rule(7, 1, ALL), rule(3, 1, ALL)], expect: { matched: 3 } },
  { name: 'a higher-priority mapping that does not match is skipped', rules: [rule(1, 1, group()), rule(2, 2, ALL)], expect: { matched: 2 } },
  // Groups (insync-behaviour "Members only"; graph-semantics §5, D5)
  { name: 'direct member of the group matches', memberships: IN_FINANCE, rules: [rule(1, 1, group())], expect: { matched: 1 } },
  { name: 'group owner who is not a member does not match (owners never reach memberships)', memberships: NO_GROUPS, rules: [rule(1, 1, group())], expect: 'NO_MAPPING_MATCHED' },
  { name: 'nested member does not match without nested', memberships: UNDER_PARENT, rules: [rule(1, 1, group(false, PARENT))], expect: 'NO_MAPPING_MATCHED' },
  { name: 'nested member matches with nested', memberships: UNDER_PARENT, rules: [rule(1, 1, group(true, PARENT))], expect: { matched: 1 } },
  { name: 'any of several groups matches', memberships: IN_FINANCE, rules: [rule(1, 1, group(false, PARENT, FINANCE))], expect: { matched: 1 } },
  { name: 'a mapping of many groups matches a member of its last one', memberships: IN_FINANCE, rules: [rule(1, 1, group(false, ...MANY_GROUPS, FINANCE))], expect: { matched: 1 } },
  { name: 'a member of many groups matches a mapping of one of them', memberships: IN_MANY, rules: [rule(1, 1, group(false, MANY_GROUPS[17] ?? ''))], expect: { matched: 1 } },
  { name: 'a member of many groups does not match a mapping of none of them', memberships: IN_MANY, rules: [rule(1, 1, group(true, FINANCE, PARENT))], expect: 'NO_MAPPING_MATCHED' },
  { name: 'a mapping of many groups reaches a nested member through a transitive group', memberships: UNDER_PARENT, rules: [rule(1, 1, group(true, ...MANY_GROUPS, PARENT))], expect: { matched: 1 } },
  { name: 'group mapping beats a lower attribute mapping (documented Finance example)', memberships: IN_FINANCE, rules: [rule(2, 2, attr(clause({ name: 'city', op: 'equals', values: ['Seattle'] }))), rule(1, 1, group())], expect: { matched: 1 } },
  // Attributes (insync-behaviour "Attribute matching")
  { name: 'equals matches the exact value', rules: [rule(1, 1, attr(clause({ name: 'city', op: 'equals', values: ['Seattle'] })))], expect: { matched: 1 } },
  { name: 'equals is case-sensitive by default', rules: [rule(1, 1, attr(clause({ name: 'city', op: 'equals', values: ['seattle'] })))], expect: 'NO_MAPPING_MATCHED' },
  { name: 'equals with ignoreCase folds case', rules: [rule(1, 1, attr(clause({ name: 'city', op: 'equals', values: ['SEATTLE'], ignoreCase: true })))], expect: { matched: 1 } },
  { name: 'equals with several values is any-of', rules: [rule(1, 1, attr(clause({ name: 'city', op: 'equals', values: ['Paris', 'Seattle'] })))], expect: { matched: 1 } },
  { name: 'a missing attribute never matches equals', user: { attributes: {} }, rules: [rule(1, 1, attr(clause({ name: 'city', op: 'equals', values: ['Seattle'] })))], expect: 'NO_MAPPING_MATCHED' },
  { name: 'extension attribute is read from its flat key', user: { attributes: { 'onPremisesExtensionAttributes.extensionAttribute1': 'FIN' } }, rules: [rule(1, 1, attr(clause({ name: 'onPremisesExtensionAttributes.extensionAttribute1', op: 'equals', values: ['FIN'] })))], expect: { matched: 1 } },
  { name: 'notEquals matches a different value', rules: [rule(1, 1, attr(clause({ name: 'city', op: 'notEquals', values: ['Paris'] })))], expect: { matched: 1 } },
  { name: 'notEquals fails on the listed value', rules: [rule(1, 1, attr(clause({ name: 'city', op: 'notEquals', values: ['Paris', 'Seattle'] })))], expect: 'NO_MAPPING_MATCHED' },
  { name: 'notEquals never matches a missing value', user: { attributes: {} }, rules: [rule(1, 1, attr(clause({ name: 'city', op: 'notEquals', values: ['Paris'] })))], expect: 'NO_MAPPING_MATCHED' },
  { name: 'startsWith matches a prefix', rules: [rule(1, 1, attr(clause({ name: 'city', op: 'startsWith', values: ['Sea'] })))], expect: { matched: 1 } },
  { name: 'startsWith fails on a non-prefix', rules: [rule(1, 1, attr(clause({ name: 'city', op: 'startsWith', values: ['attle'] })))], expect: 'NO_MAPPING_MATCHED' },
  { name: 'contains matches an inner part', rules: [rule(1, 1, attr(clause({ name: 'city', op: 'contains', values: ['att'] })))], expect: { matched: 1 } },
  { name: 'contains fails on an absent part', rules: [rule(1, 1, attr(clause({ name: 'city', op: 'contains', values: ['xyz'] })))], expect: 'NO_MAPPING_MATCHED' },
  { name: 'present matches any value', rules: [rule(1, 1, attr(clause({ name: 'city', op: 'present' })))], expect: { matched: 1 } },
  { name: 'present fails on null', user: { attributes: { city: null } }, rules: [rule(1, 1, attr(clause({ name: 'city', op: 'present' })))], expect: 'NO_MAPPING_MATCHED' },
  { name: 'all clauses must hold', rules: [rule(1, 1, attr(clause({ name: 'city', op: 'equals', values: ['Seattle'] }), clause({ name: 'department', op: 'present' })))], expect: 'NO_MAPPING_MATCHED' },
  { name: 'top-level field answers when the attributes map lacks it', rules: [rule(1, 1, attr(clause({ name: 'displayName', op: 'startsWith', values: ['Ana'] })))], expect: { matched: 1 } },
  { name: 'all-users matches anyone eligible', rules: [rule(1, 1, ALL)], expect: { matched: 1 } },
];

describe('decideUser', () => {
  it.each(rows)('$name', (row) => {
    const decision = decideUser(buildUser(row.user), row.memberships ?? NO_GROUPS, row.rules ?? [], row.policy ?? POLICY);
    if (typeof row.expect === 'string') {
      expect(decision.eligible).toBe(false);
      expect(decision.reason).toBe(row.expect);
    } else {
      expect(decision.eligible).toBe(true);
      expect(decision.eligible && decision.mapping.id).toBe(row.expect.matched);
    }
  });

  it('returns the email trimmed and lower-cased, and keeps the received spelling', () => {
    const decision = decideUser(buildUser({ mail: '  Ana.Lee@Contoso.com ' }), NO_GROUPS, catchAll, POLICY);
    expect(decision).toMatchObject({ eligible: true, email: 'ana.lee@contoso.com', emailAsReceived: 'Ana.Lee@Contoso.com' });
  });

  it('takes the email from the UPN when emailFrom says so', () => {
    const decision = decideUser(buildUser(), NO_GROUPS, catchAll, { ...POLICY, emailFrom: 'userPrincipalName' });
    expect(decision).toMatchObject({ eligible: true, email: 'ana.lee@contoso.onmicrosoft.com' });
  });

  it('takes a shared mailbox email from mail even when emailFrom is the UPN (insync-sources Q20)', () => {
    const user = buildUser({ id: SHARED_ID, accountEnabled: false, mail: 'help@contoso.com' });
    const decision = decideUser(user, NO_GROUPS, catchAll, { ...INCLUDE_SHARED, emailFrom: 'userPrincipalName' });
    expect(decision).toMatchObject({ eligible: true, email: 'help@contoso.com' });
  });

  it('sanitises the user name and falls back to the email local part', () => {
    expect(decideUser(buildUser({ displayName: 'R&D <lab>' }), NO_GROUPS, catchAll, POLICY)).toMatchObject({ userName: 'R&D _lab_' });
    expect(decideUser(buildUser({ displayName: null }), NO_GROUPS, catchAll, POLICY)).toMatchObject({ userName: 'ana.lee' });
  });

  it('reports the email on refusals when there is one', () => {
    expect(decideUser(buildUser({ userType: 'Guest' }), NO_GROUPS, catchAll, POLICY)).toEqual({
      eligible: false, reason: 'GUEST', email: 'ana.lee@contoso.com',
    });
  });

  it('decides each user on their own when one rule list serves a whole run', () => {
    const rules = [rule(1, 2, ALL), rule(2, 1, group(false, ...MANY_GROUPS))];
    const users = [IN_MANY, NO_GROUPS, IN_FINANCE, { direct: new Set([MANY_GROUPS[39] ?? '']), transitive: new Set([MANY_GROUPS[39] ?? '']) }];
    const won = users.map((m) => { const d = decideUser(buildUser(), m, rules, POLICY); return d.eligible ? d.mapping.id : d.reason; });
    expect(won).toEqual([2, 1, 1, 2]);
  });

  it('does not reorder the caller\'s rules', () => {
    const rules = [rule(1, 2, ALL), rule(2, 1, ALL)];
    decideUser(buildUser(), NO_GROUPS, rules, POLICY);
    expect(rules.map((r) => r.id)).toEqual([1, 2]);
  });
});
