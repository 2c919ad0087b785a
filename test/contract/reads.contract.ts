import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/app-error.js';
import { FINANCE, errorOf, gid, ids, items, uid } from './contract-helpers.js';
import type { GraphTarget, StartTarget } from './graph-target.js';

/** graph-semantics §3, §5, §9b and §10.1, 10.10–10.12: plain reads, permissions and errors. */
export function readsContract(start: StartTarget): void {
  describe('plain reads, permissions and error bodies', () => {
    let t: GraphTarget;
    beforeAll(async () => { t = await start(); });
    afterAll(async () => { await t.close(); });

    it('§9b/D10: $search needs ConsistencyLevel: eventual; $filter startswith does not', async () => {
      const q = `/v1.0/users?$search=${encodeURIComponent('"displayName:ale"')}&$select=id,displayName`;
      const without = await t.fetchJson(q);
      expect([without.status, errorOf(without).code]).toEqual([400, 'Request_UnsupportedQuery']);
      const withHeader = await t.fetchJson(`${q}&$count=true`, { consistencylevel: 'eventual' });
      expect(withHeader.status).toBe(200);
      expect(ids(withHeader)).toEqual([uid(2)]); // word prefix: "Alex Wilber", not "Adele"
      expect(withHeader.body['@odata.count']).toBe(1);
      const f = (x: string) => t.fetchJson(`/v1.0/users?$filter=${encodeURIComponent(x)}&$select=id`);
      expect(ids(await f("startswith(displayName,'Me')"))).toEqual([uid(3)]);
      expect(ids(await f("startswith(userPrincipalName,'ana.ruiz')"))).toEqual([uid(12)]);
      expect(ids(await f("mail eq 'lee.gu@contoso.example'"))).toEqual([uid(9)]);
      expect((await f("endswith(mail,'x')")).status).toBe(400);
    });

    it('§9b: an escaped quote inside a $search clause is text, not the end of the clause', async () => {
      const search = (text: string) =>
        t.fetchJson(`/v1.0/users?$search=${encodeURIComponent(text)}&$count=true&$select=id`, { consistencylevel: 'eventual' });
      // Unescaped, the user's text would add a clause that matches every guest.
      expect(ids(await search('"displayName:zz" OR "userType:Guest"')).length).toBeGreaterThan(0);
      expect(ids(await search('"displayName:zz\\" OR \\"userType:Guest"'))).toEqual([]);
    });

    it('D16/D6: /users pages by $top (at most 999) with nextLinks', async () => {
      const first = await t.fetchJson('/v1.0/users?$top=8&$select=id');
      const second = await t.fetchJson(String(first.body['@odata.nextLink']));
      const third = await t.fetchJson(String(second.body['@odata.nextLink']));
      expect([items(first).length, items(second).length, items(third).length]).toEqual([8, 8, 4]);
      expect(third.body['@odata.nextLink']).toBeUndefined();
      expect(new Set([...ids(first), ...ids(second), ...ids(third)]).size).toBe(20);
      expect((await t.fetchJson('/v1.0/users?$top=1000')).status).toBe(400);
    });

    it('GET /users/{id} by id or UPN; an unknown id is 404 Request_ResourceNotFound', async () => {
      expect((await t.fetchJson(`/v1.0/users/${uid(1)}?$select=id,displayName,userType`)).body).toMatchObject({ id: uid(1), displayName: 'Adele Vance', userType: 'Member' });
      expect((await t.fetchJson('/v1.0/users/alex.wilber@contoso.example')).body['id']).toBe(uid(2));
      const missing = await t.fetchJson(`/v1.0/users/${uid(99)}`);
      expect([missing.status, errorOf(missing).code]).toEqual([404, 'Request_ResourceNotFound']);
    });

    it('D15/I18: mailboxSettings gives userPurpose, 404 MailboxNotEnabledForRESTAPI without a mailbox, 403 without MailboxSettings.Read', async () => {
      expect((await t.fetchJson(`/v1.0/users/${uid(18)}/mailboxSettings`)).status).toBe(403);
      expect((await t.fetchJson(`/v1.0/users/${uid(18)}/mailboxSettings`, {}, 'all-roles')).body['userPurpose']).toBe('shared');
      expect((await t.fetchJson(`/v1.0/users/${uid(1)}/mailboxSettings/userPurpose`, {}, 'all-roles')).body['value']).toBe('user');
      const none = await t.fetchJson(`/v1.0/users/${uid(12)}/mailboxSettings`, {}, 'all-roles');
      expect([none.status, errorOf(none).code]).toEqual([404, 'MailboxNotEnabledForRESTAPI']);
    });

    it('/groups lists every kind and filters by startswith', async () => {
      expect(ids(await t.fetchJson('/v1.0/groups?$select=id'))).toHaveLength(6);
      expect(ids(await t.fetchJson(`/v1.0/groups?$filter=${encodeURIComponent("startswith(displayName,'Fin')")}`)).sort()).toEqual([FINANCE, gid(6)]);
      expect(ids(await t.fetchJson(`/v1.0/groups?$filter=${encodeURIComponent("groupTypes/any(c:c eq 'Unified')")}`))).toEqual([gid(2)]);
    });

    it('§9b: `id in (…)` takes up to 15 quoted ids; a 16th value, or a 16th `or` clause, is 400 (microsoft-graph-docs PR #22097 / issue #21098)', async () => {
      const groups = (filter: string) => t.fetchJson(`/v1.0/groups?$filter=${encodeURIComponent(filter)}&$select=id,displayName`);
      const quoted = (list: readonly string[]) => list.map((id) => `'${id}'`).join(',');
      // Two fixture groups (one in upper case: GUIDs compare without case) and 13 ids nobody has.
      const fifteen = [FINANCE, gid(3).toUpperCase(), ...Array.from({ length: 13 }, (_, i) => gid(900 + i))];
      const ok = await groups(`id in (${quoted(fifteen)})`);
      expect(ok.status, ok.text.slice(0, 200)).toBe(200);
      expect(ids(ok).sort()).toEqual([FINANCE, gid(3)]);
      expect(items(ok).find((g) => g.id === FINANCE)?.['displayName']).toBe('Finance');
      expect(ids(await groups(`id in ( '${gid(2)}' ,'${gid(4)}' )`)).sort()).toEqual([gid(2), gid(4)]);

      const sixteen = await groups(`id in (${quoted([...fifteen, gid(913)])})`);
      expect([sixteen.status, errorOf(sixteen).code]).toEqual([400, 'Request_UnsupportedQuery']);
      expect(errorOf(sixteen).message).toBe("Too many child clauses specified in search filter expression containing 'OR' operators: 16. Max allowed: 15");

      const eqs = (n: number) => Array.from({ length: n }, (_, i) => `id eq '${gid(i + 1)}'`).join(' or ');
      expect(ids(await groups(eqs(15))).sort()).toEqual([1, 2, 3, 4, 5, 6].map(gid));
      const sixteenOrs = await groups(eqs(16));
      expect([sixteenOrs.status, errorOf(sixteenOrs).code]).toEqual([400, 'Request_UnsupportedQuery']);
      expect(errorOf(sixteenOrs).message).toBe("Too many child clauses specified in search filter expression containing 'OR' operators: 16. Max allowed: 15");
    });

    it('D11: members are direct only and typed; D12: transitiveMembers flattens nested groups, each object once', async () => {
      const direct = await t.fetchJson(`/v1.0/groups/${FINANCE}/members?$select=id,displayName`);
      expect(ids(direct)).toEqual([uid(1), uid(5), uid(8), uid(12), gid(6)]);
      expect(items(direct)[4]?.['@odata.type']).toBe('#microsoft.graph.group');
      const transitive = await t.fetchJson(`/v1.0/groups/${FINANCE}/transitiveMembers?$select=id`);
      expect(ids(transitive)).toEqual([uid(1), uid(5), uid(8), uid(12), gid(6), uid(15), uid(16)]);
      const paged = await t.fetchJson(`/v1.0/groups/${FINANCE}/transitiveMembers?$select=id&$top=4`);
      expect(items(paged)).toHaveLength(4);
      expect(paged.body['@odata.nextLink']).toBeTypeOf('string');
    });

    it('§9b: $batch runs up to 20 requests, each answered on its own', async () => {
      const r = await t.postJson('/v1.0/$batch', { requests: [
        { id: '1', method: 'GET', url: `/groups/${FINANCE}/members?$select=id&$top=999` },
        { id: '2', method: 'GET', url: '/groups/00000000-0000-4000-8000-00000000dead/members' },
      ] });
      const responses = r.body['responses'] as { id: string; status: number; body: { value?: unknown[] } }[];
      expect(responses.map((x) => [x.id, x.status])).toEqual([['1', 200], ['2', 404]]);
      expect(responses[0]?.body.value).toHaveLength(5);
      const tooMany = await t.postJson('/v1.0/$batch', { requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users' })) });
      expect(tooMany.status).toBe(400);
    });

    it('§9b: /organization needs Organization.Read.All, which the worker app does not have', async () => {
      const denied = await t.fetchJson('/v1.0/organization');
      expect([denied.status, errorOf(denied).code]).toEqual([403, 'Authorization_RequestDenied']);
      const ok = await t.fetchJson('/v1.0/organization', {}, 'all-roles');
      expect(ok.status).toBe(200);
      expect(items(ok)[0]).toMatchObject({ displayName: 'Contoso (mock)' });
    });

    it('D9: no or a bad bearer token is 401 InvalidAuthenticationToken with the full error envelope', async () => {
      const none = await t.fetchJson('/v1.0/users', {}, 'anonymous');
      expect([none.status, errorOf(none).code]).toEqual([401, 'InvalidAuthenticationToken']);
      expect(Object.keys(errorOf(none).innerError ?? {})).toEqual(expect.arrayContaining(['date', 'request-id', 'client-request-id']));
      expect(none.headers.get('request-id')).toBeTruthy();
      const forged = await t.fetchJson('/v1.0/users', { authorization: 'Bearer forged' }, 'anonymous');
      expect([forged.status, errorOf(forged).code]).toEqual([401, 'InvalidAuthenticationToken']);
    });

    it('D9: an app without User.Read.All gets 403 Authorization_RequestDenied; the client says GRAPH_FORBIDDEN', async () => {
      const r = await t.fetchJson('/v1.0/users/delta', {}, 'no-roles');
      expect([r.status, errorOf(r).code]).toEqual([403, 'Authorization_RequestDenied']);
      expect(errorOf(r).message).toBeTruthy();
      expect(errorOf(r).innerError).toBeDefined();
      // The worker's own client, for the worker app, reads fine; the 403 path is typed, not thrown raw.
      const api = await t.client();
      const err = await api.getJson('/organization').then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('GRAPH_FORBIDDEN');
    });
  });
}
