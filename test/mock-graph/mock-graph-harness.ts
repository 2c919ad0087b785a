import { fileURLToPath } from 'node:url';
import { Agent, fetch } from 'undici';
import { loadDirectorySeed, type DirectorySeed } from '../../src/mock-graph/directory-seed.js';
import { startMockGraph, type MockGraph, type MockGraphOptions } from '../../src/mock-graph/start-mock-graph.js';

export const FIXTURE = fileURLToPath(new URL('../../fixtures/directory/contoso.json', import.meta.url));
export const TENANT = 'c0c0c0c0-0000-4000-8000-000000000000';
export const CLIENT_ID = 'a0a0a0a0-0000-4000-8000-000000000001';
export const SECRET = 'mock-secret-not-a-real-secret';
export const NO_ROLES_CLIENT = 'a0a0a0a0-0000-4000-8000-000000000002';
export const NO_ROLES_SECRET = 'mock-secret-no-roles';
export const ALL_ROLES_CLIENT = 'a0a0a0a0-0000-4000-8000-000000000003';
export const ALL_ROLES_SECRET = 'mock-secret-all-roles';
export const FINANCE = 'f1000000-0000-4000-8000-000000000001';
export const uid = (n: number) => `b0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const gid = (n: number) => `f1000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export interface GraphReply { status: number; headers: Headers; body: Record<string, unknown>; text: string }

/** A started mock plus a client that trusts its CA, as the real worker would via an undici Agent. */
export interface Harness {
  mock: MockGraph;
  seed: DirectorySeed;
  token(clientId?: string, secret?: string): Promise<string>;
  /** Drops the cached token, e.g. after a fake clock moved past its expiry. */
  forgetToken(): void;
  get(pathOrUrl: string, init?: { token?: string | null; headers?: Record<string, string> }): Promise<GraphReply>;
  send(method: string, pathOrUrl: string, body: unknown, init?: { token?: string | null; headers?: Record<string, string>; form?: boolean }): Promise<GraphReply>;
  /** Follows nextLinks to the deltaLink, returning every page. */
  round(startUrl: string, init?: { headers?: Record<string, string> }): Promise<{ pages: GraphReply[]; deltaLink: string }>;
  close(): Promise<void>;
}

export async function startHarness(overrides: Partial<MockGraphOptions> = {}): Promise<Harness> {
  const seed = await loadDirectorySeed(FIXTURE);
  const mock = await startMockGraph({ seed, ...overrides });
  const agent = new Agent({ connect: { ca: mock.caPem ?? undefined } });
  let cached: string | undefined;
  const abs = (p: string) => (p.startsWith('http') ? p : `${mock.url}${p}`);
  const send: Harness['send'] = async (method, pathOrUrl, body, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token !== null && !pathOrUrl.startsWith('/_mock') && !pathOrUrl.includes('/oauth2/')) headers['authorization'] = `Bearer ${init.token ?? (await h.token())}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = init.form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body);
      headers['content-type'] = init.form ? 'application/x-www-form-urlencoded' : 'application/json';
    }
    const res = await fetch(abs(pathOrUrl), { method, headers, body: payload, dispatcher: agent });
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try { parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {}; } catch { /* malformed on purpose in some tests */ }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
  const h: Harness = {
    mock, seed, send,
    async token(clientId = CLIENT_ID, secret = SECRET) {
      if (clientId === CLIENT_ID && secret === SECRET && cached) return cached;
      const r = await send('POST', `/${TENANT}/oauth2/v2.0/token`, {
        grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope: 'https://graph.microsoft.com/.default',
      }, { form: true, token: null });
      if (r.status !== 200) throw new Error(`token failed: ${r.text}`);
      const t = String(r.body['access_token']);
      if (clientId === CLIENT_ID && secret === SECRET) cached = t;
      return t;
    },
    forgetToken() { cached = undefined; },
    get: (p, init) => send('GET', p, undefined, init),
    async round(startUrl, init = {}) {
      const pages: GraphReply[] = [];
      let url = startUrl;
      for (let i = 0; i < 1000; i++) {
        const r = await h.get(url, init);
        if (r.status !== 200) throw new Error(`delta page ${url} failed: ${r.status} ${r.text}`);
        pages.push(r);
        const next = r.body['@odata.nextLink'];
        const delta = r.body['@odata.deltaLink'];
        if (typeof delta === 'string') return { pages, deltaLink: delta };
        if (typeof next !== 'string') throw new Error('page without either link');
        url = next;
      }
      throw new Error('round did not end');
    },
    async close() {
      await mock.close();
      await agent.close();
    },
  };
  return h;
}

export type Item = Record<string, unknown> & { id: string };
export const items = (r: GraphReply): Item[] => r.body['value'] as Item[];
export const allItems = (pages: GraphReply[]): Item[] => pages.flatMap(items);
