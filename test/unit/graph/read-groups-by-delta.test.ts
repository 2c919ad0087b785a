import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/app-error.js';
import type { GroupChange } from '../../../src/core/directory-change.js';
import { createGraphApi, type GraphApi } from '../../../src/graph/create-graph-api.js';
import { parseGroupChange } from '../../../src/graph/group-delta.js';
import { readGroupsByDelta, subRounds } from '../../../src/graph/read-groups-by-delta.js';
import { loadDirectorySeed } from '../../../src/mock-graph/directory-seed.js';
import { startMockGraph, type MockGraph } from '../../../src/mock-graph/start-mock-graph.js';
import { CLIENT_ID, FIXTURE, SECRET, TENANT, uid } from '../../mock-graph/mock-graph-harness.js';

/** Groups added to the fixture tenant for these tests: 1..32 with one member each, 40..41 with seven. */
const team = (n: number) => `e2000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const member = (n: number) => uid(((n - 1) % 20) + 1);
const GONE = 'e2000000-0000-4000-8000-00000000dead';
const GROUPS_DELTA = 'GET /v1.0/groups/delta';
/** The mock's member slice for these tests: a group of seven members spans pages of 3, 3 and 1 (D3). */
const SLICE = 3;

type Answer = { id: string; status: number; body: unknown };
type Upsert = Extract<GroupChange, { kind: 'upsert' }>;

let mock: MockGraph;
let graph: GraphApi;

/** The engine's client over the mock, recording every `$batch` body; `tamper` may rewrite its answers. */
function recording(tamper: (answer: Answer, url: string) => Answer | null = (a) => a): GraphApi & { batches: string[][] } {
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
      return { responses: answer.responses.flatMap((r) => tamper(r, urlOf.get(r.id) ?? '') ?? []) };
    },
  };
}

async function readAll(api: GraphApi, ids: readonly string[]): Promise<{ steps: unknown[][]; changes: GroupChange[] }> {
  const steps: unknown[][] = [];
  for await (const items of readGroupsByDelta(api, ids, async () => {})) steps.push(items);
  return { steps, changes: steps.flat().map((raw) => { const p = parseGroupChange(raw); if (!p.ok) throw new Error(p.reason); return p.change; }) };
}

/** The ids a sub-round's `$filter=id eq '…' or …` names. */
const idsOf = (url: string) => [...(new URLSearchParams(url.slice(url.indexOf('?') + 1)).get('$filter') ?? '').matchAll(/id eq '([^']+)'/g)].map((m) => m[1]);
const delta = (after: Record<string, number>, before: Record<string, number>, key: string) => (after[key] ?? 0) - (before[key] ?? 0);

/** Every member id per group, merged over the pages and repeats a round may cut a group into (D3). */
function membersByGroup(changes: readonly GroupChange[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of changes) if (c.kind === 'upsert') out.set(c.id, [...(out.get(c.id) ?? []), ...c.memberAdds.map((m) => m.id)]);
  return out;
}

beforeAll(async () => {
  mock = await startMockGraph({ seed: await loadDirectorySeed(FIXTURE), port: 0, pageSizes: { memberSlice: SLICE } });
  for (let n = 1; n <= 32; n += 1) {
    mock.directory.addGroup({ id: team(n), displayName: `Team ${n}`, groupTypes: [], mailEnabled: false, securityEnabled: true, members: [member(n)] });
  }
  for (const n of [40, 41]) {
    mock.directory.addGroup({ id: team(n), displayName: `Big ${n}`, groupTypes: ['Unified'], mailEnabled: true, securityEnabled: false, members: Array.from({ length: 7 }, (_, i) => uid(i + 1)) });
  }
  graph = await createGraphApi({
    directoryId: TENANT, clientId: CLIENT_ID, credential: { kind: 'secret', secret: SECRET }, graphUrl: mock.url, authorityHost: mock.url, ca: mock.caPem,
  }, { retry: { baseDelayMs: 1, maxDelayMs: 20 } });
});
afterAll(async () => { await mock.close(); });

describe('subRounds', () => {
  it('spreads ids over at most 20 nearly equal lists, in order', () => {
    const ids = Array.from({ length: 47 }, (_, i) => `g${i}`);
    const rounds = subRounds(ids);
    expect(rounds.map((r) => r.length)).toEqual([3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(rounds.flat()).toEqual(ids);
    expect(subRounds(['a', 'b']).map((r) => r.length)).toEqual([1, 1]);
    expect(subRounds([])).toEqual([]);
  });
});

describe('readGroupsByDelta (§9b)', () => {
  it('reads 32 small groups as 20 filtered groups/delta sub-rounds in one $batch: 20 units, no members or property reads', async () => {
    const api = recording();
    const ids = Array.from({ length: 32 }, (_, i) => team(i + 1));
    const before = mock.stats();
    const { steps, changes } = await readAll(api, ids);
    expect(api.batches.map((b) => b.length)).toEqual([20]);
    expect(api.batches[0]?.every((u) => u.startsWith('/groups/delta?$select=id,displayName,groupTypes,mailEnabled,securityEnabled,members&$filter='))).toBe(true);
    expect(api.batches[0]?.map(idsOf).map((g) => g.length)).toEqual(subRounds(ids).map((r) => r.length));
    expect(api.batches[0]?.flatMap(idsOf)).toEqual(ids);
    expect(steps).toHaveLength(1);
    const after = mock.stats();
    expect(delta(after.requests, before.requests, 'POST /v1.0/$batch')).toBe(1);
    expect(delta(after.batchedRequests, before.batchedRequests, GROUPS_DELTA)).toBe(20);
    expect(delta(after.batchedRequests, before.batchedRequests, 'GET /v1.0/groups/{id}/members')).toBe(0);
    expect(delta(after.batchedRequests, before.batchedRequests, 'GET /v1.0/groups')).toBe(0);
    // One unit per delta page [inf, §4], where a members read per group ($select) would cost 2 × 32 = 64.
    expect(after.resourceUnits - before.resourceUnits).toBe(20);
    expect(changes.map((c) => c.id).sort()).toEqual([...ids].sort());
    expect(changes.find((c) => c.id === team(17))).toEqual({
      kind: 'upsert', id: team(17),
      props: { displayName: 'Team 17', groupTypes: [], mailEnabled: false, securityEnabled: true },
      memberAdds: [{ id: member(17), type: 'user' }], memberRemoves: [],
    });
  });

  it('follows each sub-round to its deltaLink, asking again only for those that have more pages', async () => {
    const api = recording();
    const { steps, changes } = await readAll(api, [team(40), team(1), team(41)]);
    // Three sub-rounds; the two big groups take pages of 3, 3 and 1 members (D3), the small one ends at once.
    expect(api.batches.map((b) => b.length)).toEqual([3, 2, 2]);
    expect(api.batches.slice(1).flat().every((u) => u.startsWith('/groups/delta?$skiptoken='))).toBe(true);
    expect(steps).toHaveLength(3);
    const members = membersByGroup(changes);
    const seven = Array.from({ length: 7 }, (_, i) => uid(i + 1));
    expect([...members.keys()].sort()).toEqual([team(1), team(40), team(41)].sort());
    expect(members.get(team(40))).toEqual(seven);
    expect(members.get(team(41))).toEqual(seven);
    expect(members.get(team(1))).toEqual([member(1)]);
  });

  it('leaves out a group that no longer exists, so the full-round sweep marks it deleted', async () => {
    const { changes } = await readAll(recording(), [team(5), GONE, team(6)]);
    expect(changes.map((c) => c.id).sort()).toEqual([team(5), team(6)].sort());
  });

  it('reads more than 1,000 ids in waves of 20 sub-rounds of at most 50 ids (D4, D5)', async () => {
    const ids = [...Array.from({ length: 1000 }, (_, i) => `e3000000-0000-4000-8000-${String(i).padStart(12, '0')}`), team(2)];
    const api = recording();
    const { changes } = await readAll(api, ids);
    expect(api.batches.map((b) => b.length)).toEqual([20, 1]);
    expect(Math.max(...api.batches.flat().map((u) => idsOf(u).length))).toBe(50);
    expect(api.batches.flat().flatMap(idsOf)).toEqual(ids);
    expect(changes.map((c) => c.id)).toEqual([team(2)]);
  });

  it('fails on a missing, failed or broken sub-round answer instead of reading its groups as memberless', async () => {
    const first = (url: string) => idsOf(url).includes(team(11));
    const missing = recording((answer, url) => (first(url) ? null : answer));
    await expect(readAll(missing, [team(11), team(12)])).rejects.toMatchObject({ code: 'GRAPH_BAD_RESPONSE' });
    const forbidden = recording((answer, url) =>
      first(url) ? { ...answer, status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } } : answer);
    const err = await readAll(forbidden, [team(11), team(12)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('GRAPH_FORBIDDEN');
    // D1: a delta page with neither link is a broken round, not the end of one.
    const linkless = recording((answer, url) => (first(url) ? { ...answer, body: { value: [] } } : answer));
    await expect(readAll(linkless, [team(11), team(12)])).rejects.toMatchObject({ code: 'GRAPH_BAD_RESPONSE' });
  });

  it('refuses a nextLink to another host rather than sending it inside a batch', async () => {
    const elsewhere = recording((answer) => ({ ...answer, body: { value: [], '@odata.nextLink': 'https://elsewhere.example/v1.0/groups/delta?$skiptoken=x' } }));
    await expect(readAll(elsewhere, [team(40)])).rejects.toMatchObject({ code: 'GRAPH_BAD_RESPONSE' });
  });
});
