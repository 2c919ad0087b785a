import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/mapping/decide-user.js';
import type { DirectoryUser } from '../../../src/mapping/directory-user.js';
import type { MappingRule } from '../../../src/mapping/mapping-rule.js';
import type { InsyncUserRow } from '../../../src/sync/insync-user-row.js';
import { planBatch, type DecidedBatch, type EmailEffects } from '../../../src/sync/plan-batch.js';
import type { Assignment } from '../../../src/sync/planned-action.js';

const RULE: MappingRule = { id: 1, name: 'Finance', priority: 1, selector: { kind: 'all-users' }, profile: 'Default', storage: 'US-East', quotaBytes: 50 };
const ASSIGNMENTS = new Map<number, Assignment>([[1, { mappingId: 1, mappingName: 'Finance', profileId: 10, profile: 'Default', storageId: 100, storage: 'US-East', quotaBytes: 50 }]]);

const person = (id: string, mail: string): DirectoryUser => ({
  id, userPrincipalName: mail, mail, displayName: id, userType: 'Member', accountEnabled: true, deletion: 'none', attributes: {},
});
const matched = (mail: string, name: string): Decision => ({ eligible: true, email: mail.toLowerCase(), emailAsReceived: mail, userName: name, mapping: RULE, reason: 'MATCHED' });
const linkedRow = (id: number, oid: string, email: string): InsyncUserRow => ({
  id, entraObjectId: oid, email, displayName: oid, userPrincipalName: email, mappingId: 1, mappingName: 'Finance',
  profileId: 10, storageId: 100, quotaBytes: 50, quotaOverride: false, status: 'active', preservedBy: null, source: 'auto',
});
const batch = (...users: { user: DirectoryUser; linked: InsyncUserRow | null }[]): DecidedBatch => ({
  users: users.map((u) => u.user),
  decisions: users.map((u) => matched(u.user.mail ?? '', u.user.id)),
  linked: users.map((u) => u.linked),
  unresolvedEmails: [],
});

describe('planBatch', () => {
  it('says which emails the batch takes and which it gives up', () => {
    const moved = person('x', 'moved@contoso.example');
    const fresh = person('y', 'new@contoso.example');
    const { actions, effects } = planBatch(batch({ user: moved, linked: linkedRow(7, 'x', 'Old@contoso.example') }, { user: fresh, linked: null }), [], new Map(), ASSIGNMENTS);
    expect(actions.map((a) => a.action)).toEqual(['update', 'create']);
    expect(effects.get('old@contoso.example')).toBeNull();
    expect(effects.get('moved@contoso.example')).toMatchObject({ id: 7, entraObjectId: 'x' });
    expect(effects.get('new@contoso.example')).toMatchObject({ id: -1, entraObjectId: 'y' });
  });

  it('applies what the previous batch took and gave up over a lookup that ran before its writes', () => {
    // The lookup still shows x holding old@, but the previous batch gave it up and took taken@.
    const looked = [{ id: 7, email: 'old@contoso.example', display_name: 'x', entra_object_id: 'x', user_principal_name: null, mapping_id: 1, mapping_name: 'Finance', profile_id: 10, storage_id: 100, quota_bytes: 50, quota_override: false, status: 'active' as const, preserved_by: null, source: 'auto' as const }];
    const unseen: EmailEffects = new Map([['old@contoso.example', null], ['taken@contoso.example', linkedRow(8, 'z', 'taken@contoso.example')]]);
    const { actions } = planBatch(batch({ user: person('a', 'old@contoso.example'), linked: null }, { user: person('b', 'taken@contoso.example'), linked: null }), looked, unseen, ASSIGNMENTS);
    expect(actions.map((a) => [a.action, a.reason])).toEqual([['create', 'MATCHED'], ['skip', 'EMAIL_CONFLICT']]);
  });
});
