import { describe, expect, it } from 'vitest';
import { listInsyncUsers } from '../../src/admin/list-insync-users.js';
import { runSync } from '../../src/sync/run-sync.js';
import type { MockGraph } from '../../src/mock-graph/start-mock-graph.js';
import type { PlannedAction } from '../../src/sync/planned-action.js';
import { actionFor, applyDemo, user } from '../support/sync-harness.js';
import type { TestStore } from '../support/test-store.js';
import { useStoreAndMock } from '../support/use-store-and-mock.js';

const HELPDESK = user(18); // shared mailbox, disabled account (P1)
const ROOM = user(19); // room mailbox, disabled account
const ALL_ROLES_APP = 'a0a0a0a0-0000-4000-8000-000000000003';

let db: TestStore;
let mock: MockGraph;
useStoreAndMock((store, graph) => {
  db = store;
  mock = graph;
});

async function syncWith(secret: string) {
  const actions: PlannedAction[] = [];
  const result = await runSync({ tenant: 'contoso', trigger: 'test' }, {
    store: db.store, env: { CONTOSO_GRAPH_SECRET: secret }, graphCa: mock.caPem, onAction: (a) => actions.push(a),
  });
  return { ...result, actions };
}

describe('shared mailboxes (graph-semantics §6)', () => {
  it('are recognised by mailbox purpose and imported when the tenant includes them, never as DISABLED', async () => {
    await applyDemo(db.store, mock, (t) => {
      t['includeSharedMailboxes'] = true;
      (t['entra'] as Record<string, unknown>)['clientId'] = ALL_ROLES_APP;
    });
    const first = await syncWith('mock-secret-all-roles');
    expect(actionFor(first.actions, HELPDESK)).toMatchObject({ action: 'create', fields: { email: 'helpdesk@contoso.example' } });
    // A room mailbox is not a shared one: still refused for being disabled.
    expect(actionFor(first.actions, ROOM)).toMatchObject({ action: 'skip', reason: 'DISABLED' });

    mock.directory.updateUser(HELPDESK, { displayName: 'Contoso Service Desk' });
    const second = await syncWith('mock-secret-all-roles');
    expect(actionFor(second.actions, HELPDESK)).toMatchObject({ action: 'update', reason: 'DETAILS_CHANGED' });
    const helpdesk = (await listInsyncUsers(db.store, 'contoso')).find((u) => u.entraObjectId === HELPDESK);
    expect(helpdesk).toMatchObject({ status: 'active', displayName: 'Contoso Service Desk' });
  });

  it('without MailboxSettings.Read, fall back to the tenant\'s sharedMailboxIds list', async () => {
    await applyDemo(db.store, mock, (t) => {
      t['includeSharedMailboxes'] = true;
      t['sharedMailboxIds'] = [HELPDESK];
    });
    const result = await syncWith('mock-secret-not-a-real-secret');
    expect(actionFor(result.actions, HELPDESK)).toMatchObject({ action: 'create' });
    expect(actionFor(result.actions, ROOM)).toMatchObject({ action: 'skip', reason: 'DISABLED' });
  });

  it('are excluded with their own reason when the tenant does not include them', async () => {
    await applyDemo(db.store, mock, (t) => {
      t['sharedMailboxIds'] = [HELPDESK];
    });
    const result = await syncWith('mock-secret-not-a-real-secret');
    expect(actionFor(result.actions, HELPDESK)).toMatchObject({ action: 'skip', reason: 'SHARED_MAILBOX_EXCLUDED' });
  });
});
