import { describe, expect, it } from 'vitest';
import type { GraphApi } from '../../../src/graph/create-graph-api.js';
import { findUserByMailPath } from '../../../src/graph/find-user-by-mail.js';
import { getUser, getUserPath } from '../../../src/graph/get-user.js';
import { quoteODataString, quoteSearchTerm } from '../../../src/graph/odata-escape.js';
import { searchUsers, searchUsersPath } from '../../../src/graph/search-users.js';
import { AppError } from '../../../src/core/app-error.js';

/** The query as the server decodes it: parameter names and values. */
function params(path: string): Map<string, string> {
  const url = new URL(path, 'https://graph.example');
  return new Map([...url.searchParams.entries()]);
}

function fakeApi(answer: unknown): GraphApi & { calls: { path: string; headers: Record<string, string> | undefined }[] } {
  const calls: { path: string; headers: Record<string, string> | undefined }[] = [];
  return {
    baseUrl: 'https://graph.example/v1.0',
    stats: { requests: 0, retries: 0, throttled: 0 } as unknown as GraphApi['stats'],
    calls,
    postJson: () => Promise.reject(new Error('no POST expected')),
    getJson: (path, headers) => {
      calls.push({ path, headers });
      if (answer instanceof Error) return Promise.reject(answer);
      return Promise.resolve(answer);
    },
  };
}

const NASTY = [
  'Ann" OR "x',
  'Ann" OR "userType:Guest',
  'a or b',
  'x) or (1 eq 1',
  'Tom & Jerry',
  'x&$filter=userType eq \'Guest\'',
  '$top=999',
  'back\\slash"quote',
  'Renée Ölçer 山田',
  '100%+more#frag',
];

describe('the manual-import search query', () => {
  it.each(NASTY)('keeps %j as text: three quoted terms, and no parameter it did not write', (text) => {
    const p = params(searchUsersPath(text, 10));
    expect([...p.keys()].sort()).toEqual(['$count', '$search', '$select', '$top']);
    expect(p.get('$top')).toBe('10');
    expect(p.get('$count')).toBe('true');
    expect(p.get('$select')).toBe('id,displayName,userPrincipalName,mail,userType,accountEnabled');
    const escaped = text.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
    expect(p.get('$search')).toBe(`"displayName:${escaped}" OR "mail:${escaped}" OR "userPrincipalName:${escaped}"`);
  });

  it('leaves no raw separator in the wire form that the Graph SDK would split on', () => {
    const path = searchUsersPath('x&$filter=a=b', 5);
    const query = path.slice(path.indexOf('?') + 1);
    expect(query.split('&').map((kv) => kv.slice(0, kv.indexOf('=')))).toEqual(['$search', '$select', '$count', '$top']);
  });

  it('escapes backslashes before quotes, so an escape cannot be cancelled', () => {
    expect(quoteSearchTerm('mail', 'a\\"b')).toBe('"mail:a\\\\\\"b"');
    expect(quoteODataString("O'Brien")).toBe("'O''Brien'");
  });

  it('sends ConsistencyLevel: eventual and reads users and the count', async () => {
    const api = fakeApi({ '@odata.count': 7, value: [{ id: 'B0000000-0000-4000-8000-000000000001', displayName: 'Ann', userType: 'Member' }] });
    const result = await searchUsers(api, '  Ann  ', 1);
    expect(api.calls[0]?.headers).toEqual({ ConsistencyLevel: 'eventual' });
    expect(params(api.calls[0]?.path ?? '').get('$search')).toContain('"displayName:Ann"');
    expect(result).toEqual({
      count: 7,
      users: [{ id: 'b0000000-0000-4000-8000-000000000001', displayName: 'Ann', userPrincipalName: null, mail: null, userType: 'Member', accountEnabled: null }],
    });
  });

  it('refuses empty text and an out-of-range top before calling Graph', async () => {
    const api = fakeApi({ value: [] });
    await expect(searchUsers(api, '   ', 5)).rejects.toMatchObject({ code: 'USAGE' });
    await expect(searchUsers(api, 'x', 1000)).rejects.toMatchObject({ code: 'USAGE' });
    expect(api.calls).toHaveLength(0);
  });
});

describe('reading one user', () => {
  it('encodes the id or UPN as one path segment', () => {
    const path = getUserPath('ana.ruiz_fabrikam.example#EXT#@contoso.example');
    expect(path.startsWith('/users/ana.ruiz_fabrikam.example%23EXT%23%40contoso.example?$select=')).toBe(true);
    expect(getUserPath('a/../groups?x=1').split('?')[0]).toBe('/users/a%2F..%2Fgroups%3Fx%3D1');
  });

  it('uses the key form with doubled quotes for a UPN starting with $', () => {
    expect(getUserPath("$o'neil@contoso.example").split('?')[0]).toBe("/users('%24o''neil%40contoso.example')");
  });

  it('filters by mail with the quote doubled and the value encoded', () => {
    const p = params(findUserByMailPath("o'brien@x.example' or userType eq 'Guest"));
    expect(p.get('$filter')).toBe("mail eq 'o''brien@x.example'' or userType eq ''Guest'");
    expect([...p.keys()].sort()).toEqual(['$filter', '$select', '$top']);
  });

  it('answers null for a 404 and rethrows other Graph errors', async () => {
    const notFound = new AppError('GRAPH_REQUEST_FAILED', 'nope', { details: { status: 404 } });
    expect(await getUser(fakeApi(notFound), 'x')).toBeNull();
    const forbidden = new AppError('GRAPH_FORBIDDEN', 'no', { details: { status: 403 } });
    await expect(getUser(fakeApi(forbidden), 'x')).rejects.toBe(forbidden);
  });
});
