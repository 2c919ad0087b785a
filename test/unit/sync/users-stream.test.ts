import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/store/open-store.js';
import { usersStream, type PullContext } from '../../../src/sync/pull-streams.js';

/** A database that records the statements sent to it (sendQuery falls back to db.execute off postgres.js). */
function recordingDb(): { db: Db; sent: string[] } {
  const sent: string[] = [];
  const db = { execute: (query: SQL) => { sent.push(new PgDialect().sqlToQuery(query).sql); return { execute: async () => [] }; } };
  return { db: db as unknown as Db, sent };
}

/** Only what the users stream's sweep reads of its context. */
const context = (usersMirrored: boolean) => ({ tenantId: 1, runId: 7, freshMirror: { users: !usersMirrored, memberships: true } }) as unknown as PullContext;

describe('the users stream at the end of a full round', () => {
  it('sweeps users the round did not return when the tenant had users before it (D1)', async () => {
    const { db, sent } = recordingDb();
    await usersStream(context(true)).finishFull(db);
    expect(sent.some((q) => /update entra_users u set deletion/.test(q))).toBe(true);
  });

  it('does not read the mirror on a first import, whose rows it wrote itself', async () => {
    const { db, sent } = recordingDb();
    await usersStream(context(false)).finishFull(db);
    expect(sent).toEqual([]);
  });
});
