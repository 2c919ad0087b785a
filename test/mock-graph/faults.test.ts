import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { items, startHarness, type Harness } from './mock-graph-harness.js';

const errorCode = (body: Record<string, unknown>) => (body['error'] as Record<string, unknown> | undefined)?.['code'];

describe('fault controller', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(); });
  afterAll(async () => { await h.close(); });
  afterEach(() => h.mock.faults.clear());

  it('D7: 429 with a fractional Retry-After, the TooManyRequests body and throttle headers, once by default', async () => {
    h.mock.faults.add({ match: { path: '/users/delta' }, kind: 'status', status: 429, retryAfter: 2.128 });
    const r = await h.get('/v1.0/users/delta?$select=displayName');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('2.128');
    expect(errorCode(r.body)).toBe('TooManyRequests');
    expect(r.headers.get('x-ms-throttle-scope')).toMatch(/^Tenant_Application\/ReadWrite\//);
    expect(r.headers.get('x-ms-throttle-information')).toBe('ResourceUnitLimitExceeded');
    expect((await h.get('/v1.0/users/delta?$select=displayName')).status).toBe(200);
  });

  it('D9: 503 with an HTTP-date Retry-After, 504 without, 500 with a custom code; times counts down', async () => {
    const date = 'Wed, 21 Oct 2026 07:28:00 GMT';
    h.mock.faults.add({ match: { path: '/users' }, kind: 'status', status: 503, retryAfter: date });
    h.mock.faults.add({ match: { path: '/users' }, kind: 'status', status: 504 });
    h.mock.faults.add({ match: { path: '/users', method: 'GET' }, kind: 'status', status: 500, graphCode: 'UnknownError', times: 2 });
    const a = await h.get('/v1.0/users');
    expect([a.status, a.headers.get('retry-after'), errorCode(a.body)]).toEqual([503, date, 'serviceNotAvailable']);
    const b = await h.get('/v1.0/users');
    expect([b.status, b.headers.get('retry-after')]).toEqual([504, null]);
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

  it('reset destroys the socket', async () => {
    h.mock.faults.add({ match: { path: '/users/delta' }, kind: 'reset' });
    await expect(h.get('/v1.0/users/delta')).rejects.toThrow();
  });

  it('malformed returns 200 with truncated JSON', async () => {
    h.mock.faults.add({ match: { path: '/users/delta' }, kind: 'malformed' });
    const r = await h.get('/v1.0/users/delta?$select=displayName');
    expect(r.status).toBe(200);
    expect(() => JSON.parse(r.text) as unknown).toThrow();
    expect(r.text.startsWith('{"@odata.context"')).toBe(true);
  });

  it('delay answers normally but late', async () => {
    h.mock.faults.add({ match: { path: '/users' }, kind: 'delay', delayMs: 300 });
    const t0 = Date.now();
    expect((await h.get('/v1.0/users?$top=1')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
  });

  it('B1: expired-token fails the next deltaLink request with 400 syncStateNotFound, not the first request', async () => {
    const { deltaLink } = await h.round('/v1.0/users/delta?$select=displayName');
    h.mock.faults.add({ match: {}, kind: 'expired-token' });
    expect((await h.get('/v1.0/users/delta?$select=displayName')).status).toBe(200); // no token: not eligible
    const r = await h.get(deltaLink);
    expect(r.status).toBe(400);
    expect(errorCode(r.body)).toBe('syncStateNotFound');
    expect((await h.get(deltaLink)).status).toBe(200);
  });

  it('D1/I10: expired-token as 410 SyncStateNotFound with a Location to start over', async () => {
    const { deltaLink } = await h.round('/v1.0/users/delta?$select=displayName');
    h.mock.faults.add({ match: { path: 'users/delta' }, kind: 'expired-token', status: 410, resetLocation: true });
    const r = await h.get(deltaLink);
    expect(r.status).toBe(410);
    expect(errorCode(r.body)).toBe('SyncStateNotFound');
    const location = r.headers.get('location') ?? '';
    expect(location).toBe(`${h.mock.url}/v1.0/users/delta?$deltatoken=`);
    const restart = await h.round(location);
    expect(restart.pages.flatMap(items).length).toBe(20);
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
