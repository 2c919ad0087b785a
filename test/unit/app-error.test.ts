import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { AppError, EXIT, toAppError } from '../../src/core/app-error.js';

describe('toAppError', () => {
  it('keeps an AppError as it is', () => {
    const err = new AppError('TENANT_LOCKED', 'busy');
    expect(toAppError(err)).toBe(err);
  });

  it('wraps anything else as INTERNAL with the cause', () => {
    const cause = new Error('boom');
    expect(toAppError(cause)).toMatchObject({ code: 'INTERNAL', message: 'boom', cause, exitCode: EXIT.failure });
  });

  it('reports a failed statement by the database message, without the parameters drizzle puts in its own', () => {
    const pg = Object.assign(new Error('duplicate key value violates unique constraint "insync_users_tenant_email"'), { code: '23505' });
    const query = '\n      insert into insync_users (tenant_id, email)\n      select $1, x.email from unnest($2::text[]) as x(email)';
    const err = new DrizzleQueryError(query, [1, ['ann@contoso.example', 'bob@contoso.example']], pg);
    expect(err.message).toContain('ann@contoso.example'); // what must not leak

    const app = toAppError(err);
    expect(app).toMatchObject({
      code: 'DB_QUERY_FAILED', exitCode: EXIT.database, cause: pg,
      message: 'a database statement failed: duplicate key value violates unique constraint "insync_users_tenant_email"',
      details: { statement: 'insert into insync_users (tenant_id, email)', sqlState: '23505' },
    });
    expect(JSON.stringify({ message: app.message, details: app.details })).not.toContain('contoso.example');
  });
});
