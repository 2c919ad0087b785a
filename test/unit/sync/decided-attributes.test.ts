import { describe, expect, it } from 'vitest';
import type { MappingRule } from '../../../src/mapping/index.js';
import { decidedAttributes } from '../../../src/sync/decide-batches.js';
import { MAILBOX_PURPOSE } from '../../../src/sync/probe-shared-mailboxes.js';

const rule = (id: number, selector: MappingRule['selector']): MappingRule => ({
  id, name: `m${id}`, priority: id, selector, profile: 'p', storage: 's', quotaBytes: null,
});
const clause = (name: string) => ({ name, op: 'equals' as const, values: ['x'], ignoreCase: false });

describe('decidedAttributes', () => {
  it('names every attribute a clause reads, once, and the probed mailbox purpose', () => {
    const rules = [
      rule(1, { kind: 'group', groupIds: ['g'], nested: false }),
      rule(2, { kind: 'attribute', clauses: [clause('city'), clause('onPremisesExtensionAttributes.extensionAttribute1')] }),
      rule(3, { kind: 'attribute', clauses: [clause('city'), clause('department')] }),
      rule(4, { kind: 'all-users' }),
    ];
    expect(decidedAttributes(rules)).toEqual(['city', 'department', MAILBOX_PURPOSE, 'onPremisesExtensionAttributes.extensionAttribute1'].sort());
  });

  it('reads only the mailbox purpose when no mapping matches on attributes', () => {
    expect(decidedAttributes([rule(1, { kind: 'all-users' })])).toEqual([MAILBOX_PURPOSE]);
  });
});
