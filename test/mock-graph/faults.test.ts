import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './mock-graph-harness.js';

const errorCode = (body: Record<string, unknown>) => (body['error'] as Record<string, unknown> | undefined)?.['code'];

describe('fault controller', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(); });
  afterAll(async () => { await h.close(); });
  afterEach(() => h.mock.faults.clear());

  it('rules fire in the order added, a custom Graph code is kept, and times counts down', async () => {
    h.mock.faults.add({ match: { path: '/users' }, kind: 'status', status: 504 });
    h.mock.faults.add({ match: { path: '/users', method: 'GET' }, kind: 'status', status: 500, graphCode: 'UnknownError', times: 2 });
    expect((await h.get('/v1.0/users')).status).toBe(504);
    expect((await h.get('/v1.0/users')).status).toBe(500);
    const d = await h.get('/v1.0/users');
    expect([d.status, errorCode(d.body)]).toEqual([500, 'UnknownError']);
    expect((await h.get('/v1.0/users')).status).toBe(200);
  });

  it('path matches as a RegExp source too, and Infinity keeps firing until cleared', async () => {
    h.mock.faults.add({ match: { path: String.raw`groups/[^/]+/members$` }, kind: 'status', status: 503, times: Infinity });
    for (let i = 0; i < 3; i++) expect((await h.get('/v1.0/groups/f1000000-0000-4000-8000-000000000001/members')).status).toBe(503);
    expect((await h.get('/v1.0/groups')).status).toBe(200);
    h.mock.faults.clear();
    expect((await h.get('/v1.0/groups/f1000000-0000-4000-8000-000000000001/members')).status).toBe(200);
  });

  it('inBatch scopes a rule to $batch items (true) or to requests outside a batch (false)', async () => {
    const batched = async () => {
      const r = await h.send('POST', '/v1.0/$batch', { requests: [{ id: '1', method: 'GET', url: '/groups?$select=id' }] });
      return (r.body['responses'] as { status: number }[])[0]?.status;
    };
    h.mock.faults.add({ match: { path: '/groups', inBatch: true }, kind: 'status', status: 503, times: Infinity });
    expect((await h.get('/v1.0/groups?$select=id')).status).toBe(200);
    expect(await batched()).toBe(503);
    h.mock.faults.clear();
    h.mock.faults.add({ match: { path: '/groups', inBatch: false }, kind: 'status', status: 503, times: Infinity });
    expect(await batched()).toBe(200);
    expect((await h.get('/v1.0/groups?$select=id')).status).toBe(503);
    h.mock.faults.clear();
    const add = await h.send('POST', '/_mock/faults', { match: { path: '/groups', inBatch: true }, kind: 'status', status: 500 });
    expect(add.status).toBe(201);
    expect(await batched()).toBe(500);
  });

  it('D8: a throttle budget answers 429 with Retry-After once a burst exceeds it', async () => {
    h.mock.faults.setThrottle({ requestsPerWindow: 3, windowMs: 60_000 });
    const statuses: number[] = [];
    let last = await h.get('/v1.0/users?$top=1');
    statuses.push(last.status);
    for (let i = 0; i < 3; i++) { last = await h.get('/v1.0/users?$top=1'); statuses.push(last.status); }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(h.mock.stats().throttled).toBe(1);
  });

  it('faults can be posted and cleared through the admin API', async () => {
    const add = await h.send('POST', '/_mock/faults', { match: { path: '/groups' }, kind: 'status', status: 503, retryAfter: 1, times: null });
    expect(add.status).toBe(201);
    expect((await h.get('/v1.0/groups')).status).toBe(503);
    expect((await h.get('/v1.0/groups')).status).toBe(503);
    expect((await h.send('DELETE', '/_mock/faults', undefined)).status).toBe(204);
    expect((await h.get('/v1.0/groups')).status).toBe(200);
  });
});
