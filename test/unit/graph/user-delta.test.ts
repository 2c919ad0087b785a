import { describe, expect, it } from 'vitest';
import { parseUserChange, USER_SELECT, usersDeltaPath, type UserChange } from '../../../src/graph/user-delta.js';

const ID = '0B4D5E6F-0000-4000-8000-0000000000E1';
const ID_LOWER = ID.toLowerCase();

function upsert(raw: unknown): Extract<UserChange, { kind: 'upsert' }> {
  const result = parseUserChange(raw);
  if (!result.ok) throw new Error(`expected ok, got ${result.reason}`);
  if (result.change.kind !== 'upsert') throw new Error('expected an upsert');
  return result.change;
}

describe('USER_SELECT / usersDeltaPath (§1.2, §11.1)', () => {
  it.each(['id', 'userType', 'accountEnabled', 'onPremisesExtensionAttributes', 'mail', 'userPrincipalName', 'displayName'])(
    'selects %s explicitly (§1.2, §11.1, I21, I22)',
    (prop) => {
      expect(USER_SELECT).toContain(prop);
    },
  );

  it.each(['birthday', 'signInActivity', 'skills', 'aboutMe', 'mailboxSettings', 'manager', 'userPurpose'])(
    'never selects %s, which fails users/delta (I4, I5, I6, I17)',
    (prop) => {
      expect(USER_SELECT).not.toContain(prop);
    },
  );

  it('has no duplicates (§11.1)', () => {
    expect(new Set(USER_SELECT).size).toBe(USER_SELECT.length);
  });

  it('builds the users/delta path with the explicit $select and no $filter/$expand/$top (§1.1, I7)', () => {
    const path = usersDeltaPath();
    expect(path).toBe(`/users/delta?$select=${USER_SELECT.join(',')}`);
    expect(path.startsWith('/users/delta?$select=id,')).toBe(true);
    expect(path).not.toMatch(/\$filter|\$expand|\$top|\$orderby/);
  });
});

describe('parseUserChange', () => {
  it.each<[string, unknown, UserChange]>([
    ['reason changed → soft delete (D1, D2)', { id: ID, '@removed': { reason: 'changed' } }, { kind: 'removed', id: ID_LOWER, reason: 'changed' }],
    ['reason deleted → hard delete (D1, D2)', { id: ID, '@removed': { reason: 'deleted' } }, { kind: 'removed', id: ID_LOWER, reason: 'deleted' }],
    ['unknown reason → deleted, never resurrect (D1)', { id: ID, '@removed': { reason: 'purged' } }, { kind: 'removed', id: ID_LOWER, reason: 'deleted' }],
    ['reason in other case → deleted (D1)', { id: ID, '@removed': { reason: 'Deleted' } }, { kind: 'removed', id: ID_LOWER, reason: 'deleted' }],
  ])('@removed: %s', (_name, raw, expected) => {
    expect(parseUserChange(raw)).toEqual({ ok: true, change: expected });
  });

  it('lowercases the id of an upsert (D4)', () => {
    expect(upsert({ id: ID, displayName: 'Ana Lee' }).id).toBe(ID_LOWER);
  });

  it('returns attributes only for the properties present, as text (D4, I16)', () => {
    const change = upsert({ id: ID, displayName: 'Ana Lee', userType: 'Member', mail: 'Ana.Lee@contoso.com' });
    expect(change.attributes).toEqual({ displayName: 'Ana Lee', userType: 'Member', mail: 'Ana.Lee@contoso.com' });
    expect('city' in change.attributes).toBe(false);
    expect('id' in change.attributes).toBe(false);
  });

  it('keeps an explicit null as null: the property was cleared (D4)', () => {
    const change = upsert({ id: ID, mail: null, city: null, displayName: 'Ana' });
    expect(change.attributes).toEqual({ mail: null, city: null, displayName: 'Ana' });
  });

  // A full round's item is the whole object: null and left out both mean "not set" (D4, I16).
  it('leaves nulls out of a full round\'s item, extension attributes included (I16)', () => {
    const full = parseUserChange({
      id: ID, mail: null, city: 'Oslo', accountEnabled: false,
      onPremisesExtensionAttributes: { extensionAttribute1: 'finance', extensionAttribute2: null },
    }, 'full');
    expect(full).toEqual({ ok: true, change: { kind: 'upsert', id: ID_LOWER, attributes: {
      city: 'Oslo', accountEnabled: 'false', 'onPremisesExtensionAttributes.extensionAttribute1': 'finance',
    } } });
    expect(parseUserChange({ id: ID, onPremisesExtensionAttributes: null, displayName: 'Ana' }, 'full'))
      .toEqual({ ok: true, change: { kind: 'upsert', id: ID_LOWER, attributes: { displayName: 'Ana' } } });
  });

  it.each([
    [false, 'false'],
    [true, 'true'],
  ])('turns accountEnabled %s into the text %j (§1.2)', (value, text) => {
    expect(upsert({ id: ID, accountEnabled: value }).attributes['accountEnabled']).toBe(text);
  });

  it('keeps accountEnabled: null as null (D4)', () => {
    expect(upsert({ id: ID, accountEnabled: null }).attributes).toEqual({ accountEnabled: null });
  });

  it('flattens onPremisesExtensionAttributes to dotted names, only the ones present (D1 extensions)', () => {
    const change = upsert({
      id: ID,
      onPremisesExtensionAttributes: { extensionAttribute1: 'finance', extensionAttribute2: null, extensionAttribute15: 'x' },
    });
    expect(change.attributes).toEqual({
      'onPremisesExtensionAttributes.extensionAttribute1': 'finance',
      'onPremisesExtensionAttributes.extensionAttribute2': null,
      'onPremisesExtensionAttributes.extensionAttribute15': 'x',
    });
    expect('onPremisesExtensionAttributes' in change.attributes).toBe(false);
  });

  it('clears all 15 extension attributes when the complex value is null (D4)', () => {
    const change = upsert({ id: ID, onPremisesExtensionAttributes: null });
    const expected: Record<string, null> = {};
    for (let n = 1; n <= 15; n += 1) expected[`onPremisesExtensionAttributes.extensionAttribute${n}`] = null;
    expect(change.attributes).toEqual(expected);
    expect(Object.keys(change.attributes)).toHaveLength(15);
  });

  it('ignores array and complex properties such as businessPhones (D4 default set)', () => {
    const change = upsert({ id: ID, businessPhones: ['+1 555 0100'], identities: [{ signInType: 'x' }], manager: { id: 'm' }, jobTitle: 'CFO' });
    expect(change.attributes).toEqual({ jobTitle: 'CFO' });
  });

  it('ignores @odata annotations (D17)', () => {
    const change = upsert({ id: ID, '@odata.type': '#microsoft.graph.user', 'manager@delta': [], 'city@odata.foo': 'x', city: 'Lyon' });
    expect(change.attributes).toEqual({ city: 'Lyon' });
  });

  it('turns a number into text (D4)', () => {
    expect(upsert({ id: ID, employeeId: 1234 }).attributes).toEqual({ employeeId: '1234' });
  });

  it.each<[string, unknown, string | null]>([
    ['no id', { displayName: 'Ana' }, null],
    ['empty id', { id: '', displayName: 'Ana' }, ''],
    ['numeric id', { id: 42 }, null],
    ['null', null, null],
    ['a string', 'user', null],
    // The store keeps object ids as uuid: anything else is skipped here, not refused by a page's write.
    ['an id that is not a GUID', { id: 'user-1', displayName: 'Ana' }, 'user-1'],
  ])('refuses an item with %s and explains why (D4: id is always present)', (_name, raw, id) => {
    const result = parseUserChange(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toMatch(/^unreadable user item: .+/);
    expect(result.id).toBe(id);
  });

  it.each<[string, unknown, RegExp]>([
    ['an @removed without a reason', { id: ID, '@removed': 'gone' }, /@removed must be an object with a reason/],
    ['extension attributes that are a list', { id: ID, onPremisesExtensionAttributes: ['x'] }, /onPremisesExtensionAttributes/],
    ['an extension attribute that is an object', { id: ID, onPremisesExtensionAttributes: { extensionAttribute1: { v: 1 } } }, /onPremisesExtensionAttributes/],
    ['a non-boolean accountEnabled', { id: ID, accountEnabled: 'yes' }, /accountEnabled must be true, false or null/],
  ])('refuses %s with a reason that names the property, and keeps the id', (_name, raw, reason) => {
    const result = parseUserChange(raw);
    expect(result).toMatchObject({ ok: false, id: ID });
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('refuses a non-boolean accountEnabled and reports the id (D13)', () => {
    const result = parseUserChange({ id: ID, accountEnabled: 'yes' });
    expect(result).toMatchObject({ ok: false, id: ID });
  });
});
