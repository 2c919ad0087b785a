import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { recordUserChange } from '../../src/store/record-user-change.js';
import type { TestStore } from '../support/test-store.js';
import { useTestStore } from '../support/use-store-and-mock.js';

const OID = '0c000000-0000-4000-8000-000000000001';

describe('recordUserChange', () => {
  let db: TestStore;
  useTestStore((ready) => {
    db = ready;
  });

  it('writes the audit event and the user\'s log row outside any run, the log naming the actor', async () => {
    const [tenant] = await db.store.rows<{ id: number }>(db.store.db, sql`insert into tenants (name) values ('contoso') returning id`);
    const tenantId = tenant?.id ?? 0;
    await db.store.db.transaction(async (tx) => {
      await recordUserChange(tx, {
        tenantId, actor: 'cli:ana', auditAction: 'user.preserve', user: { email: 'ana@contoso.example', entraObjectId: OID },
        before: { status: 'active' }, after: { status: 'preserved' }, log: { action: 'preserve', reason: 'ADMIN_PRESERVED' },
      });
      await recordUserChange(tx, {
        tenantId, actor: 'cli:ana', auditAction: 'user.move-storage', user: { email: 'ana@contoso.example', entraObjectId: OID },
        before: { storage: 'eu' }, after: { storage: 'us' }, log: { action: 'update', reason: 'ADMIN_STORAGE_MOVED', detail: { from: 'eu', to: 'us' } },
      });
    });
    const audit = await db.store.rows(db.store.db, sql`
      select tenant_id, actor, action, target, before, after from audit_events order by id`);
    expect(audit).toEqual([
      { tenant_id: tenantId, actor: 'cli:ana', action: 'user.preserve', target: 'ana@contoso.example', before: { status: 'active' }, after: { status: 'preserved' } },
      { tenant_id: tenantId, actor: 'cli:ana', action: 'user.move-storage', target: 'ana@contoso.example', before: { storage: 'eu' }, after: { storage: 'us' } },
    ]);
    const log = await db.store.rows(db.store.db, sql`
      select tenant_id, run_id, entra_object_id, email, action, reason, detail from provisioning_log order by id`);
    expect(log).toEqual([
      { tenant_id: tenantId, run_id: null, entra_object_id: OID, email: 'ana@contoso.example', action: 'preserve', reason: 'ADMIN_PRESERVED', detail: { actor: 'cli:ana', before: { status: 'active' } } },
      { tenant_id: tenantId, run_id: null, entra_object_id: OID, email: 'ana@contoso.example', action: 'update', reason: 'ADMIN_STORAGE_MOVED', detail: { actor: 'cli:ana', from: 'eu', to: 'us' } },
    ]);
  });
});
