import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINANCE, allItems, startHarness, uid, type Harness } from './mock-graph-harness.js';

describe('admin API under /_mock/', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(); });
  afterAll(async () => { await h.close(); });

  it('mutations over HTTP show up in the next delta rounds', async () => {
    const users = await h.round('/v1.0/users/delta?$select=displayName,accountEnabled');
    const groups = await h.round('/v1.0/groups/delta?$select=displayName,members');
    expect((await h.send('POST', '/_mock/users', { id: uid(50), userPrincipalName: 'zoe@contoso.example', displayName: 'Zoe', userType: 'Member' })).status).toBe(201);
    expect((await h.send('PATCH', `/_mock/users/${uid(2)}`, { displayName: 'Alex Renamed' })).body['changed']).toEqual(['displayName']);
    await h.send('POST', `/_mock/users/${uid(4)}/disable`, undefined);
    await h.send('POST', `/_mock/users/${uid(6)}/soft-delete`, undefined);
    await h.send('DELETE', `/_mock/users/${uid(7)}`, undefined);
    await h.send('POST', `/_mock/groups/${FINANCE}/members`, { id: uid(50) });
    await h.send('DELETE', `/_mock/groups/${FINANCE}/members/${uid(1)}`, undefined);

    const u = allItems((await h.round(users.deltaLink)).pages);
    expect(u).toEqual(expect.arrayContaining([
      { id: uid(50), displayName: 'Zoe' },
      { id: uid(2), displayName: 'Alex Renamed', accountEnabled: true },
      { id: uid(4), displayName: 'Lynne Robbins', accountEnabled: false },
      { id: uid(6), '@removed': { reason: 'changed' } },
      { id: uid(7), '@removed': { reason: 'deleted' } },
    ]));
    expect(u).toHaveLength(5);
    const g = allItems((await h.round(groups.deltaLink)).pages);
    const finance = g.filter((x) => x.id === FINANCE).flatMap((x) => x['members@delta'] as { id: string; '@removed'?: unknown }[]);
    expect(finance.map((m) => [m.id, m['@removed'] !== undefined]).sort()).toEqual([[uid(1), true], [uid(50), false]]);
  });

  it('restore brings a soft-deleted user back; bad bodies and unknown ids are refused', async () => {
    const before = await h.round('/v1.0/users/delta?$select=displayName&$deltatoken=latest');
    await h.send('POST', `/_mock/users/${uid(10)}/soft-delete`, undefined);
    await h.send('POST', `/_mock/users/${uid(10)}/restore`, undefined);
    expect(allItems((await h.round(before.deltaLink)).pages)).toEqual([{ id: uid(10), displayName: 'Nestor Wilke' }]);
    expect((await h.send('POST', '/_mock/users', { displayName: 'no id' })).status).toBe(400);
    expect((await h.send('POST', `/_mock/users/${uid(99)}/disable`, undefined)).status).toBe(404);
  });

  it('stats count requests per route and tokens issued', async () => {
    const stats = (await h.get('/_mock/stats')).body as { requests: Record<string, number>; tokensIssued: number };
    expect(stats.requests['GET /v1.0/users/delta']).toBeGreaterThanOrEqual(3);
    expect(stats.tokensIssued).toBe(1);
    expect(Object.keys(stats.requests).some((k) => k.startsWith('GET /_mock'))).toBe(false);
  });
});
