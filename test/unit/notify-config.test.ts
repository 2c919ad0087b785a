import { describe, expect, it } from 'vitest';
import { parseConfigFile } from '../../src/config/index.js';

const tenant = (extra: Record<string, unknown>) => JSON.stringify({ tenants: [{
  name: 'contoso', encryption: 'kms', provisioningMethod: 'entra-import',
  entra: { directoryId: 'c0c0c0c0-0000-4000-8000-000000000000', clientId: 'a0a0a0a0-0000-4000-8000-000000000001', clientSecretEnv: 'S' },
  profiles: ['Default'], storages: ['EU'], mappings: [{ name: 'All', allUsers: true, profile: 'Default', storage: 'EU', quota: 'unlimited' }],
  ...extra,
}] });

describe('notify.webhookUrl in the tenant file', () => {
  it('is optional, and kept with its path and query', () => {
    expect(parseConfigFile(tenant({}), 't').tenants[0]?.notify).toBeNull();
    const url = 'https://hooks.example.com/services/T0/B0?token=x';
    expect(parseConfigFile(tenant({ notify: { webhookUrl: url } }), 't').tenants[0]?.notify).toEqual({ webhookUrl: url });
  });

  it.each([
    ['http://hooks.example.com/x', 'must use https'],
    ['https://user:pw@hooks.example.com/x', 'must not carry a user name or password'],
    ['not a url', 'is not a URL'],
  ])('refuses %s', (webhookUrl, message) => {
    expect(() => parseConfigFile(tenant({ notify: { webhookUrl } }), 't')).toThrow(message);
  });
});
