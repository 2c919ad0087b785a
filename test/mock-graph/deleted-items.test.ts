import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { items, NO_ROLES_CLIENT, NO_ROLES_SECRET, startHarness, uid, type Harness } from './mock-graph-harness.js';

const DELETED_USERS = '/v1.0/directory/deletedItems/microsoft.graph.user';

describe('D16: the recycle bin of users', () => {
  let h: Harness;
  /** Every item of a collection, following nextLinks. */
  async function allItems(url: string): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for (let next: string | undefined = url; next !== undefined;) {
      const page = await h.get(next);
      expect(page.status).toBe(200);
      out.push(...items(page));
      next = page.body['@odata.nextLink'] as string | undefined;
    }
    return out;
  }
  beforeAll(async () => {
    h = await startHarness();
    h.mock.directory.softDeleteUser(uid(20));
    h.mock.directory.hardDeleteUser(uid(9));
  });
  afterAll(async () => { await h.close(); });

  it('lists soft-deleted users only: not the purged, not the active, who are the ones /users lists', async () => {
    const bin = (await allItems(`${DELETED_USERS}?$select=id&$top=999`)).map((u) => u.id);
    expect(bin).toEqual([uid(20)]);
    const active = (await allItems('/v1.0/users?$select=id&$top=999')).map((u) => u.id);
    expect(active).not.toContain(uid(20));
    expect(active).not.toContain(uid(9));
  });

  it('pages like other directory collections, $top 1 to 999', async () => {
    h.mock.directory.softDeleteUser(uid(3));
    try {
      const first = await h.get(`${DELETED_USERS}?$select=id&$top=1`);
      expect(first.status).toBe(200);
      expect(first.body['@odata.nextLink']).toEqual(expect.any(String));
      expect((await h.get(`${DELETED_USERS}?$top=1000`)).status).toBe(400);
    } finally {
      h.mock.directory.restoreUser(uid(3));
    }
  });

  it('is read with the users permission, and only through the user cast', async () => {
    const token = await h.token(NO_ROLES_CLIENT, NO_ROLES_SECRET);
    expect((await h.get(`${DELETED_USERS}?$select=id`, { token })).status).toBe(403);
    expect((await h.get('/v1.0/directory/deletedItems')).status).toBe(400);
  });
});
