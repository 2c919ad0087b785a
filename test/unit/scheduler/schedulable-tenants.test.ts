import { describe, expect, it } from 'vitest';
import { schedulingVerdict } from '../../../src/scheduler/schedulable-tenants.js';

const ok = { state: 'active', stateReason: null, provisioningMethod: 'entra-import', encryption: 'kms' } as const;

describe('which tenants the daemon schedules', () => {
  it('active entra-import tenants with KMS or BYOK', () => {
    expect(schedulingVerdict(ok)).toEqual({ schedule: true });
    expect(schedulingVerdict({ ...ok, encryption: 'byok' })).toEqual({ schedule: true });
  });
  it.each([
    [{ state: 'paused' as const }, 'paused'],
    [{ state: 'quarantined' as const, stateReason: 'failing since …' }, 'quarantined: failing since …'],
    [{ provisioningMethod: 'scim' as const }, 'provisioning method is scim, not entra-import'],
    [{ encryption: 'none' as const }, 'encryption is none; the import needs KMS or BYOK'],
  ])('not %o', (change, reason) => {
    expect(schedulingVerdict({ ...ok, ...change })).toEqual({ schedule: false, reason });
  });
});
