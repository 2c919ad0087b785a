import { describe, expect, it } from 'vitest';
import { parseConfigFile } from '../../src/config/index.js';
import { webhookUrlProblem } from '../../src/scheduler/notify-webhook.js';

const tenant = (extra: Record<string, unknown>) => JSON.stringify({ tenants: [{
  name: 'contoso', encryption: 'kms', provisioningMethod: 'entra-import',
  entra: { directoryId: 'c0c0c0c0-0000-4000-8000-000000000000', clientId: 'a0a0a0a0-0000-4000-8000-000000000001', clientSecretEnv: 'S' },
  profiles: ['Default'], storages: ['EU'], mappings: [{ name: 'All', allUsers: true, profile: 'Default', storage: 'EU', quota: 'unlimited' }],
  ...extra,
}] });

describe('notify in the tenant file', () => {
  it('is optional, and names the environment variable that holds the URL', () => {
    expect(parseConfigFile(tenant({}), 't').tenants[0]?.notify).toBeNull();
    expect(parseConfigFile(tenant({ notify: { webhookUrlEnv: 'CONTOSO_WEBHOOK_URL' } }), 't').tenants[0]?.notify)
      .toEqual({ webhookUrlEnv: 'CONTOSO_WEBHOOK_URL' });
  });

  it('refuses a URL written in the file, and says where it goes instead, without quoting it', () => {
    const url = 'https://hooks.example.com/services/T0/B0/s3cr3t-token';
    let message = '';
    try {
      parseConfigFile(tenant({ notify: { webhookUrlEnv: 'CONTOSO_WEBHOOK_URL', webhookUrl: url } }), 't');
    } catch (err) {
      message = err instanceof Error ? err.message : String(err);
    }
    expect(message).toContain('notify.webhookUrl');
    expect(message).toContain('put the URL in an environment variable of the daemon and name it in notify.webhookUrlEnv');
    expect(message).not.toContain('s3cr3t-token');
  });

  it.each([
    [{}, 'webhookUrlEnv'],
    [{ webhookUrlEnv: 'not a name' }, 'must be an environment variable name'],
    [{ webhookUrlEnv: 'X', retries: 3 }, 'retries'],
  ])('refuses %j', (notify, message) => {
    expect(() => parseConfigFile(tenant({ notify }), 't')).toThrow(message);
  });
});

describe('webhookUrlProblem (checked when a notice is sent)', () => {
  it.each([
    ['https://hooks.example.com/services/T0/B0?token=x', null],
    ['http://hooks.example.com/x', 'must use https (got http)'],
    ['https://user:pw@hooks.example.com/x', 'must not carry a user name or password'],
    ['not a url', 'is not a URL (write e.g. https://hooks.example.com/entra-import)'],
  ])('%s', (url, problem) => {
    expect(webhookUrlProblem(url)).toBe(problem);
  });
});
