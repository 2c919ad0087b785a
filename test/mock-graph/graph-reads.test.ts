import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_ROLES_CLIENT, ALL_ROLES_SECRET, FINANCE, gid, items, startHarness, uid, type Harness } from './mock-graph-harness.js';

const errorCode = (body: Record<string, unknown>) => (body['error'] as Record<string, unknown> | undefined)?.['code'];
const ids = (r: { body: Record<string, unknown> }) => (r.body['value'] as { id: string }[]).map((x) => x.id);

describe('plain Graph reads', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(); });
  afterAll(async () => { await h.close(); });

  it('D10: $search needs ConsistencyLevel: eventual', async () => {
    const q = `/v1.0/users?$search=${encodeURIComponent('"displayName:ale"')}&$select=id,displayName`;
    const without = await h.get(q);
    expect(without.status).toBe(400);
    expect(errorCode(without.body)).toBe('Request_UnsupportedQuery');
    const withHeader = await h.get(`${q}&$count=true`, { headers: { consistencylevel: 'eventual' } });
    expect(withHeader.status).toBe(200);
    // Word-prefix match: "Alex Wilber" matches, "Adele" does not.
    expect(ids(withHeader)).toEqual([uid(2)]);
    expect(withHeader.body['@odata.count']).toBe(1);
  });

  it('D10: $filter startswith, mail eq and id eq on /users; unknown clauses are refused', async () => {
    const f = (x: string) => h.get(`/v1.0/users?$filter=${encodeURIComponent(x)}&$select=id`);
    expect(ids(await f("startswith(displayName,'Me')"))).toEqual([uid(3)]);
    expect(ids(await f("startswith(userPrincipalName,'ana.ruiz')"))).toEqual([uid(12)]);
    expect(ids(await f("mail eq 'lee.gu@contoso.example'"))).toEqual([uid(9)]);
    expect(ids(await f(`id eq '${uid(7)}'`))).toEqual([uid(7)]);
    expect((await f("endswith(mail,'x')")).status).toBe(400);
  });

  it('D16: $top pages with nextLinks (header re-sent, D6); $top above 999 is a 400', async () => {
    const first = await h.get('/v1.0/users?$top=8&$select=id');
    expect(items(first)).toHaveLength(8);
    const second = await h.get(String(first.body['@odata.nextLink']));
    const third = await h.get(String(second.body['@odata.nextLink']));
    expect(items(third)).toHaveLength(4);
    expect(third.body['@odata.nextLink']).toBeUndefined();
    expect(new Set([...ids(first), ...ids(second), ...ids(third)]).size).toBe(20);
    expect((await h.get('/v1.0/users?$top=1000')).status).toBe(400);
  });

  it('GET /users/{id} returns the user by id or UPN; unknown ids are 404', async () => {
    const r = await h.get(`/v1.0/users/${uid(1)}?$select=id,displayName,userType`);
    expect(r.body).toMatchObject({ id: uid(1), displayName: 'Adele Vance', userType: 'Member' });
    expect((await h.get('/v1.0/users/alex.wilber@contoso.example')).body['id']).toBe(uid(2));
    const missing = await h.get(`/v1.0/users/${uid(99)}`);
    expect([missing.status, errorCode(missing.body)]).toEqual([404, 'Request_ResourceNotFound']);
  });

  it('D15/I18: mailboxSettings gives userPurpose, 404 MailboxNotEnabledForRESTAPI without a mailbox, 403 without the role', async () => {
    expect((await h.get(`/v1.0/users/${uid(18)}/mailboxSettings`)).status).toBe(403);
    const t = await h.token(ALL_ROLES_CLIENT, ALL_ROLES_SECRET);
    const shared = await h.get(`/v1.0/users/${uid(18)}/mailboxSettings`, { token: t });
    expect(shared.body['userPurpose']).toBe('shared');
    const only = await h.get(`/v1.0/users/${uid(1)}/mailboxSettings/userPurpose`, { token: t });
    expect(only.body['value']).toBe('user');
    const guest = await h.get(`/v1.0/users/${uid(12)}/mailboxSettings`, { token: t });
    expect([guest.status, errorCode(guest.body)]).toEqual([404, 'MailboxNotEnabledForRESTAPI']);
  });

  it('/groups lists all six kinds and filters by startswith', async () => {
    expect(ids(await h.get('/v1.0/groups?$select=id'))).toHaveLength(6);
    expect(ids(await h.get(`/v1.0/groups?$filter=${encodeURIComponent("startswith(displayName,'Fin')")}`)).sort()).toEqual([FINANCE, gid(6)]);
    expect(ids(await h.get(`/v1.0/groups?$filter=${encodeURIComponent("groupTypes/any(c:c eq 'Unified')")}`))).toEqual([gid(2)]);
  });

  it('D11: members are direct only and typed; D12: transitiveMembers includes the nested group and its members', async () => {
    const direct = await h.get(`/v1.0/groups/${FINANCE}/members?$select=id,displayName`);
    expect(ids(direct)).toEqual([uid(1), uid(5), uid(8), uid(12), gid(6)]);
    expect((direct.body['value'] as Record<string, unknown>[])[4]?.['@odata.type']).toBe('#microsoft.graph.group');
    const transitive = await h.get(`/v1.0/groups/${FINANCE}/transitiveMembers?$select=id`);
    expect(ids(transitive)).toEqual([uid(1), uid(5), uid(8), uid(12), gid(6), uid(15), uid(16)]);
    const paged = await h.get(`/v1.0/groups/${FINANCE}/transitiveMembers?$select=id&$top=4`);
    expect(items(paged)).toHaveLength(4);
    expect(paged.body['@odata.nextLink']).toBeTypeOf('string');
  });

  it('§9b: $batch runs up to 20 requests, each answered on its own', async () => {
    const r = await h.send('POST', '/v1.0/$batch', { requests: [
      { id: '1', method: 'GET', url: `/groups/${FINANCE}/members?$select=id&$top=999` },
      { id: '2', method: 'GET', url: '/groups/00000000-0000-4000-8000-00000000dead/members' },
    ] });
    const responses = r.body['responses'] as { id: string; status: number; body: { value?: unknown[] } }[];
    expect(responses.map((x) => [x.id, x.status])).toEqual([['1', 200], ['2', 404]]);
    expect(responses[0]?.body.value).toHaveLength(5);
    const tooMany = await h.send('POST', '/v1.0/$batch', { requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users' })) });
    expect(tooMany.status).toBe(400);
  });
});
