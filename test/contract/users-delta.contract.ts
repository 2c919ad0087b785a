import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseUserChange } from '../../src/graph/user-delta.js';
import { FIXTURE_USERS, USER_SELECT, allItems, clientRound, errorOf, items, round, uid } from './contract-helpers.js';
import type { GraphTarget, StartTarget } from './graph-target.js';

/** graph-semantics §1 and §10.2–10.7 for users/delta. */
export function usersDeltaContract(start: StartTarget): void {
  describe('users/delta', () => {
    let t: GraphTarget;
    beforeAll(async () => { t = await start({ pageSizes: { usersDelta: 6 } }); });
    afterAll(async () => { await t.close(); });
    afterEach(async () => { await t.mutate.clearFaults(); });

    it('D4/D1: a first round pages every user to a deltaLink; links are absolute, opaque and carry $select themselves', async () => {
      const { pages, deltaLink } = await round(t, `/v1.0/users/delta?$select=${USER_SELECT}`);
      expect(pages.map((p) => items(p).length)).toEqual([6, 6, 6, 2]);
      const users = allItems(pages);
      expect(new Set(users.map((u) => u.id)).size).toBe(FIXTURE_USERS);
      for (const p of pages.slice(0, -1)) {
        const next = String(p.body['@odata.nextLink']);
        expect(next).toMatch(new RegExp(`^${t.baseUrl}/v1\\.0/users/delta\\?\\$skiptoken=`));
        // Opaque: the query options live inside the token, not beside it (D4).
        expect(decodeURIComponent(next)).not.toMatch(/select|displayName/i);
      }
      expect(deltaLink).toMatch(new RegExp(`^${t.baseUrl}/v1\\.0/users/delta\\?\\$deltatoken=`));
      const adele = users.find((u) => u.id === uid(1));
      expect(adele).toMatchObject({ displayName: 'Adele Vance', userType: 'Member', accountEnabled: true, city: 'Seattle' });
      expect((adele?.['onPremisesExtensionAttributes'] as Record<string, unknown>)['extensionAttribute1']).toBe('backup-tier-gold');
      expect(adele?.['jobTitle']).toBeUndefined(); // not selected
      expect(adele?.['@odata.type']).toBeUndefined(); // §10.4: users carry no @odata.type
      // I16: never-set properties are left out: user 14 has no userType, user 16 no mail.
      expect('userType' in (users.find((u) => u.id === uid(14)) ?? {})).toBe(false);
      expect('mail' in (users.find((u) => u.id === uid(16)) ?? {})).toBe(false);
      // The client follows the same links and reads every item (§11.2).
      const viaClient = await clientRound(await t.client(), `/users/delta?$select=${USER_SELECT}`);
      expect(viaClient.pages).toBe(4);
      expect(viaClient.items.map((u) => parseUserChange(u).ok)).toEqual(Array(FIXTURE_USERS).fill(true));
    });

    it('D1/D6: a tampered token is refused rather than guessed at', async () => {
      const first = await t.fetchJson(`/v1.0/users/delta?$select=displayName`);
      const next = String(first.body['@odata.nextLink']);
      const r = await t.fetchJson(next.replace(/(\$skiptoken=)(.)/, (_m, k: string, c: string) => `${k}${c === 'A' ? 'B' : 'A'}`));
      expect(r.status).toBe(400);
    });

    it('D1: $select on a nextLink is refused; I4: unsupported delta properties are a 400 BadRequest', async () => {
      const first = await t.fetchJson(`/v1.0/users/delta?$select=${USER_SELECT}`);
      expect((await t.fetchJson(`${String(first.body['@odata.nextLink'])}&$select=displayName`)).status).toBe(400);
      const birthday = await t.fetchJson('/v1.0/users/delta?$select=displayName,birthday');
      expect(birthday.status).toBe(400);
      expect(errorOf(birthday).message).toBe(
        'Invalid request for delta query: for this entity set, $expand/$select is not supported for the following properties: birthday');
      expect((await t.fetchJson('/v1.0/users/delta?$select=displayName,shoeSize')).status).toBe(400);
    });

    it('D4/I7: $filter takes only id eq … or …, at most 50 ids', async () => {
      const bad = await t.fetchJson(`/v1.0/users/delta?$filter=${encodeURIComponent("startswith(displayName,'A')")}`);
      expect([bad.status, errorOf(bad).code]).toEqual([400, 'Request_UnsupportedQuery']);
      const clause = (n: number) => Array.from({ length: n }, (_, i) => `id eq '${uid(i + 1)}'`).join(' or ');
      expect((await t.fetchJson(`/v1.0/users/delta?$filter=${encodeURIComponent(clause(51))}`)).status).toBe(400);
      const fifty = await round(t, `/v1.0/users/delta?$select=displayName&$filter=${encodeURIComponent(clause(50))}`);
      expect(new Set(allItems(fifty.pages).map((u) => u.id)).size).toBe(FIXTURE_USERS);
      const two = await round(t, `/v1.0/users/delta?$select=displayName&$filter=${encodeURIComponent(`id eq '${uid(2)}' or id eq '${uid(3)}'`)}`);
      expect(allItems(two.pages).map((u) => u.id)).toEqual([uid(2), uid(3)]);
    });

    it('D4: a later round returns changed users with every selected property; Prefer return=minimal only the changed ones', async () => {
      const { deltaLink } = await round(t, `/v1.0/users/delta?$select=${USER_SELECT}`);
      await t.mutate.updateUser(uid(2), { city: null, displayName: 'Alex W.' });
      await t.mutate.updateUser(uid(3), { jobTitle: 'VP Sales' }); // not selected: must not appear (D1)
      const full = await round(t, deltaLink);
      const changed = allItems(full.pages);
      expect(changed.map((u) => u.id)).toEqual([uid(2)]);
      // Cleared properties come back as null (§10.4).
      expect(changed[0]).toMatchObject({ id: uid(2), displayName: 'Alex W.', city: null, userType: 'Member', mail: 'alex.wilber@contoso.example' });

      await t.mutate.disableUser(uid(4));
      const minimal = await round(t, full.deltaLink, { prefer: 'return=minimal' });
      expect(allItems(minimal.pages)).toEqual([{ id: uid(4), accountEnabled: false }]);
      expect(minimal.pages[0]?.headers.get('preference-applied')).toBe('return=minimal');
      // D2: no changes = empty value and a new deltaLink.
      expect(allItems((await round(t, minimal.deltaLink)).pages)).toEqual([]);
    });

    it('D1/D2: soft delete is @removed changed, restore comes back in full, hard delete is @removed deleted', async () => {
      const { deltaLink } = await round(t, `/v1.0/users/delta?$select=${USER_SELECT}`);
      await t.mutate.softDeleteUser(uid(5));
      const r1 = await round(t, deltaLink);
      expect(allItems(r1.pages)).toEqual([{ id: uid(5), '@removed': { reason: 'changed' } }]);
      await t.mutate.restoreUser(uid(5));
      const r2 = await round(t, r1.deltaLink);
      expect(allItems(r2.pages)).toEqual([expect.objectContaining({ id: uid(5), displayName: 'Diego Siciliani', userType: 'Member' })]);
      expect(allItems(r2.pages)[0]?.['@removed']).toBeUndefined();
      await t.mutate.hardDeleteUser(uid(5));
      const r3 = await round(t, r2.deltaLink);
      expect(allItems(r3.pages)).toEqual([{ id: uid(5), '@removed': { reason: 'deleted' } }]);
      const parsed = allItems(r3.pages).map((item) => parseUserChange(item));
      expect(parsed).toEqual([{ ok: true, change: { kind: 'removed', id: uid(5), reason: 'deleted' } }]);
      // A new first round no longer holds the purged user (D1).
      expect(allItems((await round(t, '/v1.0/users/delta?$select=displayName')).pages).some((u) => u.id === uid(5))).toBe(false);
    });

    it('D1: $deltatoken=latest answers no data, then only later changes', async () => {
      const r = await t.fetchJson('/v1.0/users/delta?$select=displayName&$deltatoken=latest');
      expect(items(r)).toEqual([]);
      expect(r.body['@odata.nextLink']).toBeUndefined();
      await t.mutate.addUser({ id: uid(90), userPrincipalName: 'new.hire@contoso.example', displayName: 'New Hire' });
      expect(allItems((await round(t, String(r.body['@odata.deltaLink']))).pages)).toEqual([{ id: uid(90), displayName: 'New Hire' }]);
    });

    it('D1: a user changed while a round runs shows up again before the deltaLink', async () => {
      const first = await t.fetchJson('/v1.0/users/delta?$select=displayName');
      const target = items(first)[0]?.id ?? '';
      await t.mutate.updateUser(target, { displayName: 'Changed Mid-Round' });
      const rest = await round(t, String(first.body['@odata.nextLink']));
      expect(allItems(rest.pages).filter((u) => u.id === target)).toEqual([{ id: target, displayName: 'Changed Mid-Round' }]);
      expect(allItems((await round(t, rest.deltaLink)).pages)).toEqual([]);
    });
  });

  describe('users/delta page size (I1, I2)', () => {
    let t: GraphTarget;
    beforeAll(async () => { t = await start(); });
    afterAll(async () => { await t.close(); });

    it('I1: pages hold 200 users; I2: $top is silently ignored', async () => {
      const extra = 430;
      for (let i = 0; i < extra; i += 43) {
        await Promise.all(Array.from({ length: 43 }, (_, k) => {
          const n = 1000 + i + k;
          return t.mutate.addUser({ id: uid(n), userPrincipalName: `bulk${n}@contoso.example`, displayName: `Bulk ${n}`, userType: 'Member' });
        }));
      }
      const { pages } = await round(t, '/v1.0/users/delta?$select=displayName&$top=5');
      expect(pages.map((p) => items(p).length)).toEqual([200, 200, FIXTURE_USERS + extra - 400]);
    });
  });

  describe('users/delta quirks (D1)', () => {
    let t: GraphTarget;
    beforeAll(async () => { t = await start({ pageSizes: { usersDelta: 5 }, quirks: { emptyPageEvery: 2, duplicateAcrossPages: true } }); });
    afterAll(async () => { await t.close(); });

    it('D1: empty pages still carry a nextLink, and one user can appear on several pages of a round', async () => {
      const { pages } = await round(t, '/v1.0/users/delta?$select=displayName');
      const empty = pages.filter((p) => items(p).length === 0);
      expect(empty.length).toBeGreaterThanOrEqual(2);
      for (const p of empty) expect(p.body['@odata.nextLink']).toBeTypeOf('string');
      const seen = allItems(pages).map((u) => u.id);
      expect(new Set(seen).size).toBe(FIXTURE_USERS);
      expect(seen.length).toBeGreaterThan(FIXTURE_USERS);
      // The client walks through empty pages to the same deltaLink-ended round (D1, D2).
      const viaClient = await clientRound(await t.client(), '/users/delta?$select=displayName');
      expect(viaClient.pages).toBe(pages.length);
      expect(new Set(viaClient.items.map((u) => u.id)).size).toBe(FIXTURE_USERS);
    });
  });
}
