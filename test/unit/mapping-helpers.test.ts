import { describe, expect, it } from 'vitest';
import { expandMemberships } from '../../src/mapping/expand-memberships.js';
import { isValidEmail } from '../../src/mapping/is-valid-email.js';
import { resolveEmail } from '../../src/mapping/resolve-email.js';
import { sanitizeUserName, UNNAMED_USER } from '../../src/mapping/sanitize-user-name.js';
import type { DirectoryUser } from '../../src/mapping/directory-user.js';

describe('sanitizeUserName (insync-behaviour "User name characters")', () => {
  it.each(['?', '*', '/', '\\', '<', '>'])('replaces %s with _', (ch) => {
    expect(sanitizeUserName(`a${ch}b`)).toBe('a_b');
  });

  it('replaces every occurrence and keeps other punctuation', () => {
    expect(sanitizeUserName('R&D: a/b\\c?*<>')).toBe('R&D: a_b_c____');
  });

  it('trims outer spaces', () => {
    expect(sanitizeUserName('  Ana Lee  ')).toBe('Ana Lee');
  });

  it('falls back when the name is missing or blank', () => {
    expect(sanitizeUserName(null, 'ana.lee')).toBe('ana.lee');
    expect(sanitizeUserName('   ', 'ana.lee')).toBe('ana.lee');
    expect(sanitizeUserName('', '')).toBe(UNNAMED_USER);
    expect(sanitizeUserName(undefined)).toBe(UNNAMED_USER);
  });

  it('sanitises the fallback too', () => {
    expect(sanitizeUserName(null, 'a/b')).toBe('a_b');
  });
});

describe('expandMemberships (graph-semantics §5, §11 item 5)', () => {
  const parents: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a', 'd'], x: [] };
  const parentsOf = (id: string): string[] => parents[id] ?? [];

  it('follows parents to any depth and survives a cycle', () => {
    expect(expandMemberships(new Set(['a']), parentsOf)).toEqual(new Set(['a', 'b', 'c', 'd']));
  });

  it('keeps the direct groups and adds nothing for a top-level group', () => {
    expect(expandMemberships(new Set(['x']), parentsOf)).toEqual(new Set(['x']));
  });

  it('returns a new set and leaves the input alone', () => {
    const direct = new Set(['a']);
    expandMemberships(direct, parentsOf);
    expect(direct).toEqual(new Set(['a']));
  });

  it('asks each group for its parents once', () => {
    const asked: string[] = [];
    expandMemberships(new Set(['a', 'b']), (id) => {
      asked.push(id);
      return parentsOf(id);
    });
    expect([...asked].sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('isValidEmail', () => {
  it.each(['ana@contoso.com', 'ana.lee+x@sub.contoso.co.uk', "o'brien@contoso.com", 'zoë@contoso.com', 'a@xn--bcher-kva.example'])(
    'accepts %s',
    (value) => expect(isValidEmail(value)).toBe(true),
  );
  it.each(['', 'ana', 'ana@', '@contoso.com', 'ana@@contoso.com', 'ana lee@contoso.com', 'ana@localhost', 'ana@contoso..com',
    '.ana@contoso.com', 'ana.@contoso.com', 'ana@-contoso.com', `${'a'.repeat(65)}@contoso.com`, `a@${'b'.repeat(250)}.com`])(
    'refuses %j',
    (value) => expect(isValidEmail(value)).toBe(false),
  );
});

describe('resolveEmail', () => {
  const user: DirectoryUser = {
    id: '1', userPrincipalName: ' Ana@Contoso.onmicrosoft.com', mail: null, displayName: null,
    userType: 'Member', accountEnabled: true, deletion: 'none', attributes: {},
  };
  it('reads the chosen source, trimmed and lower-cased', () => {
    expect(resolveEmail(user, 'userPrincipalName')).toBe('ana@contoso.onmicrosoft.com');
    expect(resolveEmail(user, 'mail')).toBeNull();
  });
});
