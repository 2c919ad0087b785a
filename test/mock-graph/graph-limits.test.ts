import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticDirectory, syntheticGroupId } from '../../src/mock-graph/synthetic-directory.js';
import { allItems, items, startHarness, type Harness } from './mock-graph-harness.js';

const errorOf = (body: Record<string, unknown>) => body['error'] as { code: string; message: string; innerError: Record<string, string> };

// Issue 8: a target met by a mock kinder than Graph does not count, so the limits are tested here.
describe('Graph limits the mock enforces', () => {
  let h: Harness;
  const directory = syntheticDirectory({ seed: 3, users: 1200, groups: 2 });
  const big = syntheticGroupId(0);
  beforeAll(async () => { h = await startHarness({ directory }); });
  afterAll(async () => { await h.close(); });

  it.each(['/v1.0/users', '/v1.0/groups', `/v1.0/groups/${big}/members`, `/v1.0/groups/${big}/transitiveMembers`])(
    'D16: %s refuses $top=1000 with Graph\'s 400 error envelope, accepts 999', async (path) => {
      const r = await h.get(`${path}?$top=1000`);
      expect(r.status).toBe(400);
      expect(errorOf(r.body)).toMatchObject({ code: 'Request_BadRequest', message: expect.stringContaining('between 1 and 999') });
      expect(errorOf(r.body).innerError).toMatchObject({ 'request-id': expect.any(String), date: expect.any(String) });
      expect(r.headers.get('request-id')).toBeTruthy();
      expect((await h.get(`${path}?$top=999&$select=id`)).status).toBe(200);
    });

  it('D16: GET /users pages by 999 and the last page has no nextLink', async () => {
    const first = await h.get('/v1.0/users?$top=999&$select=id,displayName');
    expect(items(first)).toHaveLength(999);
    const second = await h.get(String(first.body['@odata.nextLink']));
    expect(items(second)).toHaveLength(201);
    expect(second.body['@odata.nextLink']).toBeUndefined();
    expect(new Set([...items(first), ...items(second)].map((u) => u.id)).size).toBe(1200);
  });

  it('§9b: $batch refuses 21 requests with a 400 Graph error and takes 20', async () => {
    const req = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i), method: 'GET', url: '/users?$top=1&$select=id' }));
    const tooMany = await h.send('POST', '/v1.0/$batch', { requests: req(21) });
    expect([tooMany.status, errorOf(tooMany.body).code]).toEqual([400, 'BadRequest']);
    const ok = await h.send('POST', '/v1.0/$batch', { requests: req(20) });
    expect((ok.body['responses'] as unknown[]).length).toBe(20);
  });

  it('§9b: each $batch item is answered on its own: one throttled, the others 200', async () => {
    h.mock.faults.add({ match: { path: `/groups/${big}/members` }, kind: 'status', status: 429, retryAfter: 3 });
    try {
      const r = await h.send('POST', '/v1.0/$batch', { requests: [
        { id: 'a', method: 'GET', url: `/groups/${big}/members?$select=id&$top=999` },
        { id: 'b', method: 'GET', url: `/groups/${syntheticGroupId(1)}/members?$select=id&$top=999` },
      ] });
      expect(r.status).toBe(200);
      const byId = new Map((r.body['responses'] as { id: string; status: number; headers: Record<string, string> }[]).map((x) => [x.id, x]));
      expect(byId.get('a')).toMatchObject({ status: 429, headers: { 'retry-after': '3' } });
      expect(byId.get('b')?.status).toBe(200);
    } finally {
      h.mock.faults.clear();
    }
  });

  it('I1/I2: users/delta pages hold 200 whatever $top or Prefer: odata.maxpagesize say', async () => {
    const sizes = async (url: string, headers?: Record<string, string>) => (await h.round(url, headers ? { headers } : {})).pages.map((p) => items(p).length);
    const expected = [200, 200, 200, 200, 200, 200];
    expect(await sizes('/v1.0/users/delta?$select=displayName&$top=999')).toEqual(expected);
    expect(await sizes('/v1.0/users/delta?$select=displayName&$top=5')).toEqual(expected);
    expect(await sizes('/v1.0/users/delta?$select=displayName', { prefer: 'odata.maxpagesize=999' })).toEqual(expected);
  });

  it('D3: groups/delta pages vary, and a large group\'s members@delta is sliced across pages', async () => {
    const { pages } = await h.round('/v1.0/groups/delta?$select=displayName,members&$top=999', { headers: { prefer: 'odata.maxpagesize=999' } });
    const slices = allItems(pages).filter((g) => g.id === big).map((g) => (g['members@delta'] as unknown[]).length);
    const group = directory.getGroup(big);
    if (!group) throw new Error('synthetic group 0 missing');
    const members = directory.currentMembers(group).length;
    expect(members).toBeGreaterThan(500);
    expect(slices.length).toBeGreaterThan(1);
    expect(slices.reduce((a, b) => a + b, 0)).toBe(members);
    expect(Math.max(...slices)).toBeLessThanOrEqual(500);
  });
});
