import { describe, expect, it } from 'vitest';
import { syntheticDirectory } from '../../src/mock-graph/synthetic-directory.js';
import { allItems, startHarness, type Item } from './mock-graph-harness.js';

const tenant = () => syntheticDirectory({ seed: 5, users: 4000, groups: 10 });

describe('churn', () => {
  it('is deterministic: same tenant and seed, same changed users; another seed, others', () => {
    const a = tenant().churn({ percent: 1, seed: 42 });
    const b = tenant().churn({ percent: 1, seed: 42 });
    const c = tenant().churn({ percent: 1, seed: 43 });
    expect(b).toEqual(a);
    expect(c.attributes).not.toEqual(a.attributes);
    const all = [...a.attributes, ...a.moves.map((m) => m.id), ...a.leavers];
    expect(all).toHaveLength(40);
    expect(new Set(all).size).toBe(40);
    expect(a.attributes.length).toBeGreaterThan(a.moves.length);
    expect(a.moves.length).toBeGreaterThan(a.leavers.length);
    expect(a.leavers.length).toBeGreaterThan(0);
  });

  it('stores overrides only for the users it changed', () => {
    const dir = tenant();
    const r = dir.churn({ percent: 1, seed: 1 });
    const changedIds = new Set([...r.attributes, ...r.leavers]);
    // A stored override is read back as the same object; a generated user is built afresh per read.
    const materialised = [...dir.listUsers()].filter((u) => dir.getUser(u.id) === dir.getUser(u.id)).map((u) => u.id);
    expect(new Set(materialised)).toEqual(changedIds);
  });

  it('the next delta rounds return exactly the churned users: users/delta the edits and leavers, groups/delta the moves', async () => {
    const directory = tenant();
    const h = await startHarness({ directory });
    try {
      const users = await h.round('/v1.0/users/delta?$select=displayName,department,city,userType');
      const groups = await h.round('/v1.0/groups/delta?$select=displayName,members');
      const r = directory.churn({ percent: 1, seed: 9 });
      const userItems = allItems((await h.round(users.deltaLink)).pages);
      expect(new Set(userItems.map((u) => u.id))).toEqual(new Set([...r.attributes, ...r.leavers]));
      expect(userItems.filter((u) => u['@removed']).map((u) => u.id).sort()).toEqual([...r.leavers].sort());
      const members = allItems((await h.round(groups.deltaLink)).pages).flatMap((g) =>
        ((g['members@delta'] as Item[] | undefined) ?? []).map((m) => `${g.id} ${m['@removed'] ? '-' : '+'}${m.id}`));
      const expected = r.moves.flatMap((m) => [`${m.from} -${m.id}`, `${m.to} +${m.id}`]);
      expect(members.sort()).toEqual(expected.sort());
      // The indexed GET /users path skips the leavers without an empty last page (§9b: they are not listed).
      const listed = await h.get('/v1.0/users?$select=id&$top=999');
      const ids = [...(listed.body['value'] as Item[])];
      for (let next = listed.body['@odata.nextLink']; typeof next === 'string';) {
        const page = await h.get(next);
        expect((page.body['value'] as Item[]).length).toBeGreaterThan(0);
        ids.push(...(page.body['value'] as Item[]));
        next = page.body['@odata.nextLink'];
      }
      expect(ids).toHaveLength(4000 - r.leavers.length);
      expect(ids.some((u) => r.leavers.includes(u.id))).toBe(false);
    } finally {
      await h.close();
    }
  }, 30_000);

  it('POST /_mock/churn churns over the admin API and reports counts', async () => {
    const h = await startHarness({ directory: tenant() });
    try {
      const r = await h.send('POST', '/_mock/churn', { percent: 2, seed: 3 });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ attributes: expect.any(Number), moves: expect.any(Number), leavers: expect.any(Number) });
      expect(Number(r.body['attributes']) + Number(r.body['moves']) + Number(r.body['leavers'])).toBe(80);
      expect((await h.send('POST', '/_mock/churn', { percent: 90, seed: 3 })).status).toBe(400);
    } finally {
      await h.close();
    }
  });
});
