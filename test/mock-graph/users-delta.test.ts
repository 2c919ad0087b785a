import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock.js';
import { allItems, items, startHarness, uid, type Harness } from './mock-graph-harness.js';

const SELECT = 'displayName,userType,accountEnabled,mail,city,onPremisesExtensionAttributes';

describe('users/delta', () => {
  let h: Harness;
  const clock = new FakeClock();
  beforeAll(async () => { h = await startHarness({ pageSizes: { usersDelta: 6 }, clock }); });
  afterAll(async () => { await h.close(); });
  afterEach(() => h.mock.faults.clear());

  it('I1/D1: a first round pages every user and ends with a deltaLink; $select travels in the token (D4)', async () => {
    const { pages, deltaLink } = await h.round(`/v1.0/users/delta?$select=${SELECT}`);
    expect(pages.map((p) => items(p).length)).toEqual([6, 6, 6, 2]);
    const users = allItems(pages);
    expect(new Set(users.map((u) => u.id)).size).toBe(20);
    for (const p of pages.slice(0, -1)) {
      const next = String(p.body['@odata.nextLink']);
      expect(next).toMatch(new RegExp(`^${h.mock.url}/v1\\.0/users/delta\\?\\$skiptoken=`));
      expect(next).not.toContain('select');
      expect(p.body['@odata.deltaLink']).toBeUndefined();
    }
    expect(deltaLink).toMatch(/\$deltatoken=/);
    const adele = users.find((u) => u.id === uid(1));
    expect(adele).toMatchObject({ displayName: 'Adele Vance', userType: 'Member', accountEnabled: true, city: 'Seattle' });
    expect((adele?.['onPremisesExtensionAttributes'] as Record<string, unknown>)['extensionAttribute1']).toBe('backup-tier-gold');
    // Only id + selected properties; jobTitle was not selected.
    expect(adele?.['jobTitle']).toBeUndefined();
    // I16: never-set properties are left out: user 14 has no userType, user 16 no mail.
    expect('userType' in (users.find((u) => u.id === uid(14)) ?? {})).toBe(false);
    expect('mail' in (users.find((u) => u.id === uid(16)) ?? {})).toBe(false);
    expect(users.filter((u) => u['city'] === 'Seattle')).toHaveLength(3);
  });

  it('rejects $select on a nextLink (D1) and unsupported delta properties (I4)', async () => {
    const first = await h.get(`/v1.0/users/delta?$select=${SELECT}`);
    const r = await h.get(`${String(first.body['@odata.nextLink'])}&$select=displayName`);
    expect(r.status).toBe(400);
    const birthday = await h.get('/v1.0/users/delta?$select=displayName,birthday');
    expect(birthday.status).toBe(400);
    expect((birthday.body['error'] as Record<string, string>)['message']).toBe(
      'Invalid request for delta query: for this entity set, $expand/$select is not supported for the following properties: birthday');
    const unknown = await h.get('/v1.0/users/delta?$select=displayName,shoeSize');
    expect(unknown.status).toBe(400);
  });

  it('I7: a non-id $filter is Request_UnsupportedQuery; D4: more than 50 ids is refused', async () => {
    const r = await h.get(`/v1.0/users/delta?$filter=${encodeURIComponent("startswith(displayName,'A')")}`);
    expect(r.status).toBe(400);
    expect((r.body['error'] as Record<string, string>)['code']).toBe('Request_UnsupportedQuery');
    const ids = Array.from({ length: 51 }, (_, i) => `id eq '${uid(i + 1)}'`).join(' or ');
    expect((await h.get(`/v1.0/users/delta?$filter=${encodeURIComponent(ids)}`)).status).toBe(400);
    const two = await h.round(`/v1.0/users/delta?$select=displayName&$filter=${encodeURIComponent(`id eq '${uid(2)}' or id eq '${uid(3)}'`)}`);
    expect(allItems(two.pages).map((u) => u.id)).toEqual([uid(2), uid(3)]);
  });

  it('D4: a later round returns only changed users, with every selected property; return=minimal gives only the changed ones', async () => {
    const { deltaLink } = await h.round(`/v1.0/users/delta?$select=${SELECT}`);
    h.mock.directory.updateUser(uid(2), { city: null, displayName: 'Alex W.' });
    h.mock.directory.updateUser(uid(3), { jobTitle: 'VP Sales' }); // not selected: must not appear (D1)
    const full = await h.round(deltaLink);
    const changed = allItems(full.pages);
    expect(changed.map((u) => u.id)).toEqual([uid(2)]);
    expect(changed[0]).toMatchObject({ id: uid(2), displayName: 'Alex W.', city: null, userType: 'Member', mail: 'alex.wilber@contoso.example' });

    h.mock.directory.disableUser(uid(4));
    const minimal = await h.round(full.deltaLink, { headers: { prefer: 'return=minimal' } });
    expect(allItems(minimal.pages)).toEqual([{ id: uid(4), accountEnabled: false }]);
    expect(minimal.pages[0]?.headers.get('preference-applied')).toBe('return=minimal');

    const none = await h.round(minimal.deltaLink);
    expect(allItems(none.pages)).toEqual([]); // D2: no changes = empty value + new deltaLink
  });

  it('D1/D2: soft delete is @removed changed, restore comes back in full, hard delete is @removed deleted', async () => {
    const { deltaLink } = await h.round(`/v1.0/users/delta?$select=${SELECT}`);
    h.mock.directory.softDeleteUser(uid(5));
    const r1 = await h.round(deltaLink);
    expect(allItems(r1.pages)).toEqual([{ id: uid(5), '@removed': { reason: 'changed' } }]);
    h.mock.directory.restoreUser(uid(5));
    const r2 = await h.round(r1.deltaLink);
    expect(allItems(r2.pages)).toEqual([expect.objectContaining({ id: uid(5), displayName: 'Diego Siciliani', userType: 'Member' })]);
    expect(allItems(r2.pages)[0]?.['@removed']).toBeUndefined();
    h.mock.directory.hardDeleteUser(uid(5));
    const r3 = await h.round(r2.deltaLink);
    expect(allItems(r3.pages)).toEqual([{ id: uid(5), '@removed': { reason: 'deleted' } }]);
    // A new first round no longer holds the purged user (D1).
    const fresh = await h.round('/v1.0/users/delta?$select=displayName');
    expect(allItems(fresh.pages).some((u) => u.id === uid(5))).toBe(false);
  });

  it('D1: $deltatoken=latest answers no data, then only later changes', async () => {
    const r = await h.get('/v1.0/users/delta?$select=displayName&$deltatoken=latest');
    expect(items(r)).toEqual([]);
    expect(r.body['@odata.nextLink']).toBeUndefined();
    h.mock.directory.addUser({ id: uid(90), userPrincipalName: 'new.hire@contoso.example', displayName: 'New Hire' });
    const next = await h.round(String(r.body['@odata.deltaLink']));
    expect(allItems(next.pages)).toEqual([{ id: uid(90), displayName: 'New Hire' }]);
  });

  it('B1: a deltaLink older than seven days fails with 400 syncStateNotFound', async () => {
    const { deltaLink } = await h.round('/v1.0/users/delta?$select=displayName');
    clock.advance(7 * 86_400_000 + 1000);
    h.forgetToken(); // the access token expired too
    const r = await h.get(deltaLink);
    expect(r.status).toBe(400);
    expect(r.body['error']).toMatchObject({ code: 'syncStateNotFound', message: expect.stringContaining('sync state generation is not found') });
  });

  it('invalidateDeltaTokens makes outstanding links fail as expired', async () => {
    const { deltaLink } = await h.round('/v1.0/users/delta?$select=displayName');
    h.mock.invalidateDeltaTokens();
    const r = await h.get(deltaLink);
    expect(r.status).toBe(400);
    expect((r.body['error'] as Record<string, string>)['code']).toBe('syncStateNotFound');
  });

  it('D1: a user changed while a round runs shows up again before the deltaLink', async () => {
    const first = await h.get('/v1.0/users/delta?$select=displayName');
    const firstIds = items(first).map((u) => u.id);
    const target = firstIds[0] ?? '';
    h.mock.directory.updateUser(target, { displayName: 'Changed Mid-Round' });
    const rest = await h.round(String(first.body['@odata.nextLink']));
    const again = allItems(rest.pages).filter((u) => u.id === target);
    expect(again).toEqual([{ id: target, displayName: 'Changed Mid-Round' }]);
    // The change was delivered, so the next round starts after it.
    expect(allItems((await h.round(rest.deltaLink)).pages)).toEqual([]);
  });
});

describe('users/delta quirks', () => {
  it('D1: empty pages that still carry a nextLink, and objects repeated across pages', async () => {
    const h = await startHarness({ pageSizes: { usersDelta: 5 }, quirks: { emptyPageEvery: 2, duplicateAcrossPages: true } });
    try {
      const { pages } = await h.round('/v1.0/users/delta?$select=displayName');
      const sizes = pages.map((p) => items(p).length);
      expect(sizes.filter((n) => n === 0).length).toBeGreaterThanOrEqual(2);
      const empty = pages.find((p) => items(p).length === 0);
      expect(empty?.body['@odata.nextLink']).toBeTypeOf('string');
      const ids = allItems(pages).map((u) => u.id);
      expect(new Set(ids).size).toBe(20);
      expect(ids.length).toBeGreaterThan(20);
    } finally {
      await h.close();
    }
  });
});
