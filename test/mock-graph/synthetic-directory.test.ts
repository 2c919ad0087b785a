import { describe, expect, it } from 'vitest';
import { syntheticDirectory, syntheticGroupId, syntheticUserId } from '../../src/mock-graph/synthetic-directory.js';
import { allItems, startHarness } from './mock-graph-harness.js';

describe('syntheticDirectory', () => {
  it('is deterministic per seed and generates users from their index', () => {
    const a = syntheticDirectory({ seed: 7, users: 1000, groups: 20 });
    const b = syntheticDirectory({ seed: 7, users: 1000, groups: 20 });
    const c = syntheticDirectory({ seed: 8, users: 1000, groups: 20 });
    const id = a.userIdAt(500) ?? '';
    expect(a.getUser(id)?.props).toEqual(b.getUser(id)?.props);
    expect(a.getUser(id)?.props).not.toEqual(c.getUser(id)?.props);
    expect(a.userCount).toBe(1000);
    const members = [...a.listGroups()].reduce((n, g) => n + a.currentMembers(g).filter((m) => a.objectTypeOf(m) === 'user').length, 0);
    expect(members).toBe(1000);
    const guests = [...a.listUsers()].filter((u) => u.props['userType'] === 'Guest').length;
    expect(guests).toBeGreaterThan(5);
    expect(guests).toBeLessThan(80);
  });

  it('gives users GUID-shaped ids in no particular order, and finds each user by its id', () => {
    const dir = syntheticDirectory({ seed: 1, users: 5000, groups: 2 });
    const ids = Array.from({ length: 5000 }, (_, i) => syntheticUserId(i));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4000-8000-[0-9a-f]{12}$/);
    // Listed in index order, the ids are not sorted (real object ids are random GUIDs): about
    // half of the neighbours are out of order, as for random ids.
    const descents = ids.slice(1).filter((id, i) => id < (ids[i] as string)).length;
    expect(descents).toBeGreaterThan(2000);
    expect(descents).toBeLessThan(3000);
    for (const i of [0, 1, 2, 4999]) expect(dir.userIdAt(i)).toBe(ids[i]);
    for (const i of [0, 1234, 4999]) expect(dir.getUser(ids[i] as string)?.props['displayName']).toMatch(new RegExp(` ${i}$`));
  });

  it('with ids in listed order, gives ids that rise as users are listed, and finds each user by its id', () => {
    const dir = syntheticDirectory({ seed: 1, users: 1000, groups: 2, idOrder: 'listed' });
    const ids = Array.from({ length: 1000 }, (_, i) => dir.userIdAt(i) as string);
    expect(ids).toEqual([...ids].sort());
    expect(ids[3]).toBe(syntheticUserId(3, 'listed'));
    expect(dir.getUser(ids[777] as string)?.props['displayName']).toMatch(/ 777$/);
    // An id of the other order names nobody here (or somebody else).
    expect(dir.getUser(syntheticUserId(777))?.props['displayName'] ?? '').not.toMatch(/ 777$/);
  });

  it('knows the type of a member without building the user, and agrees with getUser', () => {
    const dir = syntheticDirectory({ seed: 3, users: 10, groups: 2 });
    const user = syntheticUserId(4);
    expect(dir.objectTypeOf(user)).toBe('user');
    expect(dir.objectTypeOf(syntheticGroupId(1))).toBe('group');
    expect(dir.objectTypeOf(syntheticUserId(10))).toBeUndefined(); // past the last index
    expect(dir.objectTypeOf('5e000000-0000-4000-8000-not-an-index')).toBeUndefined();
    dir.hardDeleteUser(user);
    // A deleted user is still known (delta reports its removal), as getUser says.
    expect([dir.objectTypeOf(user), dir.getUser(user)?.state]).toEqual(['user', 'hard-deleted']);
    for (const id of [syntheticUserId(0), syntheticUserId(9), syntheticUserId(11), syntheticGroupId(0)]) {
      expect(dir.hasUser(id)).toBe(dir.getUser(id) !== undefined);
    }
  });

  it('reads a user by position as getUser reads them by id: generated, changed, deleted or added', () => {
    const dir = syntheticDirectory({ seed: 3, users: 300, groups: 3 });
    const churned = dir.churn({ percent: 10, seed: 2 });
    dir.hardDeleteUser(syntheticUserId(7));
    dir.addUser({ id: '0a000000-0000-4000-8000-000000000001', displayName: 'Added Later', userPrincipalName: 'added@synthetic.example' });
    expect(churned.attributes.length + churned.leavers.length).toBeGreaterThan(10);
    expect(dir.userCount).toBe(301);
    for (let i = 0; i < dir.userCount; i++) expect(dir.userAt(i)).toEqual(dir.getUser(dir.userIdAt(i) ?? ''));
    expect(dir.userAt(300)?.props['displayName']).toBe('Added Later');
    expect(dir.userAt(7)?.state).toBe('hard-deleted');
    expect(dir.userAt(301)).toBeUndefined();
  });

  it('serves a 5,000-user users/delta round of 200-user pages (I1), then only what changed', async () => {
    const directory = syntheticDirectory({ seed: 1, users: 5000, groups: 30 });
    const h = await startHarness({ directory });
    try {
      const { pages, deltaLink } = await h.round('/v1.0/users/delta?$select=displayName,userType');
      expect(pages).toHaveLength(25);
      expect(new Set(allItems(pages).map((u) => u.id)).size).toBe(5000);
      const id = directory.userIdAt(4321) ?? '';
      directory.updateUser(id, { displayName: 'Renamed' });
      expect(allItems((await h.round(deltaLink)).pages)).toEqual([{ id, displayName: 'Renamed', ...(directory.getUser(id)?.props['userType'] ? { userType: directory.getUser(id)?.props['userType'] } : {}) }]);
    } finally {
      await h.close();
    }
  }, 30_000);
});
