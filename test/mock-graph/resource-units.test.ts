import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceUnitCost } from '../../src/mock-graph/resource-units.js';
import { FINANCE, startHarness, uid, type Harness } from './mock-graph-harness.js';

const q = (s: string) => new URLSearchParams(s);

describe('resource units (D8)', () => {
  it('charges the cost table with its modifiers and a floor of 1', () => {
    expect(resourceUnitCost('GET', ['users'], q(''))).toBe(2);
    expect(resourceUnitCost('GET', ['users'], q('$select=id&$top=999'))).toBe(1);
    expect(resourceUnitCost('GET', ['users', 'x'], q('$select=id&$top=5'))).toBe(1);
    expect(resourceUnitCost('GET', ['groups', 'g', 'members'], q('$top=999'))).toBe(3);
    expect(resourceUnitCost('GET', ['groups', 'g', 'members'], q('$select=id&$top=999'))).toBe(2);
    expect(resourceUnitCost('GET', ['groups', 'g', 'transitiveMembers'], q('$select=id'))).toBe(4);
    expect(resourceUnitCost('GET', ['groups', 'g', 'transitiveMembers'], q('$expand=x'))).toBe(6);
    // Delta is not in the table: an "other" read, 1 with or without $select [inf].
    expect(resourceUnitCost('GET', ['users', 'delta'], q('$select=displayName'))).toBe(1);
    expect(resourceUnitCost('GET', ['groups', 'delta'], q(''))).toBe(1);
    expect(resourceUnitCost('GET', ['organization'], q(''))).toBe(1);
    // The first round's group list: "other" read 1, −1 for $select, floor 1 — for up to 15 groups.
    expect(resourceUnitCost('GET', ['groups'], q(`$filter=${encodeURIComponent("id in ('a','b')")}&$select=id,displayName`))).toBe(1);
  });

  describe('over HTTP', () => {
    let h: Harness;
    beforeAll(async () => { h = await startHarness(); });
    afterAll(async () => { await h.close(); });

    it('sends x-ms-resource-unit, charges a nextLink by its original query and counts per route', async () => {
      const before = h.mock.stats();
      const first = await h.get('/v1.0/users?$top=3');
      expect(first.headers.get('x-ms-resource-unit')).toBe('1'); // 2, −1 for $top < 20
      const next = await h.get(String(first.body['@odata.nextLink']));
      expect(next.headers.get('x-ms-resource-unit')).toBe('1');
      const members = await h.get(`/v1.0/groups/${FINANCE}/members?$select=id`);
      expect(members.headers.get('x-ms-resource-unit')).toBe('2');
      expect((await h.get('/v1.0/users?$top=1000')).headers.get('x-ms-resource-unit')).toBeNull(); // refused: not charged
      const after = h.mock.stats();
      expect(after.resourceUnits - before.resourceUnits).toBe(4);
      expect((after.resourceUnitsByRoute['GET /v1.0/users'] ?? 0) - (before.resourceUnitsByRoute['GET /v1.0/users'] ?? 0)).toBe(2);
    });

    it('§9b: a $batch is one HTTP request but each item is charged on its own', async () => {
      const before = h.mock.stats();
      const r = await h.send('POST', '/v1.0/$batch', { requests: [
        { id: '1', method: 'GET', url: `/groups/${FINANCE}/members?$select=id&$top=999` },
        { id: '2', method: 'GET', url: `/users/${uid(1)}` },
        { id: '3', method: 'GET', url: '/groups/00000000-0000-4000-8000-00000000dead/members' },
      ] });
      const responses = r.body['responses'] as { id: string; headers: Record<string, string> }[];
      expect(responses.find((x) => x.id === '1')?.headers['x-ms-resource-unit']).toBe('2');
      expect(responses.find((x) => x.id === '2')?.headers['x-ms-resource-unit']).toBe('2');
      const after = h.mock.stats();
      expect(after.totalRequests - before.totalRequests).toBe(1);
      expect(after.resourceUnits - before.resourceUnits).toBe(4); // the 404 is not charged
      expect((after.batchedRequests['GET /v1.0/groups/{id}/members'] ?? 0) - (before.batchedRequests['GET /v1.0/groups/{id}/members'] ?? 0)).toBe(2);
    });

    it('latencyMs is paid once per HTTP request, a $batch included', async () => {
      const slow = await startHarness({ latencyMs: 300 });
      try {
        await slow.token();
        const t0 = performance.now();
        await slow.send('POST', '/v1.0/$batch', { requests: Array.from({ length: 5 }, (_, i) => ({ id: String(i), method: 'GET', url: `/users/${uid(1)}` })) });
        const took = performance.now() - t0;
        expect(took).toBeGreaterThanOrEqual(290);
        expect(took).toBeLessThan(1300) // 5 × 300 would be 1500;
      } finally {
        await slow.close();
      }
    });
  });
});
