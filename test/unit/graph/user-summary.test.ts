import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/app-error.js';
import { parseUserSummary } from '../../../src/graph/user-summary.js';

describe('parseUserSummary', () => {
  it('lower-cases the object id and leaves absent properties null (I16)', () => {
    expect(parseUserSummary({ id: 'AA000000-0000-4000-8000-00000000000B', mail: 'ana@contoso.example' }, 'GET /users/x')).toEqual({
      id: 'aa000000-0000-4000-8000-00000000000b', displayName: null, userPrincipalName: null,
      mail: 'ana@contoso.example', userType: null, accountEnabled: null,
    });
  });

  it('refuses a user whose id is not a GUID, naming the request (object ids are stored as uuid)', () => {
    let caught: unknown;
    try {
      parseUserSummary({ id: 'ana', mail: 'ana@contoso.example' }, 'GET /users/ana');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('GRAPH_BAD_RESPONSE');
    expect((caught as AppError).message).toBe('Graph GET /users/ana returned a user that cannot be read: id must be a GUID');
  });
});
