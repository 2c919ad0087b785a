import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/app-error.js';
import type { GroupChange } from '../../../src/core/directory-change.js';
import { createGraphApi, type GraphApi } from '../../../src/graph/create-graph-api.js';
import { readGroupsWithMembers } from '../../../src/graph/list-groups-with-members.js';
import { loadDirectorySeed } from '../../../src/mock-graph/directory-seed.js';
import { startMockGraph, type MockGraph } from '../../../src/mock-graph/start-mock-graph.js';
import { CLIENT_ID, FIXTURE, SECRET, TENANT, uid } from '../../mock-graph/mock-graph-harness.js';

/** Groups added to the fixture tenant for these tests, 1..32, each with a single member. */
const team = (n: number) => `e2000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const member = (n: number) => uid(((n - 1) % 20) + 1);
const GONE = 'e2000000-0000-4000-8000-00000000dead';
const BATCH_MEMBERS = 'GET /v1.0/groups/{id}/members';

type Answer = { id: string; status: number; body: unknown };
type Upsert = Extract<GroupChange, { kind: 'upsert' }>;

let mock: MockGraph;
let graph: GraphApi;

/** The engine's client over the mock, recording every `$batch` body; `tamper` may rewrite its answers. */
function recording(tamper: (answer: Answer, url: string) => Answer = (a) => a): GraphApi & { batches: string[][] } {
  const batches: string[][] = [];
  return {
    baseUrl: graph.baseUrl,
    stats: graph.stats,
    batches,
    getJson: (url, headers) => graph.getJson(url, headers),
    async postJson(path, body) {
      const requests = (body as { requests: { id: string; url: string }[] }).requests;
      batches.push(requests.map((r) => r.url));
      const answer = (await graph.postJson(path, body)) as { responses: Answer[] };
      const urlOf = new Map(requests.map((r) => [r.id, r.url]));
      return { responses: answer.responses.map((r) => tamper(r, urlOf.get(r.id) ?? '')) };
    },
  };
}

async function readAll(api: GraphApi, ids: readonly string[]): Promise<{ batches: GroupChange[][]; changes: Upsert[] }> {
  const batches: GroupChange[][] = [];
  for await (const changes of readGroupsWithMembers(api, ids, async () => {})) batches.push(changes);
  return { batches, changes: batches.flat() as Upsert[] };
}

const isList = (url: string) => url.startsWith('/groups?$filter=');
const filterOf = (url: string) => new URLSearchParams(url.slice(url.indexOf('?') + 1)).get('$filter') ?? '';
const delta = (after: Record<string, number>, before: Record<string, number>, key: string) => (after[key] ?? 0) - (before[key] ?? 0);

beforeAll(async () => {
  mock = await startMockGraph({ seed: await loadDirectorySeed(FIXTURE), port: 0 });
  for (let n = 1; n <= 32; n += 1) {
    mock.directory.addGroup({ id: team(n), displayName: `Team ${n}`, groupTypes: [], mailEnabled: false, securityEnabled: true, members: [member(n)] });
  }
  graph = await createGraphApi({
    directoryId: TENANT, clientId: CLIENT_ID, credential: { kind: 'secret', secret: SECRET }, graphUrl: mock.url, authorityHost: mock.url, ca: mock.caPem,
  }, { retry: { baseDelayMs: 1, maxDelayMs: 20 } });
});
afterAll(async () => { await mock.close(); });

describe('readGroupsWithMembers (§9b)', () => {
  it('reads 32 groups in ceil(32/15) = 3 batches: one `id in` list + one members read per group, no per-group property reads', async () => {
    const api = recording();
    const ids = Array.from({ length: 32 }, (_, i) => team(i + 1));
    const before = mock.stats();
    const { batches, changes } = await readAll(api, ids);
    // 15 + 15 + 2 groups; each batch 1 list + one members read per group: 16, 16, 3 items (≤ 20).
    expect(api.batches.map((b) => b.length)).toEqual([16, 16, 3]);
    expect(batches.map((b) => b.length)).toEqual([15, 15, 2]);
    for (const [i, urls] of api.batches.entries()) {
      const lists = urls.filter(isList);
      expect(lists).toHaveLength(1);
      const chunk = ids.slice(i * 15, i * 15 + 15);
      expect(filterOf(lists[0] ?? '')).toBe(`id in (${chunk.map((id) => `'${id}'`).join(',')})`);
      expect(urls.filter((u) => /^\/groups\/[^/?]+\?/.test(u))).toEqual([]);
      expect(urls.filter((u) => u.includes('/members?')).map((u) => u.split('/')[2]).sort()).toEqual([...chunk].sort());
    }
    const after = mock.stats();
    expect(delta(after.requests, before.requests, 'POST /v1.0/$batch')).toBe(3);
    expect(delta(after.batchedRequests, before.batchedRequests, 'GET /v1.0/groups')).toBe(3);
    expect(delta(after.batchedRequests, before.batchedRequests, 'GET /v1.0/groups/{id}')).toBe(0);
    expect(delta(after.batchedRequests, before.batchedRequests, BATCH_MEMBERS)).toBe(32);
    // 3 lists × 1 RU + 32 members reads × 2 RU ($select) = 67, where per-group reads cost 32 + 64 = 96.
    expect(after.resourceUnits - before.resourceUnits).toBe(67);
    expect(changes.map((c) => c.id)).toEqual(ids);
    expect(changes[16]).toEqual({
      kind: 'upsert', id: team(17),
      props: { displayName: 'Team 17', groupTypes: [], mailEnabled: false, securityEnabled: true },
      memberAdds: [{ id: member(17), type: 'user' }], memberRemoves: [],
    });
  });

  it('matches the list answer to the asked ids without case, and yields them lowercased', async () => {
    const api = recording((answer, url) => {
      if (!isList(url)) return answer;
      const body = answer.body as { value: { id: string }[] };
      return { ...answer, body: { ...body, value: body.value.map((g) => ({ ...g, id: g.id.toUpperCase() })) } };
    });
    const { changes } = await readAll(api, [team(3), team(4)]);
    expect(changes.map((c) => [c.id, c.props.displayName])).toEqual([[team(3), 'Team 3'], [team(4), 'Team 4']]);
  });

  it('leaves out a group that is gone (not listed, members 404) or missing from the list answer', async () => {
    const api = recording((answer, url) => {
      if (!isList(url) || typeof answer.body !== 'object' || answer.body === null) return answer;
      const body = answer.body as { value: { id: string }[] };
      return { ...answer, body: { ...body, value: body.value.filter((g) => g.id !== team(6)) } };
    });
    const { changes } = await readAll(api, [team(5), GONE, team(6), team(7)]);
    expect(changes.map((c) => c.id)).toEqual([team(5), team(7)]);
  });

  it('follows a nextLink on the list answer', async () => {
    const api = recording((answer, url) => {
      if (!isList(url)) return answer;
      const body = answer.body as { value: { id: string }[] };
      const rest = body.value.slice(1).map((g) => `'${g.id}'`).join(',');
      const nextLink = `${graph.baseUrl}/groups?$filter=${encodeURIComponent(`id in (${rest})`)}&$select=id,displayName,groupTypes,mailEnabled,securityEnabled`;
      return { ...answer, body: { value: body.value.slice(0, 1), '@odata.nextLink': nextLink } };
    });
    const { changes } = await readAll(api, [team(8), team(9), team(10)]);
    expect(changes.map((c) => [c.id, c.props.displayName])).toEqual([[team(8), 'Team 8'], [team(9), 'Team 9'], [team(10), 'Team 10']]);
  });

  it('fails on a garbled or failed list answer instead of dropping its groups', async () => {
    const garbled = recording((answer, url) => (isList(url) ? { ...answer, body: { value: [{ displayName: 'no id' }] } } : answer));
    await expect(readAll(garbled, [team(11)])).rejects.toMatchObject({ code: 'GRAPH_BAD_RESPONSE' });
    const forbidden = recording((answer, url) =>
      isList(url) ? { ...answer, status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } } : answer);
    const err = await readAll(forbidden, [team(11)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('GRAPH_FORBIDDEN');
  });
});
