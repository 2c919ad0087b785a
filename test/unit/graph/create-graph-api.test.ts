import type { AccessToken, TokenCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/app-error.js';
import type { Clock } from '../../../src/core/clock.js';
import { createGraphApi, type GraphApi } from '../../../src/graph/create-graph-api.js';
import type { FetchLike } from '../../../src/graph/fetch-handler.js';
import type { GraphSettings, RetryOptions } from '../../../src/graph/graph-settings.js';

const SECRET = 's3cr3t-Value~xyz';
const SETTINGS: GraphSettings = {
  directoryId: 'c0c0c0c0-0000-4000-8000-000000000000',
  clientId: 'd1d1d1d1-0000-4000-8000-000000000000',
  credential: { kind: 'secret', secret: SECRET },
  graphUrl: 'https://graph.example.test',
  authorityHost: 'https://login.example.test',
};
const FIXED = new Date('2026-03-10T12:00:00.000Z');

interface Call {
  url: string;
  headers: Headers;
}
type Step = (() => Response) | Error;

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): (() => Response) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const raw = (text: string, status: number, headers: Record<string, string> = {}): (() => Response) => () =>
  new Response(text, { status, headers: { 'content-type': 'application/json', ...headers } });
const graphError = (status: number, code: string, headers: Record<string, string> = {}): (() => Response) =>
  json({ error: { code, message: `${code} message` } }, status, headers);
const networkError = (): Error => new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });

const OK = { value: [{ id: 'u1' }] };

interface Harness {
  api: GraphApi;
  calls: Call[];
  slept: number[];
}

/** A scripted fetch: each call takes the next step; the last step repeats. */
async function harness(
  steps: Step[],
  opts: { retry?: Partial<RetryOptions>; credential?: TokenCredential } = {},
): Promise<Harness> {
  const calls: Call[] = [];
  const slept: number[] = [];
  const fakeFetch: FetchLike = async (input, init) => {
    calls.push({ url: input, headers: new Headers(init.headers) });
    const step = steps[Math.min(calls.length - 1, steps.length - 1)];
    if (step === undefined) throw new Error('empty script');
    if (step instanceof Error) throw step;
    return step();
  };
  const clock: Clock = {
    now: () => FIXED,
    sleep: async (ms: number) => {
      slept.push(ms);
    },
  };
  const credential: TokenCredential = opts.credential ?? {
    getToken: async (): Promise<AccessToken> => ({ token: 'tkn', expiresOnTimestamp: Date.now() + 3_600_000 }),
  };
  const api = await createGraphApi(SETTINGS, {
    credential,
    fetch: fakeFetch,
    clock,
    random: () => 0.5,
    ...(opts.retry ? { retry: opts.retry } : {}),
  });
  return { api, calls, slept };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw new Error(`expected an AppError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected a rejection');
}

describe('createGraphApi', () => {
  it('exposes baseUrl with /v1.0 under the configured Graph origin (§9, D18)', async () => {
    const { api } = await harness([json(OK)]);
    expect(api.baseUrl).toBe('https://graph.example.test/v1.0');
    expect(api.stats).toEqual({ requests: 0, retries: 0, throttled: 0 });
  });

  it('resolves a relative path under /v1.0 and sends Authorization: Bearer to the custom host (D20, §9)', async () => {
    const { api, calls } = await harness([json(OK)]);
    expect(await api.getJson('/users/delta?$select=id')).toEqual(OK);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('https://graph.example.test/v1.0/users/delta?$select=id');
    expect(calls[0]?.headers.get('authorization')).toBe('Bearer tkn');
  });

  it('resolves a path without a leading slash under /v1.0 too', async () => {
    const { api, calls } = await harness([json(OK)]);
    await api.getJson('groups/delta');
    expect(calls[0]?.url).toBe('https://graph.example.test/v1.0/groups/delta');
  });

  it('follows an absolute nextLink verbatim and still sends the bearer token (D6, §11.2)', async () => {
    const next = 'https://graph.example.test/v1.0/users/delta?$skiptoken=Ab%2Fc%3D%3D';
    const { api, calls } = await harness([json(OK)]);
    await api.getJson(next);
    expect(calls[0]?.url).toBe(next);
    expect(calls[0]?.headers.get('authorization')).toBe('Bearer tkn');
  });

  it('passes extra request headers through (D6: ConsistencyLevel is re-sent per request)', async () => {
    const { api, calls } = await harness([json(OK)]);
    await api.getJson('/users?$search="displayName:ann"', { ConsistencyLevel: 'eventual' });
    expect(calls[0]?.headers.get('consistencylevel')).toBe('eventual');
  });

  it('429 with Retry-After: 2 then 200 → waits 2000 ms, retries once with Retry-Attempt: 1 (D7, J2)', async () => {
    const { api, calls, slept } = await harness([graphError(429, 'TooManyRequests', { 'Retry-After': '2' }), json(OK)]);
    expect(await api.getJson('/users/delta')).toEqual(OK);
    expect(slept).toEqual([2_000]);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.headers.get('retry-attempt')).toBeNull();
    expect(calls[1]?.headers.get('retry-attempt')).toBe('1');
    expect(calls[1]?.headers.get('authorization')).toBe('Bearer tkn');
    expect(api.stats).toEqual({ requests: 2, retries: 1, throttled: 1 });
  });

  it('honours a fractional Retry-After: 2.128 (D7)', async () => {
    const { api, slept } = await harness([graphError(429, 'TooManyRequests', { 'Retry-After': '2.128' }), json(OK)]);
    await api.getJson('/users/delta');
    expect(slept).toEqual([2_128]);
  });

  it('numbers Retry-Attempt 1, 2, 3 on successive retries (J2)', async () => {
    const throttled = graphError(429, 'TooManyRequests', { 'Retry-After': '1' });
    const { api, calls } = await harness([throttled, throttled, throttled, json(OK)]);
    await api.getJson('/users/delta');
    expect(calls.map((c) => c.headers.get('retry-attempt'))).toEqual([null, '1', '2', '3']);
    expect(api.stats).toEqual({ requests: 4, retries: 3, throttled: 3 });
  });

  it('503 without Retry-After → exponential backoff in the expected range, then success (D7, D9)', async () => {
    const { api, slept } = await harness([graphError(503, 'serviceNotAvailable'), json(OK)], {
      retry: { baseDelayMs: 1_000, maxDelayMs: 180_000 },
    });
    expect(await api.getJson('/users/delta')).toEqual(OK);
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThanOrEqual(100);
    expect(slept[0]).toBeLessThanOrEqual(1_000);
    expect(slept[0]).toBe(550); // random() = 0.5: 1000 · (0.1 + 0.9 · 0.5)
    expect(api.stats.throttled).toBe(0);
    expect(api.stats.retries).toBe(1);
  });

  it('backoff grows across retries of a 503/504 without Retry-After (D7, D9)', async () => {
    const { api, slept } = await harness(
      [graphError(503, 'serviceNotAvailable'), graphError(504, 'gatewayTimeout'), graphError(503, 'x'), json(OK)],
      { retry: { baseDelayMs: 1_000, maxDelayMs: 180_000 } },
    );
    await api.getJson('/users/delta');
    expect(slept).toEqual([550, 1_100, 2_200]);
  });

  it('a thrown network error (ECONNRESET) then success → retried (§11.8)', async () => {
    const { api, calls, slept } = await harness([networkError(), json(OK)], { retry: { baseDelayMs: 1_000 } });
    expect(await api.getJson('/users/delta')).toEqual(OK);
    expect(calls).toHaveLength(2);
    expect(slept).toEqual([550]);
    expect(api.stats).toEqual({ requests: 2, retries: 1, throttled: 0 });
  });

  it('always 429 → GRAPH_THROTTLED after maxRetries, with exactly maxRetries + 1 calls (D7, J1)', async () => {
    const { api, calls, slept } = await harness([graphError(429, 'TooManyRequests', { 'Retry-After': '1' })], { retry: { maxRetries: 2 } });
    const err = await rejection(api.getJson('/users/delta'));
    expect(err.code).toBe('GRAPH_THROTTLED');
    expect(calls).toHaveLength(3);
    expect(slept).toEqual([1_000, 1_000]);
    expect(api.stats).toEqual({ requests: 3, retries: 2, throttled: 3 });
  });

  it('always 503 → GRAPH_UNAVAILABLE after maxRetries (D9)', async () => {
    const { api, calls } = await harness([graphError(503, 'serviceNotAvailable')], { retry: { maxRetries: 1 } });
    const err = await rejection(api.getJson('/users/delta'));
    expect(err.code).toBe('GRAPH_UNAVAILABLE');
    expect(calls).toHaveLength(2);
  });

  it.each([
    ['600', 600_000],
    ['Tue, 10 Mar 2026 13:00:00 GMT', 3_600_000],
  ])('caps a Retry-After of %j (%d ms) at maxDelayMs (J1: 180 s)', async (retryAfter, _asked) => {
    const { api, slept } = await harness([graphError(429, 'TooManyRequests', { 'Retry-After': retryAfter }), json(OK)], {
      retry: { maxDelayMs: 5_000 },
    });
    await api.getJson('/users/delta');
    expect(slept).toEqual([5_000]);
  });

  it('a 200 with truncated JSON then a good answer → retried (§11.8)', async () => {
    const { api, calls } = await harness([raw('{"value": [', 200), json(OK)]);
    expect(await api.getJson('/users/delta')).toEqual(OK);
    expect(calls).toHaveLength(2);
    expect(api.stats.retries).toBe(1);
  });

  it('always malformed JSON → GRAPH_BAD_RESPONSE (§11.8)', async () => {
    const { api, calls } = await harness([raw('{"value": [', 200)], { retry: { maxRetries: 2 } });
    const err = await rejection(api.getJson('/users/delta'));
    expect(err.code).toBe('GRAPH_BAD_RESPONSE');
    expect(calls).toHaveLength(3);
  });

  it('always a network error → GRAPH_NETWORK (§11.8)', async () => {
    const { api, calls } = await harness([networkError()], { retry: { maxRetries: 2 } });
    const err = await rejection(api.getJson('/users/delta'));
    expect(err.code).toBe('GRAPH_NETWORK');
    expect(err.message).toContain('ECONNRESET');
    expect(calls).toHaveLength(3);
  });

  it('403 → GRAPH_FORBIDDEN without retry (D9)', async () => {
    const { api, calls, slept } = await harness([graphError(403, 'Authorization_RequestDenied'), json(OK)]);
    const err = await rejection(api.getJson('/users/delta'));
    expect(err.code).toBe('GRAPH_FORBIDDEN');
    expect(calls).toHaveLength(1);
    expect(slept).toEqual([]);
  });

  it('400 syncStateNotFound → DELTA_TOKEN_EXPIRED without retry, and no token in the message (B1, §1.5)', async () => {
    const { api, calls } = await harness([graphError(400, 'syncStateNotFound'), json(OK)]);
    const err = await rejection(api.getJson('https://graph.example.test/v1.0/users/delta?$deltatoken=OPAQUE999'));
    expect(err.code).toBe('DELTA_TOKEN_EXPIRED');
    expect(err.message).not.toContain('OPAQUE999');
    expect(calls).toHaveLength(1);
  });

  it('410 with Location → DELTA_TOKEN_EXPIRED carrying the Location (D1 reset)', async () => {
    const location = 'https://graph.example.test/v1.0/users/delta?$deltatoken=';
    const { api } = await harness([raw('', 410, { Location: location })]);
    const err = await rejection(api.getJson('/users/delta'));
    expect(err.code).toBe('DELTA_TOKEN_EXPIRED');
    expect(err.details['location']).toBe(location);
  });

  it('a 200 that is not JSON at all → GRAPH_BAD_RESPONSE (§11.8)', async () => {
    const { api } = await harness([() => new Response('<html>proxy login</html>', { status: 200, headers: { 'content-type': 'text/html' } })]);
    const err = await rejection(api.getJson('/users/delta'));
    expect(err.code).toBe('GRAPH_BAD_RESPONSE');
  });

  const failingCredential = (): TokenCredential => ({
    getToken: async (): Promise<AccessToken> => {
      const err = new Error(`AADSTS7000215: Invalid client secret provided.\nTrace ID: 1\nrequest body: client_secret=${SECRET}`);
      err.name = 'AuthenticationError';
      throw err;
    },
  });

  it('a credential failing with AuthenticationError → GRAPH_AUTH, no request sent (D20)', async () => {
    const { api, calls } = await harness([json(OK)], { credential: failingCredential() });
    const err = await rejection(api.getJson('/users/delta'));
    expect(calls).toHaveLength(0);
    expect(err.message).toContain('AADSTS7000215');
    expect(err.code).toBe('GRAPH_AUTH');
  });

  it('a credential failure never puts the secret into the message (D20)', async () => {
    const { api } = await harness([json(OK)], { credential: failingCredential() });
    const err = await rejection(api.getJson('/users/delta'));
    expect(err.message).not.toContain(SECRET);
  });
});
