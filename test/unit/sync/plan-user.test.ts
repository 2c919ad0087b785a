import { describe, expect, it } from 'vitest';
import { decideUser, type Decision } from '../../../src/mapping/decide-user.js';
import type { DirectoryUser } from '../../../src/mapping/directory-user.js';
import type { MappingRule } from '../../../src/mapping/mapping-rule.js';
import type { ReasonCode } from '../../../src/mapping/reason-code.js';
import type { InsyncUserRow } from '../../../src/sync/insync-user-row.js';
import { planUser, type PlanInput } from '../../../src/sync/plan-user.js';
import type { Assignment, InsyncUserFields, PlannedAction } from '../../../src/sync/planned-action.js';

const OID = '0b4d0000-0000-4000-8000-0000000000e1';
const OTHER_OID = '9f210000-0000-4000-8000-000000000007';

const user = (over: Partial<DirectoryUser> = {}): DirectoryUser => ({
  id: OID,
  userPrincipalName: 'ana.lee@contoso.onmicrosoft.com',
  mail: 'Ana.Lee@contoso.com',
  displayName: 'Ana Lee',
  userType: 'Member',
  accountEnabled: true,
  deletion: 'none',
  attributes: {},
  ...over,
});

const RULE_A: MappingRule = { id: 1, name: 'Finance', priority: 1, selector: { kind: 'all-users' }, profile: 'Default', storage: 'US-East', quotaBytes: 50 };
const RULE_B: MappingRule = { id: 2, name: 'Sales', priority: 2, selector: { kind: 'all-users' }, profile: 'Sales profile', storage: 'US-East', quotaBytes: 100 };
const RULE_C: MappingRule = { id: 3, name: 'EU staff', priority: 3, selector: { kind: 'all-users' }, profile: 'EU profile', storage: 'EU-West', quotaBytes: 200 };

const ASSIGN_A: Assignment = { mappingId: 1, mappingName: 'Finance', profileId: 10, profile: 'Default', storageId: 100, storage: 'US-East', quotaBytes: 50 };
const ASSIGN_B: Assignment = { mappingId: 2, mappingName: 'Sales', profileId: 20, profile: 'Sales profile', storageId: 100, storage: 'US-East', quotaBytes: 100 };
const ASSIGN_C: Assignment = { mappingId: 3, mappingName: 'EU staff', profileId: 30, profile: 'EU profile', storageId: 300, storage: 'EU-West', quotaBytes: 200 };

const eligible = (over: Partial<Extract<Decision, { eligible: true }>> = {}): Decision => ({
  eligible: true,
  email: 'ana.lee@contoso.com',
  emailAsReceived: 'Ana.Lee@contoso.com',
  userName: 'Ana Lee',
  mapping: RULE_A,
  reason: 'MATCHED',
  ...over,
});
const refused = (reason: Exclude<ReasonCode, 'MATCHED'>): Decision => ({ eligible: false, reason, email: 'ana.lee@contoso.com' });

/** The inSync user exactly as the sync would have left it for ASSIGN_A and the default user. */
const row = (over: Partial<InsyncUserRow> = {}): InsyncUserRow => ({
  id: 7,
  entraObjectId: OID,
  email: 'Ana.Lee@contoso.com',
  displayName: 'Ana Lee',
  userPrincipalName: 'ana.lee@contoso.onmicrosoft.com',
  mappingId: 1,
  mappingName: 'Finance',
  profileId: 10,
  storageId: 100,
  quotaBytes: 50,
  quotaOverride: false,
  status: 'active',
  preservedBy: null,
  source: 'auto',
  ...over,
});

function plan(over: Partial<PlanInput> = {}): PlannedAction {
  return planUser({ user: user(), decision: eligible(), assignment: ASSIGN_A, linked: null, emailHolder: null, ...over });
}

function fieldsOf(action: PlannedAction): InsyncUserFields {
  if (!('fields' in action)) throw new Error(`no fields on ${action.action}`);
  return action.fields;
}

/** The sync-owned columns only, to compare `fields` regardless of extra keys. */
function owned(f: InsyncUserFields): InsyncUserFields {
  return {
    email: f.email,
    displayName: f.displayName,
    userPrincipalName: f.userPrincipalName,
    mappingId: f.mappingId,
    mappingName: f.mappingName,
    profileId: f.profileId,
    storageId: f.storageId,
    quotaBytes: f.quotaBytes,
  };
}

describe('planUser: new users', () => {
  it('new eligible user → create with the mapping\'s profile, storage and quota (MATCHED)', () => {
    expect(plan()).toEqual({
      action: 'create',
      entraObjectId: OID,
      reason: 'MATCHED',
      fields: {
        email: 'Ana.Lee@contoso.com',
        displayName: 'Ana Lee',
        userPrincipalName: 'ana.lee@contoso.onmicrosoft.com',
        mappingId: 1,
        mappingName: 'Finance',
        profileId: 10,
        storageId: 100,
        quotaBytes: 50,
      },
      detail: { mapping: 'Finance', profile: 'Default', storage: 'US-East', quotaBytes: 50 },
    });
  });

  it('stores the email as received, not lowercased (insync-behaviour)', () => {
    expect(fieldsOf(plan()).email).toBe('Ana.Lee@contoso.com');
  });

  it('create uses the sanitized name and records the original in detail when it changed', () => {
    const action = plan({ user: user({ displayName: 'Ana <Finance>/Lee' }), decision: eligible({ userName: 'Ana _Finance__Lee' }) });
    expect(action.action).toBe('create');
    expect(fieldsOf(action).displayName).toBe('Ana _Finance__Lee');
    expect(action.action === 'create' && action.detail['originalName']).toBe('Ana <Finance>/Lee');
  });

  it('with a real decideUser decision: forbidden characters sanitized, originalName kept', () => {
    const u = user({ displayName: 'R&D *lead* ?' });
    const decision = decideUser(u, { direct: new Set(), transitive: new Set() }, [RULE_A], {
      emailFrom: 'mail',
      includeSharedMailboxes: false,
      sharedMailboxIds: new Set(),
    });
    const action = plan({ user: u, decision });
    expect(action.action).toBe('create');
    expect(fieldsOf(action).displayName).toBe('R&D _lead_ _');
    expect(fieldsOf(action).email).toBe('Ana.Lee@contoso.com');
    expect(action.action === 'create' && action.detail['originalName']).toBe('R&D *lead* ?');
  });

  it('create has no originalName when the name was already clean', () => {
    const action = plan();
    expect(action.action === 'create' && 'originalName' in action.detail).toBe(false);
  });

  it.each<[Exclude<ReasonCode, 'MATCHED'>]>([['GUEST'], ['DISABLED'], ['NO_MAPPING_MATCHED'], ['DELETED'], ['SOFT_DELETED'], ['NO_EMAIL'], ['USER_TYPE_MISSING']])(
    'ineligible (%s) and not linked → skip with that reason',
    (reason) => {
      expect(plan({ decision: refused(reason), assignment: null })).toEqual({
        action: 'skip',
        entraObjectId: OID,
        email: 'ana.lee@contoso.com',
        reason,
        detail: {},
      });
    },
  );

  it('eligible but no assignment resolved → skip NO_MAPPING_MATCHED', () => {
    expect(plan({ assignment: null })).toMatchObject({ action: 'skip', reason: 'NO_MAPPING_MATCHED' });
  });
});

describe('planUser: linked users', () => {
  it('eligible + active linked identical → unchanged MATCHED', () => {
    expect(plan({ linked: row() })).toEqual({ action: 'unchanged', insyncId: 7, entraObjectId: OID, email: 'Ana.Lee@contoso.com', reason: 'MATCHED' });
  });

  it.each<[string, Partial<DirectoryUser>, Partial<Extract<Decision, { eligible: true }>>, keyof InsyncUserFields, unknown, unknown]>([
    ['display name', { displayName: 'Ana Smith' }, { userName: 'Ana Smith' }, 'displayName', 'Ana Lee', 'Ana Smith'],
    ['email', { mail: 'ana.smith@contoso.com' }, { email: 'ana.smith@contoso.com', emailAsReceived: 'ana.smith@contoso.com' }, 'email', 'Ana.Lee@contoso.com', 'ana.smith@contoso.com'],
    ['UPN', { userPrincipalName: 'ana.smith@contoso.onmicrosoft.com' }, {}, 'userPrincipalName', 'ana.lee@contoso.onmicrosoft.com', 'ana.smith@contoso.onmicrosoft.com'],
  ])('%s change → update DETAILS_CHANGED', (_name, userOver, decisionOver, field, from, to) => {
    const action = plan({ user: user(userOver), decision: eligible(decisionOver), linked: row() });
    expect(action.action).toBe('update');
    if (action.action !== 'update') return;
    expect(action.reason).toBe('DETAILS_CHANGED');
    expect(action.insyncId).toBe(7);
    expect(action.detail['changes']).toEqual({ [field]: { from, to } });
    expect(action.fields[field]).toBe(to);
  });

  it('mapping change with the same storage → MAPPING_CHANGED; profile and quota follow', () => {
    const action = plan({ decision: eligible({ mapping: RULE_B }), assignment: ASSIGN_B, linked: row() });
    expect(action.action).toBe('update');
    if (action.action !== 'update') return;
    expect(action.reason).toBe('MAPPING_CHANGED');
    expect(owned(action.fields)).toEqual({ ...owned(row()), mappingId: 2, mappingName: 'Sales', profileId: 20, quotaBytes: 100 });
    expect(action.detail['changes']).toEqual({
      mappingId: { from: 1, to: 2 },
      mappingName: { from: 'Finance', to: 'Sales' },
      profileId: { from: 10, to: 20 },
      quotaBytes: { from: 50, to: 100 },
    });
  });

  it('mapping change with a different storage → STORAGE_CHANGE_PENDING, storageId NOT changed', () => {
    const action = plan({ decision: eligible({ mapping: RULE_C }), assignment: ASSIGN_C, linked: row() });
    expect(action.action).toBe('update');
    if (action.action !== 'update') return;
    expect(action.reason).toBe('STORAGE_CHANGE_PENDING');
    expect(action.fields.storageId).toBe(100);
    expect(action.fields.mappingId).toBe(3);
    expect(action.fields.profileId).toBe(30);
    expect(action.fields.quotaBytes).toBe(200);
    expect(action.detail['storage']).toEqual({ current: 100, wanted: 'EU-West' });
    expect(action.detail['changes']).not.toHaveProperty('storageId');
  });

  it('quotaOverride → the admin\'s quota is kept on a mapping change', () => {
    const action = plan({ decision: eligible({ mapping: RULE_B }), assignment: ASSIGN_B, linked: row({ quotaOverride: true, quotaBytes: 999 }) });
    expect(action.action).toBe('update');
    expect(fieldsOf(action).quotaBytes).toBe(999);
    expect(fieldsOf(action).profileId).toBe(20);
  });

  it('preserved by sync + eligible → reactivate BACK_IN_SCOPE', () => {
    const action = plan({ linked: row({ status: 'preserved', preservedBy: 'sync' }) });
    expect(action).toMatchObject({ action: 'reactivate', insyncId: 7, entraObjectId: OID, reason: 'BACK_IN_SCOPE' });
    expect(owned(fieldsOf(action))).toEqual(owned(row()));
  });

  it('preserved by sync + eligible with a new mapping → reactivate with the new mapping', () => {
    const action = plan({ decision: eligible({ mapping: RULE_B }), assignment: ASSIGN_B, linked: row({ status: 'preserved', preservedBy: 'sync' }) });
    expect(action.action).toBe('reactivate');
    expect(fieldsOf(action).mappingId).toBe(2);
  });

  it('preserved by admin + eligible → unchanged ADMIN_PRESERVED', () => {
    expect(plan({ linked: row({ status: 'preserved', preservedBy: 'admin' }) })).toEqual({
      action: 'unchanged',
      insyncId: 7,
      entraObjectId: OID,
      email: 'Ana.Lee@contoso.com',
      reason: 'ADMIN_PRESERVED',
    });
  });

  it.each<[Exclude<ReasonCode, 'MATCHED'>]>([['GUEST'], ['DISABLED'], ['NO_MAPPING_MATCHED'], ['DELETED'], ['SOFT_DELETED'], ['SHARED_MAILBOX_EXCLUDED'], ['USER_TYPE_MISSING']])(
    'ineligible (%s) + active auto user → preserve with that reason',
    (reason) => {
      expect(plan({ decision: refused(reason), assignment: null, linked: row() })).toEqual({
        action: 'preserve',
        insyncId: 7,
        entraObjectId: OID,
        email: 'Ana.Lee@contoso.com',
        reason,
        detail: {},
      });
    },
  );

  it.each<['sync' | 'admin']>([['sync'], ['admin']])('ineligible + already preserved (by %s) → unchanged', (by) => {
    expect(plan({ decision: refused('DISABLED'), assignment: null, linked: row({ status: 'preserved', preservedBy: by }) })).toEqual({
      action: 'unchanged',
      insyncId: 7,
      entraObjectId: OID,
      email: 'Ana.Lee@contoso.com',
      reason: 'DISABLED',
    });
  });
});

describe('planUser: manually imported users', () => {
  it('manual + NO_MAPPING_MATCHED → unchanged (mappings do not govern manual users)', () => {
    expect(plan({ decision: refused('NO_MAPPING_MATCHED'), assignment: null, linked: row({ source: 'manual' }) })).toMatchObject({
      action: 'unchanged',
      reason: 'NO_MAPPING_MATCHED',
    });
  });

  it.each<[Exclude<ReasonCode, 'MATCHED'>]>([['DISABLED'], ['DELETED'], ['SOFT_DELETED']])('manual + %s → preserve', (reason) => {
    expect(plan({ decision: refused(reason), assignment: null, linked: row({ source: 'manual' }) })).toMatchObject({ action: 'preserve', insyncId: 7, reason });
  });

  it('manual + eligible → details follow, mapping/profile/storage/quota untouched', () => {
    const manual = row({ source: 'manual', mappingId: null, mappingName: null, profileId: 55, storageId: 555, quotaBytes: 5 });
    const action = plan({
      user: user({ displayName: 'Ana Smith' }),
      decision: eligible({ userName: 'Ana Smith', mapping: RULE_C }),
      assignment: ASSIGN_C,
      linked: manual,
    });
    expect(action.action).toBe('update');
    if (action.action !== 'update') return;
    expect(action.reason).toBe('DETAILS_CHANGED');
    expect(owned(action.fields)).toEqual({ ...owned(manual), displayName: 'Ana Smith' });
    expect(action.detail['changes']).toEqual({ displayName: { from: 'Ana Lee', to: 'Ana Smith' } });
  });

  it('manual + eligible and identical details → unchanged, even though a mapping matched', () => {
    const manual = row({ source: 'manual', mappingId: null, mappingName: null, profileId: 55, storageId: 555, quotaBytes: 5 });
    expect(plan({ decision: eligible({ mapping: RULE_B }), assignment: ASSIGN_B, linked: manual })).toMatchObject({ action: 'unchanged', reason: 'MATCHED' });
  });
});

describe('planUser: email held by another inSync user', () => {
  it('held by an inSync user without entraObjectId → skip EXISTS_UNMANAGED', () => {
    const holder = row({ id: 99, entraObjectId: null });
    expect(plan({ emailHolder: holder })).toEqual({
      action: 'skip',
      entraObjectId: OID,
      email: 'Ana.Lee@contoso.com',
      reason: 'EXISTS_UNMANAGED',
      detail: { heldBy: 'inSync user 99' },
    });
  });

  it('held by a different Entra object → skip EMAIL_CONFLICT', () => {
    const holder = row({ id: 98, entraObjectId: OTHER_OID });
    expect(plan({ emailHolder: holder })).toEqual({
      action: 'skip',
      entraObjectId: OID,
      email: 'Ana.Lee@contoso.com',
      reason: 'EMAIL_CONFLICT',
      detail: { heldBy: OTHER_OID },
    });
  });

  it('held by another user while this one is linked too → still a conflict, nothing overwritten', () => {
    const holder = row({ id: 98, entraObjectId: OTHER_OID });
    const action = plan({ user: user({ mail: 'bob@contoso.com' }), decision: eligible({ email: 'bob@contoso.com', emailAsReceived: 'bob@contoso.com' }), linked: row(), emailHolder: holder });
    expect(action).toMatchObject({ action: 'skip', reason: 'EMAIL_CONFLICT' });
  });

  it('held by the same linked user → not a conflict', () => {
    expect(plan({ linked: row(), emailHolder: row() })).toMatchObject({ action: 'unchanged', reason: 'MATCHED', insyncId: 7 });
  });

  it('an ineligible user is never reported as an email conflict', () => {
    const holder = row({ id: 98, entraObjectId: OTHER_OID });
    expect(plan({ decision: refused('GUEST'), assignment: null, emailHolder: holder })).toMatchObject({ action: 'skip', reason: 'GUEST' });
  });
});
