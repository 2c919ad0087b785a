import { describe, expect, it } from 'vitest';
import { countAction, emptyCounts, type SyncCounts } from '../../../src/sync/sync-counts.js';
import type { InsyncUserFields, PlannedAction } from '../../../src/sync/planned-action.js';

const FIELDS: InsyncUserFields = {
  email: 'a@contoso.com',
  displayName: 'A',
  userPrincipalName: 'a@contoso.onmicrosoft.com',
  mappingId: 1,
  mappingName: 'm',
  profileId: 1,
  storageId: 1,
  quotaBytes: null,
};
const OID = 'oid-1';

const create: PlannedAction = { action: 'create', entraObjectId: OID, fields: FIELDS, reason: 'MATCHED', detail: {} };
const update: PlannedAction = { action: 'update', insyncId: 1, entraObjectId: OID, fields: FIELDS, reason: 'DETAILS_CHANGED', detail: {} };
const reactivate: PlannedAction = { action: 'reactivate', insyncId: 1, entraObjectId: OID, fields: FIELDS, reason: 'BACK_IN_SCOPE', detail: {} };
const preserve: PlannedAction = { action: 'preserve', insyncId: 1, entraObjectId: OID, email: 'a@contoso.com', reason: 'DISABLED', detail: {} };
const unchanged: PlannedAction = { action: 'unchanged', insyncId: 1, entraObjectId: OID, email: 'a@contoso.com', reason: 'MATCHED' };
const adminPreserved: PlannedAction = { action: 'unchanged', insyncId: 1, entraObjectId: OID, email: 'a@contoso.com', reason: 'ADMIN_PRESERVED' };
const skip = (reason: 'GUEST' | 'EMAIL_CONFLICT' | 'NO_MAPPING_MATCHED'): PlannedAction => ({ action: 'skip', entraObjectId: OID, email: null, reason, detail: {} });

function countAll(actions: PlannedAction[]): SyncCounts {
  const counts = emptyCounts();
  for (const a of actions) countAction(counts, a);
  return counts;
}

describe('sync counts', () => {
  it('starts empty', () => {
    expect(emptyCounts()).toEqual({ created: 0, updated: 0, preserved: 0, reactivated: 0, unchanged: 0, skipped: {} });
  });

  it('emptyCounts returns a fresh object each time', () => {
    const a = emptyCounts();
    countAction(a, skip('GUEST'));
    expect(emptyCounts().skipped).toEqual({});
  });

  it.each<[string, PlannedAction, Partial<SyncCounts>]>([
    ['create', create, { created: 1 }],
    ['update', update, { updated: 1 }],
    ['reactivate', reactivate, { reactivated: 1 }],
    ['preserve', preserve, { preserved: 1 }],
    ['unchanged', unchanged, { unchanged: 1 }],
    ['unchanged ADMIN_PRESERVED', adminPreserved, { skipped: { ADMIN_PRESERVED: 1 } }],
    ['skip GUEST', skip('GUEST'), { skipped: { GUEST: 1 } }],
  ])('%s is counted in its own bucket', (_name, action, delta) => {
    expect(countAll([action])).toEqual({ ...emptyCounts(), ...delta });
  });

  it('adds up a mixed run and groups skips per reason', () => {
    expect(
      countAll([create, create, update, reactivate, preserve, preserve, preserve, unchanged, adminPreserved, skip('GUEST'), skip('GUEST'), skip('EMAIL_CONFLICT'), skip('NO_MAPPING_MATCHED')]),
    ).toEqual({
      created: 2,
      updated: 1,
      preserved: 3,
      reactivated: 1,
      unchanged: 1,
      skipped: { GUEST: 2, EMAIL_CONFLICT: 1, NO_MAPPING_MATCHED: 1, ADMIN_PRESERVED: 1 },
    });
  });
});
