import { describe, expect, it } from 'vitest';
import { GROUP_SELECT, groupStreams, MAX_IDS_PER_FILTER, parseGroupChange, type GroupChange } from '../../../src/graph/group-delta.js';

const gid = (n: number): string => `aa${String(n).padStart(6, '0')}-0000-4000-8000-000000000000`;

function filterIds(path: string): string[] {
  const q = path.slice(path.indexOf('?') + 1);
  const filter = new URLSearchParams(q.replace(/\+/g, '%2B')).get('$filter');
  if (filter === null) return [];
  return [...filter.matchAll(/id eq '([^']+)'/g)].map((m) => m[1] ?? '');
}

function selectOf(path: string): string[] {
  const q = path.slice(path.indexOf('?') + 1);
  return (new URLSearchParams(q).get('$select') ?? '').split(',');
}

function upsert(raw: unknown): Extract<GroupChange, { kind: 'upsert' }> {
  const result = parseGroupChange(raw);
  if (!result.ok) throw new Error(result.reason);
  if (result.change.kind !== 'upsert') throw new Error('expected upsert');
  return result.change;
}

describe('groupStreams', () => {
  it('uses 50 as the $filter limit (D4, D5)', () => {
    expect(MAX_IDS_PER_FILTER).toBe(50);
  });

  it.each([
    [1, [1]],
    [50, [50]],
    [51, [50, 1]],
    [120, [50, 50, 20]],
    [150, [50, 50, 50]],
  ])('%d ids → streams of %j ids (D4, D5)', (count, sizes) => {
    const ids = Array.from({ length: count }, (_, i) => gid(i));
    const streams = groupStreams(ids, false);
    expect(streams.map((s) => s.groupIds?.length)).toEqual(sizes);
    expect(streams.map((s) => filterIds(s.path).length)).toEqual(sizes);
    const all = streams.flatMap((s) => s.groupIds ?? []);
    expect(new Set(all).size).toBe(count);
  });

  it('no ids and no nesting → no streams (D5)', () => {
    expect(groupStreams([], false)).toEqual([]);
  });

  it('dedupes and lowercases ids (§11.3 case-insensitive GUIDs)', () => {
    const streams = groupStreams([gid(2).toUpperCase(), gid(1), gid(2), gid(1).toUpperCase()], false);
    expect(streams).toHaveLength(1);
    expect(streams[0]?.groupIds).toEqual([gid(1), gid(2)]);
    expect(filterIds(streams[0]?.path ?? '')).toEqual([gid(1), gid(2)]);
  });

  it('gives the same keys, hashes and paths whatever the input order (D5)', () => {
    const ids = Array.from({ length: 73 }, (_, i) => gid(i));
    const a = groupStreams(ids, false);
    const b = groupStreams([...ids].reverse().map((id, i) => (i % 2 ? id.toUpperCase() : id)), false);
    expect(b).toEqual(a);
    expect(a.map((s) => s.key)).toEqual(b.map((s) => s.key));
  });

  it('gives different keys for different id sets, in the groups: namespace (D5)', () => {
    const [a] = groupStreams([gid(1)], false);
    const [b] = groupStreams([gid(2)], false);
    expect(a?.key).not.toBe(b?.key);
    expect(a?.queryHash).not.toBe(b?.queryHash);
    expect(a?.key).toMatch(/^groups:[0-9a-f]{16}$/);
    expect(a?.queryHash).toMatch(/^[0-9a-f]{64}$/);
    expect(a?.key).toBe(`groups:${a?.queryHash.slice(0, 16)}`);
  });

  it('builds a groups/delta path whose $filter is only "id eq" joined by or (D4, I7)', () => {
    const [s] = groupStreams([gid(1), gid(2)], false);
    expect(s?.path.startsWith('/groups/delta?$select=')).toBe(true);
    const q = s?.path.slice(s.path.indexOf('?') + 1) ?? '';
    expect(new URLSearchParams(q).get('$filter')).toBe(`id eq '${gid(1)}' or id eq '${gid(2)}'`);
  });

  it('needAllGroups → one stream groups:all with no $filter (D5)', () => {
    const streams = groupStreams([gid(1), gid(2)], true);
    expect(streams).toHaveLength(1);
    expect(streams[0]).toMatchObject({ key: 'groups:all', groupIds: null });
    expect(streams[0]?.path).not.toContain('$filter');
    expect(streams[0]?.path).toBe(`/groups/delta?$select=${GROUP_SELECT.join(',')}`);
    expect(streams[0]?.queryHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([true, false])('$select includes members and not owners (§2.1, §11.1), needAllGroups=%s', (needAll) => {
    const [s] = groupStreams([gid(1)], needAll);
    const select = selectOf(s?.path ?? '');
    expect(select).toContain('members');
    expect(select).toContain('id');
    expect(select).not.toContain('owners');
    expect(s?.path).not.toContain('$expand');
  });
});

describe('parseGroupChange', () => {
  const G = 'CC000000-0000-4000-8000-0000000000AA';
  const U1 = 'AA000000-0000-4000-8000-000000000001';
  const U2 = 'AA000000-0000-4000-8000-000000000002';
  const NESTED = 'BB000000-0000-4000-8000-000000000003';

  it('members@delta without annotation are adds (I13), with @removed are removes (D3)', () => {
    const change = upsert({
      id: G,
      displayName: 'Finance',
      'members@delta': [
        { '@odata.type': '#microsoft.graph.user', id: U1 },
        { '@odata.type': '#microsoft.graph.group', id: NESTED },
        { '@odata.type': '#microsoft.graph.user', id: U2, '@removed': { reason: 'deleted' } },
      ],
    });
    expect(change.id).toBe(G.toLowerCase());
    expect(change.memberAdds).toEqual([
      { id: U1.toLowerCase(), type: 'user' },
      { id: NESTED.toLowerCase(), type: 'group' },
    ]);
    expect(change.memberRemoves).toEqual([U2.toLowerCase()]);
  });

  it.each([
    ['#microsoft.graph.user', 'user'],
    ['#microsoft.graph.group', 'group'],
    ['#microsoft.graph.orgContact', 'orgcontact'],
    ['#microsoft.graph.device', 'device'],
    ['microsoft.graph.servicePrincipal', 'serviceprincipal'],
    [undefined, 'user'],
  ])('member @odata.type %j → type %j (D11, §11.5)', (odataType, type) => {
    const member: Record<string, unknown> = { id: U1 };
    if (odataType !== undefined) member['@odata.type'] = odataType;
    expect(upsert({ id: G, 'members@delta': [member] }).memberAdds).toEqual([{ id: U1.toLowerCase(), type }]);
  });

  it('a group without members@delta has no adds and no removes (D3)', () => {
    const change = upsert({ id: G, displayName: 'sg-HR' });
    expect(change.memberAdds).toEqual([]);
    expect(change.memberRemoves).toEqual([]);
  });

  it('keeps only the properties present; null groupTypes becomes [] (D4)', () => {
    expect(upsert({ id: G, displayName: 'Finance', groupTypes: ['Unified'], mailEnabled: true, securityEnabled: false }).props).toEqual({
      displayName: 'Finance',
      groupTypes: ['Unified'],
      mailEnabled: true,
      securityEnabled: false,
    });
    expect(upsert({ id: G, groupTypes: null, displayName: null }).props).toEqual({ groupTypes: [], displayName: null });
    expect(upsert({ id: G }).props).toEqual({});
  });

  it.each<[string, string, 'changed' | 'deleted']>([
    ['changed', 'changed', 'changed'],
    ['deleted', 'deleted', 'deleted'],
    ['unknown reason', 'weird', 'deleted'],
  ])('group @removed %s → removed/%s (D3, D16)', (_name, reason, expected) => {
    expect(parseGroupChange({ id: G, '@removed': { reason } })).toEqual({
      ok: true,
      change: { kind: 'removed', id: G.toLowerCase(), reason: expected },
    });
  });

  it.each<[string, unknown]>([
    ['no id', { displayName: 'x' }],
    ['a member without id', { id: G, 'members@delta': [{ '@odata.type': '#microsoft.graph.user' }] }],
    ['members@delta not an array', { id: G, 'members@delta': {} }],
    ['an id that is not a GUID', { id: 'group-1' }],
    ['a member whose id is not a GUID', { id: G, 'members@delta': [{ id: 'user-1' }] }],
  ])('refuses a group item with %s', (_name, raw) => {
    const result = parseGroupChange(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/^unreadable group item: /);
  });
});
