import { describe, expect, it } from 'vitest';
import { foldUserChanges, type MirrorUserChange } from '../../../src/store/mirror-users.js';

const ID = '0c000000-0000-4000-8000-000000000001';
const OTHER = '0c000000-0000-4000-8000-000000000002';
const upsert = (id: string, attributes: Record<string, string | null>): MirrorUserChange => ({ kind: 'upsert', id, attributes });

describe('foldUserChanges', () => {
  // D1: one object may come twice in a round. A full round's item is the whole object and leaves
  // out what is not set (D4, I16): a department cleared between the two items must not survive.
  it('lets the later item of a full round replace the earlier one', () => {
    const folded = foldUserChanges([upsert(ID, { city: 'Oslo', department: 'Sales' }), upsert(OTHER, { city: 'Lima' }), upsert(ID, { city: 'Rome' })], 'replace');
    expect(folded).toEqual([upsert(OTHER, { city: 'Lima' }), upsert(ID, { city: 'Rome' })]);
  });

  // D4: a later round's item carries what changed (null when cleared); what it leaves out stays.
  it('merges the items of a later round, the later values winning', () => {
    const folded = foldUserChanges([upsert(ID, { city: 'Oslo', department: 'Sales' }), upsert(ID, { city: 'Rome', jobTitle: null })], 'merge');
    expect(folded).toEqual([upsert(ID, { city: 'Rome', department: 'Sales', jobTitle: null })]);
  });

  it('restores a user removed earlier in the batch (D2) and removes one upserted earlier', () => {
    const removed: MirrorUserChange = { kind: 'removed', id: ID, reason: 'changed' };
    for (const mode of ['replace', 'merge'] as const) {
      expect(foldUserChanges([removed, upsert(ID, { city: 'Rome' })], mode)).toEqual([upsert(ID, { city: 'Rome' })]);
      expect(foldUserChanges([upsert(ID, { city: 'Rome' }), removed], mode)).toEqual([removed]);
    }
  });
});
