import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { CLOUDS, CLOUD_NAMES, parseConfigFile, type CloudName } from '../../../src/config/index.js';
import { createGraphApi } from '../../../src/graph/create-graph-api.js';
import { graphScope } from '../../../src/graph/graph-scope.js';

/** graph-semantics §9 table: the `.default` scope is always in the cloud's own Graph domain (D19, D20). */
const EXPECTED: Record<CloudName, { graph: string; scope: string }> = {
  global: { graph: 'https://graph.microsoft.com', scope: 'https://graph.microsoft.com/.default' },
  usgov: { graph: 'https://graph.microsoft.us', scope: 'https://graph.microsoft.us/.default' },
  'usgov-dod': { graph: 'https://dod-graph.microsoft.us', scope: 'https://dod-graph.microsoft.us/.default' },
  china: { graph: 'https://microsoftgraph.chinacloudapi.cn', scope: 'https://microsoftgraph.chinacloudapi.cn/.default' },
};

function tenantFile(cloud: CloudName): string {
  return JSON.stringify({ tenants: [{
    name: 't', encryption: 'kms', provisioningMethod: 'entra-import',
    entra: { directoryId: 'c0c0c0c0-0000-4000-8000-000000000000', clientId: 'a0a0a0a0-0000-4000-8000-000000000001', clientSecretEnv: 'S', cloud },
    profiles: ['P'], storages: ['S'], mappings: [{ name: 'All', allUsers: true, profile: 'P', storage: 'S', quota: 'unlimited' }],
  }] });
}

describe('graphScope (D19, §9)', () => {
  it('covers every configured cloud', () => {
    expect([...CLOUD_NAMES].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(CLOUD_NAMES)('%s: the scope is <its Graph host>/.default', (cloud) => {
    expect(CLOUDS[cloud].graphUrl).toBe(EXPECTED[cloud].graph);
    expect(graphScope(CLOUDS[cloud].graphUrl)).toBe(EXPECTED[cloud].scope);
    // Whatever shape the URL comes in, only the origin counts.
    expect(graphScope(`${CLOUDS[cloud].graphUrl}/v1.0/users`)).toBe(EXPECTED[cloud].scope);
  });

  it.each(CLOUD_NAMES)('%s by name in the tenant file: the client asks its credential for that cloud\'s scope and calls that host', async (cloud) => {
    const entra = parseConfigFile(tenantFile(cloud), 'test').tenants[0]?.entra;
    if (!entra) throw new Error('no tenant');
    const scopes: (string | string[])[] = [];
    const credential: TokenCredential = {
      getToken: async (scope: string | string[], _o?: GetTokenOptions): Promise<AccessToken> => {
        scopes.push(scope);
        return { token: 'tkn', expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    const urls: string[] = [];
    const api = await createGraphApi(
      { directoryId: entra.directoryId, clientId: entra.clientId, credential: { kind: 'secret', secret: 'x' }, graphUrl: entra.graphUrl, authorityHost: entra.authorityHost },
      { credential, fetch: async (url) => { urls.push(url); return new Response('{"value":[]}', { headers: { 'content-type': 'application/json' } }); } },
    );
    await api.getJson('/users?$top=1&$select=id');
    expect(scopes.flat()).toEqual([EXPECTED[cloud].scope]);
    expect(urls).toEqual([`${EXPECTED[cloud].graph}/v1.0/users?$top=1&$select=id`]);
  });
});
