import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGroupChange } from '../../src/graph/group-delta.js';
import { FINANCE, GROUP_SELECT, allItems, byId, clientRound, errorOf, gid, items, membersOf, round, uid } from './contract-helpers.js';
import type { GraphTarget, StartTarget } from './graph-target.js';

/** graph-semantics §2 and §10.3–10.5 for groups/delta with members. */
export function groupsDeltaContract(start: StartTarget): void {
  describe('groups/delta with members', () => {
    let t: GraphTarget;
    beforeAll(async () => { t = await start({ pageSizes: { groupsDelta: 10, memberSlice: 3 } }); });
    afterAll(async () => { await t.close(); });

    it('D3/D5/I13: members@delta names each member with its @odata.type; nested groups are #microsoft.graph.group', async () => {
      const all = allItems((await round(t, `/v1.0/groups/delta?$select=${GROUP_SELECT}`)).pages);
      expect(membersOf(all, FINANCE)).toEqual([
        { '@odata.type': '#microsoft.graph.user', id: uid(1) },
        { '@odata.type': '#microsoft.graph.user', id: uid(5) },
        { '@odata.type': '#microsoft.graph.user', id: uid(8) },
        { '@odata.type': '#microsoft.graph.user', id: uid(12) }, // the guest member
        { '@odata.type': '#microsoft.graph.group', id: gid(6) },
      ]);
      expect(all.find((g) => g.id === FINANCE)).toMatchObject({ displayName: 'Finance', groupTypes: [], mailEnabled: false, securityEnabled: true });
      // D5: owners are not members and are not reported unless selected.
      expect(membersOf(all, gid(2)).map((m) => m.id)).not.toContain(uid(20));
      expect(all.some((g) => 'owners@delta' in g)).toBe(false);
      expect(all.find((g) => g.id === gid(5))?.['membershipRule']).toBe('(user.city -eq "Seattle")');
    });

    it('D3: a group with more members than fit a page is repeated on later pages with the next slice; the client merges them', async () => {
      const { pages } = await round(t, `/v1.0/groups/delta?$select=${GROUP_SELECT}`);
      const financePages = pages.filter((p) => items(p).some((g) => g.id === FINANCE));
      expect(financePages.map((p) => membersOf(items(p), FINANCE).length)).toEqual([3, 2]);
      for (const p of financePages) expect(items(p).find((g) => g.id === FINANCE)?.['displayName']).toBe('Finance');
      const viaClient = await clientRound(await t.client(), `/groups/delta?$select=${GROUP_SELECT}`);
      const adds = viaClient.items.filter((g) => g.id === FINANCE).flatMap((g) => {
        const parsed = parseGroupChange(g);
        return parsed.ok && parsed.change.kind === 'upsert' ? parsed.change.memberAdds : [];
      });
      expect(adds.sort(byId)).toEqual([
        { id: uid(1), type: 'user' }, { id: uid(12), type: 'user' }, { id: uid(5), type: 'user' }, { id: uid(8), type: 'user' }, { id: gid(6), type: 'group' },
      ].sort(byId));
    });

    it('I13/D3: a later round carries member adds (no annotation) and removes (@removed deleted) only', async () => {
      const { deltaLink } = await round(t, `/v1.0/groups/delta?$select=${GROUP_SELECT}`);
      await t.mutate.addMember(FINANCE, uid(9));
      await t.mutate.removeMember(FINANCE, uid(8));
      const all = allItems((await round(t, deltaLink, { prefer: 'return=minimal' })).pages);
      expect(all.map((g) => g.id)).toEqual([FINANCE]);
      expect(membersOf(all, FINANCE).sort(byId)).toEqual([
        { '@odata.type': '#microsoft.graph.user', id: uid(8), '@removed': { reason: 'deleted' } },
        { '@odata.type': '#microsoft.graph.user', id: uid(9) },
      ]);
      expect(all[0]).toEqual({ id: FINANCE, 'members@delta': expect.any(Array) });
      const parsed = parseGroupChange(all[0]);
      expect(parsed).toMatchObject({ ok: true, change: { kind: 'upsert', memberAdds: [{ id: uid(9), type: 'user' }], memberRemoves: [uid(8)] } });
    });

    it('D3: soft-deleting a user leaves its memberships; a hard delete removes them', async () => {
      const { deltaLink } = await round(t, `/v1.0/groups/delta?$select=${GROUP_SELECT}`);
      await t.mutate.softDeleteUser(uid(3));
      const soft = await round(t, deltaLink);
      expect(allItems(soft.pages)).toEqual([]);
      await t.mutate.hardDeleteUser(uid(3));
      const hard = allItems((await round(t, soft.deltaLink)).pages);
      expect(hard.map((g) => g.id).sort()).toEqual([gid(3), gid(5)]);
      expect(membersOf(hard, gid(3))).toEqual([{ '@odata.type': '#microsoft.graph.user', id: uid(3), '@removed': { reason: 'deleted' } }]);
    });

    it('D1: without members in $select, a membership change does not make the group appear', async () => {
      const { deltaLink } = await round(t, '/v1.0/groups/delta?$select=displayName');
      await t.mutate.addMember(gid(4), uid(10));
      expect(allItems((await round(t, deltaLink)).pages)).toEqual([]);
    });

    it('D5: $filter by id limits the groups and is carried into the links; more than 50 ids is a 400', async () => {
      const r = await round(t, `/v1.0/groups/delta?$select=displayName,members&$filter=${encodeURIComponent(`id eq '${gid(6)}'`)}`);
      expect(allItems(r.pages).map((g) => g.id)).toEqual([gid(6)]);
      await t.mutate.addMember(gid(6), uid(11));
      await t.mutate.addMember(gid(4), uid(11)); // outside the filter
      expect(allItems((await round(t, r.deltaLink)).pages).map((g) => g.id)).toEqual([gid(6)]);
      const many = Array.from({ length: 51 }, (_, i) => `id eq '${gid(i + 1)}'`).join(' or ');
      const bad = await t.fetchJson(`/v1.0/groups/delta?$filter=${encodeURIComponent(many)}`);
      expect([bad.status, errorOf(bad).code]).toEqual([400, 'Request_UnsupportedQuery']);
    });

    it('D3: a deleted Microsoft 365 group is @removed changed, a hard-deleted security group deleted', async () => {
      const { deltaLink } = await round(t, '/v1.0/groups/delta?$select=displayName');
      await t.mutate.deleteGroup(gid(2));
      await t.mutate.deleteGroup(gid(4), 'hard');
      expect(allItems((await round(t, deltaLink)).pages)).toEqual([
        { id: gid(2), '@removed': { reason: 'changed' } },
        { id: gid(4), '@removed': { reason: 'deleted' } },
      ]);
    });
  });
}
