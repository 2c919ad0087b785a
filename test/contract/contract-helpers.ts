import { expect } from 'vitest';
import type { GraphApi } from '../../src/graph/create-graph-api.js';
import { deltaPages } from '../../src/graph/delta-pages.js';
import type { GraphReply, GraphTarget } from './graph-target.js';

export type Item = Record<string, unknown> & { id: string };
export type MemberDelta = { '@odata.type': string; id: string; '@removed'?: { reason: string } };

export const uid = (n: number) => `b0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const gid = (n: number) => `f1000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const FINANCE = gid(1);
export const FIXTURE_USERS = 20;
export const USER_SELECT = 'displayName,userType,accountEnabled,mail,city,onPremisesExtensionAttributes';
export const GROUP_SELECT = 'displayName,groupTypes,mailEnabled,securityEnabled,membershipRule,members';

export const items = (r: GraphReply): Item[] => r.body['value'] as Item[];
export const allItems = (pages: GraphReply[]): Item[] => pages.flatMap(items);
export const errorOf = (r: GraphReply) => (r.body['error'] ?? {}) as { code?: string; message?: string; innerError?: Record<string, unknown> };
export const ids = (r: GraphReply) => items(r).map((x) => x.id);
export const membersOf = (list: Item[], groupId: string): MemberDelta[] =>
  list.filter((g) => g.id === groupId).flatMap((g) => (g['members@delta'] as MemberDelta[] | undefined) ?? []);
export const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

/** Follows nextLinks verbatim to the deltaLink (D1, D6), checking the envelope on every page. */
export async function round(t: GraphTarget, startUrl: string, headers: Record<string, string> = {}): Promise<{ pages: GraphReply[]; deltaLink: string }> {
  const pages: GraphReply[] = [];
  let url = startUrl;
  for (let i = 0; i < 10_000; i++) {
    const r = await t.fetchJson(url, headers);
    expect(r.status, `${url}: ${r.text.slice(0, 200)}`).toBe(200);
    expect(Array.isArray(r.body['value'])).toBe(true);
    pages.push(r);
    const next = r.body['@odata.nextLink'];
    const delta = r.body['@odata.deltaLink'];
    // "A page can't contain both" (D1), and a round never just stops.
    expect((typeof next === 'string' ? 1 : 0) + (typeof delta === 'string' ? 1 : 0)).toBe(1);
    if (typeof delta === 'string') return { pages, deltaLink: delta };
    url = String(next);
  }
  throw new Error('round did not end');
}

/** The same round through our client: every raw item deltaPages yields, and the final link. */
export async function clientRound(api: GraphApi, startUrl: string): Promise<{ items: Item[]; pages: number; deltaLink: string }> {
  const out: Item[] = [];
  let pages = 0;
  let deltaLink = '';
  for await (const page of deltaPages(api, startUrl)) {
    pages += 1;
    out.push(...(page.items as Item[]));
    if (page.deltaLink) deltaLink = page.deltaLink;
  }
  return { items: out, pages, deltaLink };
}
