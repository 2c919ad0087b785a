import { describe, expect, it } from 'vitest';
import { AppError, type AppErrorCode } from '../../../src/core/app-error.js';
import { graphErrorFrom, readGraphErrorBody, safePath } from '../../../src/graph/graph-error.js';

const URL_WITH_TOKEN = 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=SECRETOPAQUETOKEN123&$select=id';

const body = (code: string, message = 'something happened'): string =>
  JSON.stringify({ error: { code, message, innerError: { date: '2026-03-10T12:00:00', 'request-id': 'r1' } } });

describe('graphErrorFrom', () => {
  it.each<[string, number, string, string | null, AppErrorCode]>([
    ['401 (D9)', 401, body('InvalidAuthenticationToken', 'Access token is empty.'), null, 'GRAPH_AUTH'],
    ['403 Authorization_RequestDenied (D9)', 403, body('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'), null, 'GRAPH_FORBIDDEN'],
    ['400 syncStateNotFound (B1)', 400, body('syncStateNotFound', 'The sync state generation is not found. The delta token is expired and data must be synchronized again.'), null, 'DELTA_TOKEN_EXPIRED'],
    ['410 SyncStateNotFound (I10)', 410, body('SyncStateNotFound'), null, 'DELTA_TOKEN_EXPIRED'],
    ['400 resyncRequired (D9)', 400, body('resyncRequired', 'The delta token is no longer valid, and the app must reset the sync state'), null, 'DELTA_TOKEN_EXPIRED'],
    ['400 SYNCSTATENOTFOUND in other case (§11.3)', 400, body('SYNCSTATENOTFOUND'), null, 'DELTA_TOKEN_EXPIRED'],
    ['410 with Location (D1 reset)', 410, '', 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=', 'DELTA_TOKEN_EXPIRED'],
    ['429 TooManyRequests (D7)', 429, body('TooManyRequests', 'Please retry again later.'), null, 'GRAPH_THROTTLED'],
    ['503 serviceNotAvailable (D9)', 503, body('serviceNotAvailable'), null, 'GRAPH_UNAVAILABLE'],
    ['504 (D9)', 504, '', null, 'GRAPH_UNAVAILABLE'],
    ['400 Request_UnsupportedQuery (I7)', 400, body('Request_UnsupportedQuery', 'Unsupported Query.'), null, 'GRAPH_REQUEST_FAILED'],
    ['400 BadRequest unsupported $select (I4)', 400, body('BadRequest', 'Invalid request for delta query: for this entity set, $expand/$select is not supported for the following properties: birthday'), null, 'GRAPH_REQUEST_FAILED'],
    ['404 MailboxNotEnabledForRESTAPI (I18)', 404, body('MailboxNotEnabledForRESTAPI'), null, 'GRAPH_REQUEST_FAILED'],
  ])('%s → %s', (_name, status, text, location, code) => {
    const err = graphErrorFrom(status, text, URL_WITH_TOKEN, location);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe(code);
    expect(err.details['status']).toBe(status);
    expect(err.details['path']).toBe('/v1.0/users/delta');
  });

  it('keeps the Location of a 410 reset in the details (D1 reset)', () => {
    const location = 'https://graph.microsoft.com/v1.0/users/delta?$select=id&$deltatoken=';
    const err = graphErrorFrom(410, '', URL_WITH_TOKEN, location);
    expect(err.code).toBe('DELTA_TOKEN_EXPIRED');
    expect(err.details['location']).toBe(location);
  });

  it('keeps the Graph error code in the details of an expired token (B1)', () => {
    const err = graphErrorFrom(400, body('syncStateNotFound'), URL_WITH_TOKEN, null);
    expect(err.details).toMatchObject({ status: 400, graphCode: 'syncStateNotFound', location: null });
  });

  it('adds a permission hint to a 403 Authorization_RequestDenied (D9, §7)', () => {
    const err = graphErrorFrom(403, body('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'), URL_WITH_TOKEN, null);
    expect(err.code).toBe('GRAPH_FORBIDDEN');
    expect(err.message).toContain('User.Read.All');
    expect(err.message).toContain('GroupMember.Read.All');
    expect(err.message).toContain('Authorization_RequestDenied');
    expect(err.details['graphCode']).toBe('Authorization_RequestDenied');
  });

  it('puts the Graph code and message into the error message (D9)', () => {
    const err = graphErrorFrom(400, body('Request_UnsupportedQuery', 'Unsupported Query.'), URL_WITH_TOKEN, null);
    expect(err.message).toContain('Request_UnsupportedQuery: Unsupported Query.');
    expect(err.message).toContain('400');
  });

  it.each([
    ['not JSON', '<html><body>Bad gateway</body></html>'],
    ['empty', ''],
    ['JSON without error', '{"value":[]}'],
    ['JSON null', 'null'],
    ['error with non-string code', '{"error":{"code":42,"message":["x"]}}'],
  ])('tolerates a %s body and falls back to the HTTP status (D9)', (_name, text) => {
    const err = graphErrorFrom(502, text, URL_WITH_TOKEN, null);
    expect(err.code).toBe('GRAPH_UNAVAILABLE');
    expect(err.details['graphCode']).toBeNull();
    expect(err.message).toContain('HTTP 502');
  });

  it.each([400, 401, 403, 404, 410, 429, 500, 503])('never puts the query string (opaque token) of the URL into the message for %d (D1 §1.5)', (status) => {
    const err = graphErrorFrom(status, body('whatever'), URL_WITH_TOKEN, null);
    expect(err.message).not.toContain('SECRETOPAQUETOKEN123');
    expect(err.message).not.toContain('$deltatoken');
    expect(err.message).not.toContain('?');
    expect(JSON.stringify(err.details)).not.toContain('SECRETOPAQUETOKEN123');
  });

  it('reduces a relative URL to its path too (D1 §1.5)', () => {
    const err = graphErrorFrom(400, body('BadRequest'), '/users/delta?$skiptoken=SECRETOPAQUETOKEN123', null);
    expect(err.details['path']).toBe('/users/delta');
    expect(err.message).not.toContain('SECRETOPAQUETOKEN123');
  });
});

describe('readGraphErrorBody / safePath', () => {
  it('reads the D9 envelope', () => {
    expect(readGraphErrorBody(body('TooManyRequests', 'Please retry again later.'))).toEqual({
      code: 'TooManyRequests',
      message: 'Please retry again later.',
    });
  });

  it.each([
    ['https://graph.microsoft.com/v1.0/groups/delta?$skiptoken=abc', '/v1.0/groups/delta'],
    ['/v1.0/users?x=1', '/v1.0/users'],
    ['users', 'users'],
  ])('safePath(%j) = %j', (url, path) => {
    expect(safePath(url)).toBe(path);
  });
});
