import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/app-error.js';
import { loadEnv } from '../../src/config/env.js';

function failure(env: Record<string, string>): AppError {
  try {
    loadEnv(env);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected loadEnv to fail');
}

describe('loadEnv', () => {
  it('gives defaults for an empty environment', () => {
    expect(loadEnv({})).toEqual({ databaseUrl: null, dataDir: './.entra-import', logLevel: 'info', logPretty: false, heapGrowthPercent: 100 });
  });

  it('reads every variable', () => {
    expect(
      loadEnv({
        DATABASE_URL: 'postgresql://app:pw@db:5432/entra',
        ENTRA_IMPORT_DATA_DIR: '/var/lib/entra-import',
        LOG_LEVEL: 'DEBUG',
        LOG_PRETTY: 'yes',
        ENTRA_IMPORT_HEAP_GROWTH_PERCENT: '150',
      }),
    ).toEqual({
      databaseUrl: 'postgresql://app:pw@db:5432/entra',
      dataDir: '/var/lib/entra-import',
      logLevel: 'debug',
      logPretty: true,
      heapGrowthPercent: 150,
    });
  });

  it('accepts postgres:// and treats an empty DATABASE_URL as unset', () => {
    expect(loadEnv({ DATABASE_URL: 'postgres://db/x' }).databaseUrl).toBe('postgres://db/x');
    expect(loadEnv({ DATABASE_URL: '' }).databaseUrl).toBeNull();
  });

  it('refuses another scheme without echoing the password', () => {
    const err = failure({ DATABASE_URL: 'mysql://app:hunter2@db/x' });
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//);
    expect(JSON.stringify({ message: err.message, details: err.details })).not.toContain('hunter2');
  });

  it('refuses an unparseable DATABASE_URL without echoing it', () => {
    const err = failure({ DATABASE_URL: 'hunter2 at db' });
    expect(err.message).toMatch(/DATABASE_URL is not a valid URL/);
    expect(err.message).not.toContain('hunter2');
    // Without a scheme, "user:password@host" parses as the scheme "user:"; nothing of it is echoed.
    expect(failure({ DATABASE_URL: 'hunter2:pw@db/x' }).message).not.toContain('hunter2');
  });

  it('names every bad variable at once', () => {
    const err = failure({ LOG_LEVEL: 'loud', LOG_PRETTY: 'maybe', ENTRA_IMPORT_HEAP_GROWTH_PERCENT: '2x' });
    expect(err.details.issues).toEqual([
      { path: 'LOG_LEVEL', message: expect.stringMatching(/one of fatal, error, warn, info, debug, trace, silent/) },
      { path: 'LOG_PRETTY', message: expect.stringMatching(/true or false/) },
      { path: 'ENTRA_IMPORT_HEAP_GROWTH_PERCENT', message: expect.stringMatching(/0 \(V8's adaptive default\) or a whole percentage from 10 to 300/) },
    ]);
  });

  it('takes 0 for V8\'s own heap growth and refuses percentages that would thrash or exceed it', () => {
    expect(loadEnv({ ENTRA_IMPORT_HEAP_GROWTH_PERCENT: '0' }).heapGrowthPercent).toBe(0);
    expect(loadEnv({ ENTRA_IMPORT_HEAP_GROWTH_PERCENT: ' 10 ' }).heapGrowthPercent).toBe(10);
    expect(loadEnv({ ENTRA_IMPORT_HEAP_GROWTH_PERCENT: '300' }).heapGrowthPercent).toBe(300);
    for (const bad of ['5', '301', '1.5', '-1']) {
      expect(failure({ ENTRA_IMPORT_HEAP_GROWTH_PERCENT: bad }).message).toContain(`ENTRA_IMPORT_HEAP_GROWTH_PERCENT must be 0`);
    }
  });
});
