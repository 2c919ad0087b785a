import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINANCE, allItems, gid, items, startHarness, uid, type Harness, type Item } from './mock-graph-harness.js';

type MemberDelta = { '@odata.type': string; id: string; '@removed'?: { reason: string } };
const membersOf = (list: Item[], groupId: string): MemberDelta[] =>
  list.filter((g) => g.id === groupId).flatMap((g) => (g['members@delta'] as MemberDelta[] | undefined) ?? []);
const SELECT = 'displayName,groupTypes,mailEnabled,securityEnabled,membershipRule,members';

describe('groups/delta with members', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ pageSizes: { groupsDelta: 10, memberSlice: 3 } }); });
  afterAll(async () => { await h.close(); });

  it('D3/D5: members@delta names each member with its type; nested groups are #microsoft.graph.group', async () => {
    const { pages } = await h.round(`/v1.0/groups/delta?$select=${SELECT}`);
    const all = allItems(pages);
    const finance = membersOf(all, FINANCE);
    expect(finance).toEqual([
      { '@odata.type': '#microsoft.graph.user', id: uid(1) },
      { '@odata.type': '#microsoft.graph.user', id: uid(5) },
      { '@odata.type': '#microsoft.graph.user', id: uid(8) },
      { '@odata.type': '#microsoft.graph.user', id: uid(12) }, // the guest member
      { '@odata.type': '#microsoft.graph.group', id: gid(6) },
    ]);
    const first = all.find((g) => g.id === FINANCE);
    expect(first).toMatchObject({ displayName: 'Finance', groupTypes: [], mailEnabled: false, securityEnabled: true });
    // D5: owners are not members and are not reported unless selected.
    expect(membersOf(all, gid(2)).map((m) => m.id)).not.toContain(uid(20));
    expect(all.some((g) => 'owners@delta' in g)).toBe(false);
    expect(all.find((g) => g.id === gid(5))?.['membershipRule']).toBe('(user.city -eq "Seattle")');
  });

  it('D3: a group with more members than a slice is repeated on successive pages with the next slice', async () => {
    const { pages } = await h.round(`/v1.0/groups/delta?$select=${SELECT}`);
    const financePages = pages.filter((p) => items(p).some((g) => g.id === FINANCE));
    expect(financePages.length).toBe(2);
    const slices = financePages.map((p) => membersOf(items(p), FINANCE).length);
    expect(slices).toEqual([3, 2]);
    // Same property values on each repetition (D3).
    for (const p of financePages) expect(items(p).find((g) => g.id === FINANCE)?.['displayName']).toBe('Finance');
  });

  it('I13/D3: a later round carries only member adds (no annotation) and removes (@removed deleted)', async () => {
    const { deltaLink } = await h.round(`/v1.0/groups/delta?$select=${SELECT}`);
    h.mock.directory.addMember(FINANCE, uid(9));
    h.mock.directory.removeMember(FINANCE, uid(8));
    const r = await h.round(deltaLink, { headers: { prefer: 'return=minimal' } });
    const all = allItems(r.pages);
    expect(all.map((g) => g.id)).toEqual([FINANCE]);
    // D1: no ordering guarantee, so compare sorted by id.
    expect(membersOf(all, FINANCE).sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { '@odata.type': '#microsoft.graph.user', id: uid(8), '@removed': { reason: 'deleted' } },
      { '@odata.type': '#microsoft.graph.user', id: uid(9) },
    ]);
    expect(all[0]).toEqual({ id: FINANCE, 'members@delta': expect.any(Array) });
  });

  it('D3: soft-deleting a user leaves memberships alone; a hard delete removes them', async () => {
    const { deltaLink } = await h.round(`/v1.0/groups/delta?$select=${SELECT}`);
    h.mock.directory.softDeleteUser(uid(3));
    const soft = await h.round(deltaLink);
    expect(allItems(soft.pages)).toEqual([]);
    h.mock.directory.hardDeleteUser(uid(3));
    const hard = await h.round(soft.deltaLink);
    const touched = allItems(hard.pages).map((g) => g.id).sort();
    expect(touched).toEqual([gid(3), gid(5)]);
    expect(membersOf(allItems(hard.pages), gid(3))).toEqual([{ '@odata.type': '#microsoft.graph.user', id: uid(3), '@removed': { reason: 'deleted' } }]);
  });

  it('D1: without members in $select, a membership change does not make the group appear', async () => {
    const { deltaLink } = await h.round('/v1.0/groups/delta?$select=displayName');
    h.mock.directory.addMember(gid(4), uid(10));
    expect(allItems((await h.round(deltaLink)).pages)).toEqual([]);
  });

  it('D5: $filter by id limits the groups; more than 50 ids is a 400', async () => {
    const r = await h.round(`/v1.0/groups/delta?$select=displayName,members&$filter=${encodeURIComponent(`id eq '${gid(6)}'`)}`);
    expect(allItems(r.pages).map((g) => g.id)).toEqual([gid(6)]);
    const many = Array.from({ length: 51 }, (_, i) => `id eq '${gid(i + 1)}'`).join(' or ');
    const bad = await h.get(`/v1.0/groups/delta?$filter=${encodeURIComponent(many)}`);
    expect(bad.status).toBe(400);
    expect((bad.body['error'] as Record<string, string>)['code']).toBe('Request_UnsupportedQuery');
  });

  it('D3: a deleted Microsoft 365 group is @removed changed, a security group hard delete is deleted', async () => {
    const { deltaLink } = await h.round('/v1.0/groups/delta?$select=displayName');
    h.mock.directory.deleteGroup(gid(2));
    h.mock.directory.deleteGroup(gid(4), 'hard');
    const r = await h.round(deltaLink);
    expect(allItems(r.pages)).toEqual([
      { id: gid(2), '@removed': { reason: 'changed' } },
      { id: gid(4), '@removed': { reason: 'deleted' } },
    ]);
  });
});
