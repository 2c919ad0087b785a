import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ID, SECRET, TENANT, startHarness, type Harness } from './mock-graph-harness.js';

const tokenBody = (over: Record<string, string> = {}) => ({
  grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: SECRET, scope: 'https://graph.microsoft.com/.default', ...over,
});

describe('mock Graph login authority (D20)', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(); });
  afterAll(async () => { await h.close(); });

  it('issues a bearer token for the right secret', async () => {
    const r = await h.send('POST', `/${TENANT}/oauth2/v2.0/token`, tokenBody(), { form: true });
    expect(r.status).toBe(200);
    expect(r.body['token_type']).toBe('Bearer');
    expect(r.body['expires_in']).toBe(3599);
    expect(typeof r.body['access_token']).toBe('string');
    expect(h.mock.stats().tokensIssued).toBeGreaterThanOrEqual(1);
  });

  it('answers a wrong secret with 401 invalid_client AADSTS7000215', async () => {
    const r = await h.send('POST', `/${TENANT}/oauth2/v2.0/token`, tokenBody({ client_secret: 'nope' }), { form: true });
    expect(r.status).toBe(401);
    expect(r.body['error']).toBe('invalid_client');
    expect(r.body['error_codes']).toEqual([7000215]);
    expect(String(r.body['error_description'])).toMatch(/^AADSTS7000215: /);
  });

  it('rejects an unknown client, an unknown tenant and a non-.default scope', async () => {
    const unknownApp = await h.send('POST', `/${TENANT}/oauth2/v2.0/token`, tokenBody({ client_id: 'a0a0a0a0-0000-4000-8000-0000000000ff' }), { form: true });
    expect(unknownApp.status).toBe(400);
    expect(unknownApp.body['error_codes']).toEqual([700016]);
    const unknownTenant = await h.send('POST', '/d0d0d0d0-0000-4000-8000-000000000000/oauth2/v2.0/token', tokenBody(), { form: true });
    expect(unknownTenant.body['error_codes']).toEqual([90002]);
    const badScope = await h.send('POST', `/${TENANT}/oauth2/v2.0/token`, tokenBody({ scope: 'User.Read.All' }), { form: true });
    expect(badScope.body['error']).toBe('invalid_scope');
  });

  it('accepts a well-formed client assertion naming the client, and refuses one naming another', async () => {
    const jwt = (claims: object) => `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
    const form = (claims: object) => ({
      grant_type: 'client_credentials', client_id: CLIENT_ID, scope: 'https://graph.microsoft.com/.default',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt(claims),
    });
    const ok = await h.send('POST', `/${TENANT}/oauth2/v2.0/token`, form({ iss: CLIENT_ID, sub: CLIENT_ID }), { form: true });
    expect(ok.status).toBe(200);
    const bad = await h.send('POST', `/${TENANT}/oauth2/v2.0/token`, form({ iss: 'someone-else', sub: CLIENT_ID }), { form: true });
    expect(bad.status).toBe(401);
    expect(bad.body['error_codes']).toEqual([700027]);
  });

  it('serves OpenID metadata whose endpoints point back at the mock (stack-notes §1)', async () => {
    const r = await h.get(`/${TENANT}/v2.0/.well-known/openid-configuration`, { token: null });
    expect(r.body['token_endpoint']).toBe(`${h.mock.url}/${TENANT}/oauth2/v2.0/token`);
    expect(r.body['issuer']).toBe(`${h.mock.url}/${TENANT}/v2.0`);
    expect(r.body['jwks_uri']).toBeTypeOf('string');
  });

  it('works with @azure/identity ClientSecretCredential in process (tlsOptions.ca)', async () => {
    const cred = new ClientSecretCredential(TENANT, CLIENT_ID, SECRET, {
      authorityHost: h.mock.url, disableInstanceDiscovery: true, tlsOptions: { ca: h.mock.caPem ?? undefined },
    } as ConstructorParameters<typeof ClientSecretCredential>[3]);
    const token = await cred.getToken('https://graph.microsoft.com/.default');
    const r = await h.get('/v1.0/users?$top=1&$select=id', { token: token.token });
    expect(r.status).toBe(200);
  });

  it('works with @azure/identity in a child process trusting the CA via NODE_EXTRA_CA_CERTS', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mock-graph-ca-'));
    try {
      const caFile = join(dir, 'ca.pem');
      await writeFile(caFile, h.mock.caPem ?? '');
      const script = `
        const { ClientSecretCredential } = require('@azure/identity');
        const c = new ClientSecretCredential(process.argv[1], process.argv[2], process.env.MOCK_SECRET, { authorityHost: process.argv[3], disableInstanceDiscovery: true });
        c.getToken('https://graph.microsoft.com/.default').then((t) => console.log('TOKEN_OK ' + t.token.length), (e) => { console.error(e.message); process.exit(1); });`;
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, TENANT, CLIENT_ID, h.mock.url], {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, MOCK_SECRET: SECRET }, cwd: process.cwd(), timeout: 30_000,
      });
      expect(stdout).toMatch(/TOKEN_OK \d+/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 40_000);
});
