import { describe, expect, it } from 'vitest';
import type { GroupRecord, UserRecord } from '../../src/mock-graph/directory-records.js';
import { groupRead, memberReader, USER_READ_DEFAULTS, userRead } from '../../src/mock-graph/read-shapes.js';

const user: UserRecord = {
  id: '11111111-2222-4333-8444-555555555555',
  props: { displayName: 'Ada Lovelace', mail: 'ada@contoso.example', jobTitle: null, accountEnabled: false, onPremisesExtensionAttributes: { extensionAttribute1: 'gold' } },
  mailboxPurpose: 'user', createdSeq: 0, state: 'active', stateSeq: 0,
};
const group: GroupRecord = {
  id: '5f000000-0000-4000-8000-000000000001', props: { displayName: 'Sales', mailEnabled: false },
  members: [], owners: [], createdSeq: 0, state: 'active', stateSeq: 0,
};

describe('plain reads (D13)', () => {
  it('return the selected properties in the order asked, id first, unset ones as null', () => {
    const read = userRead(user, ['mail', 'id', 'department', 'accountEnabled', 'onPremisesExtensionAttributes', 'jobTitle']);
    expect(read).toEqual({ id: user.id, mail: 'ada@contoso.example', department: null, accountEnabled: false, onPremisesExtensionAttributes: { extensionAttribute1: 'gold' }, jobTitle: null });
    expect(Object.keys(read)).toEqual(['id', 'mail', 'department', 'accountEnabled', 'onPremisesExtensionAttributes', 'jobTitle']);
  });

  it('answer the default set without $select, with unset collections as [] (each read its own)', () => {
    const a = userRead(user, undefined);
    const b = userRead(user, undefined);
    expect(Object.keys(a)).toEqual(['id', ...USER_READ_DEFAULTS]);
    expect(a['businessPhones']).toEqual([]);
    expect(a['businessPhones']).not.toBe(b['businessPhones']);
    expect(groupRead(group, ['groupTypes', 'displayName'])).toEqual({ id: group.id, groupTypes: [], displayName: 'Sales' });
  });

  it('read the same list again, or an equal one, the same way, and a property named twice once', () => {
    const select = ['displayName', 'mail'];
    expect(userRead(user, select)).toEqual(userRead(user, [...select]));
    expect(userRead({ ...user, props: { displayName: 'Someone Else' } }, select)).toEqual({ id: user.id, displayName: 'Someone Else', mail: null });
    expect(JSON.stringify(userRead(user, ['mail', 'displayName', 'mail']))).toBe(`{"id":"${user.id}","mail":"ada@contoso.example","displayName":"Ada Lovelace"}`);
  });

  it('take property names as names, whatever characters they hold, never as code', () => {
    const names = [`it's "quoted" \\ and\nnew`, '"]; throw new Error("ran"); //', '\u2028${1}`'];
    const read = userRead({ ...user, props: Object.fromEntries(names.map((n, i) => [n, `v${i}`])) }, names);
    expect(read).toEqual({ id: user.id, [names[0] as string]: 'v0', [names[1] as string]: 'v1', [names[2] as string]: 'v2' });
  });

  it('name each member its type before its properties', () => {
    expect(memberReader(['displayName'])({ kind: 'user', rec: user })).toEqual({ '@odata.type': '#microsoft.graph.user', id: user.id, displayName: 'Ada Lovelace' });
    expect(memberReader(['displayName', 'mail'])({ kind: 'group', rec: group })).toEqual({ '@odata.type': '#microsoft.graph.group', id: group.id, displayName: 'Sales', mail: null });
  });

  it('give each member of a mixed page only the selected properties its type has', () => {
    const read = memberReader(['displayName', 'jobTitle', 'groupTypes', 'members']);
    expect(read({ kind: 'user', rec: user })).toEqual({ '@odata.type': '#microsoft.graph.user', id: user.id, displayName: 'Ada Lovelace', jobTitle: null });
    expect(read({ kind: 'group', rec: group })).toEqual({ '@odata.type': '#microsoft.graph.group', id: group.id, displayName: 'Sales', groupTypes: [] });
  });
});
