import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/app-error.js';
import { FIXTURE_USERS, allItems, clientRound, errorOf, items, round } from './contract-helpers.js';
import type { GraphTarget, StartTarget } from './graph-target.js';

const USERS = '/v1.0/users/delta?$select=displayName';

async function codeOf(p: Promise<unknown>): Promise<string> {
  const e = await p.then(() => null, (err: unknown) => err);
  return e instanceof AppError ? e.code : `not an AppError: ${String(e)}`;
}

/** graph-semantics §1.5, §4 and §10.8–10.10: what goes wrong, and that our client survives it. */
export function faultsContract(start: StartTarget): void {
  describe('throttling, outages and broken answers', () => {
    let t: GraphTarget;
    beforeAll(async () => { t = await start(); });
    afterAll(async () => { await t.close(); });
    afterEach(async () => { await t.mutate.clearFaults(); });

    it('D7: 429 with a fractional Retry-After, TooManyRequests and the throttle headers; the client retries through it', async () => {
      await t.mutate.fault({ match: { path: '/users/delta' }, kind: 'status', status: 429, retryAfter: 0.01 });
      const r = await t.fetchJson(USERS);
      expect([r.status, r.headers.get('retry-after'), errorOf(r).code]).toEqual([429, '0.01', 'TooManyRequests']);
      expect(r.headers.get('x-ms-throttle-scope')).toMatch(/^Tenant_Application\/ReadWrite\//);
      expect(r.headers.get('x-ms-throttle-information')).toBe('ResourceUnitLimitExceeded');
      await t.mutate.fault({ match: { path: '/users/delta' }, kind: 'status', status: 429, retryAfter: 0.01, times: 2 });
      const api = await t.client();
      expect((await clientRound(api, '/users/delta?$select=displayName')).items).toHaveLength(FIXTURE_USERS);
      expect(api.stats.throttled).toBe(2);
    });

    it('D9: 503 with an HTTP-date Retry-After and 504 without one; the client retries both', async () => {
      const date = new Date(Date.now() - 1000).toUTCString(); // already past: no real wait
      await t.mutate.fault({ match: { path: '/users/delta' }, kind: 'status', status: 503, retryAfter: date });
      await t.mutate.fault({ match: { path: '/users/delta' }, kind: 'status', status: 504 });
      const a = await t.fetchJson(USERS);
      expect([a.status, a.headers.get('retry-after'), errorOf(a).code]).toEqual([503, date, 'serviceNotAvailable']);
      const b = await t.fetchJson(USERS);
      expect([b.status, b.headers.get('retry-after')]).toEqual([504, null]);
      expect((await t.fetchJson(USERS)).status).toBe(200);
      await t.mutate.fault({ match: { path: '/users/delta' }, kind: 'status', status: 503, retryAfter: date });
      await t.mutate.fault({ match: { path: '/users/delta' }, kind: 'status', status: 504 });
      expect((await clientRound(await t.client(), '/users/delta?$select=displayName')).items).toHaveLength(FIXTURE_USERS);
    });

    it('D7: a 503 that never ends fails the client with GRAPH_UNAVAILABLE after its retries', async () => {
      await t.mutate.fault({ match: { path: '/users/delta' }, kind: 'status', status: 503, times: Infinity });
      expect(await codeOf(clientRound(await t.client({ maxRetries: 2 }), '/users/delta?$select=displayName'))).toBe('GRAPH_UNAVAILABLE');
    });

    it('a connection reset answers nothing; the client retries the request', async () => {
      await t.mutate.fault({ match: { path: '/users/delta' }, kind: 'reset' });
      await expect(t.fetchJson(USERS)).rejects.toThrow();
      await t.mutate.fault({ match: { path: '/users/delta' }, kind: 'reset' });
      expect((await clientRound(await t.client(), '/users/delta?$select=displayName')).items).toHaveLength(FIXTURE_USERS);
    });

    it('malformed JSON with a 200: the raw body does not parse; the client retries rather than trusting it', async () => {
      await t.mutate.fault({ match: { path: '/users/delta' }, kind: 'malformed' });
      const r = await t.fetchJson(USERS);
      expect(r.status).toBe(200);
      expect(() => JSON.parse(r.text) as unknown).toThrow();
      await t.mutate.fault({ match: { path: '/users/delta' }, kind: 'malformed' });
      expect((await clientRound(await t.client(), '/users/delta?$select=displayName')).items).toHaveLength(FIXTURE_USERS);
    });

    it('a slow answer still arrives whole; a client that gives up on it first retries', async () => {
      await t.mutate.fault({ match: { path: '/users/delta' }, kind: 'delay', delayMs: 300 });
      expect(items(await t.fetchJson(USERS))).toHaveLength(FIXTURE_USERS);
      // The first attempt outlives the client's timeout and is abandoned; the retry is answered at once.
      await t.mutate.fault({ match: { path: '/users/delta' }, kind: 'delay', delayMs: 5_000 });
      expect((await clientRound(await t.client({ requestTimeoutMs: 100 }), '/users/delta?$select=displayName')).items).toHaveLength(FIXTURE_USERS);
    });

    it('B1: a stale deltaLink is 400 syncStateNotFound; the client reports DELTA_TOKEN_EXPIRED (a first request is never stale)', async () => {
      const { deltaLink } = await round(t, USERS);
      await t.mutate.fault({ match: {}, kind: 'expired-token', times: 2 });
      expect((await t.fetchJson(USERS)).status).toBe(200);
      const r = await t.fetchJson(deltaLink);
      expect([r.status, errorOf(r).code]).toEqual([400, 'syncStateNotFound']);
      expect(errorOf(r).message).toContain('sync state generation is not found');
      expect(await codeOf(clientRound(await t.client(), deltaLink))).toBe('DELTA_TOKEN_EXPIRED');
      expect((await t.fetchJson(deltaLink)).status).toBe(200);
    });

    it('B1: invalidating tokens makes every outstanding deltaLink fail until a new round starts', async () => {
      const { deltaLink } = await round(t, USERS);
      await t.mutate.invalidateDeltaTokens();
      expect(errorOf(await t.fetchJson(deltaLink)).code).toBe('syncStateNotFound');
      expect(errorOf(await t.fetchJson(deltaLink)).code).toBe('syncStateNotFound');
      const fresh = await round(t, USERS);
      expect((await t.fetchJson(fresh.deltaLink)).status).toBe(200);
    });

    it('I10: 410 Gone with SyncStateNotFound, without a Location; the client reports DELTA_TOKEN_EXPIRED', async () => {
      const { deltaLink } = await round(t, USERS);
      await t.mutate.fault({ match: { path: 'users/delta' }, kind: 'expired-token', status: 410, times: 2 });
      const r = await t.fetchJson(deltaLink);
      expect([r.status, errorOf(r).code, r.headers.get('location')]).toEqual([410, 'SyncStateNotFound', null]);
      expect(await codeOf(clientRound(await t.client(), deltaLink))).toBe('DELTA_TOKEN_EXPIRED');
    });

    it('D1 reset: 410 Gone with a Location holding the initial query and an empty $deltatoken; following it is a full round', async () => {
      const { deltaLink } = await round(t, USERS);
      await t.mutate.fault({ match: { path: 'users/delta' }, kind: 'expired-token', status: 410, resetLocation: true, times: 2 });
      const r = await t.fetchJson(deltaLink);
      expect(r.status).toBe(410);
      const location = r.headers.get('location') ?? '';
      expect(location).toBe(`${t.baseUrl}/v1.0/users/delta?$deltatoken=`);
      expect(allItems((await round(t, location)).pages)).toHaveLength(FIXTURE_USERS);
      const err = await clientRound(await t.client(), deltaLink).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: 'DELTA_TOKEN_EXPIRED', details: { location } });
    });
  });
}
