import type { TokenCredential } from '@azure/identity';
import { and, eq } from 'drizzle-orm';
import { AppError, toAppError } from '../core/app-error.js';
import { createCredential } from '../graph/create-credential.js';
import { createGraphApi, type GraphApi, type GraphApiDeps } from '../graph/create-graph-api.js';
import { graphScope } from '../graph/graph-scope.js';
import type { GraphSettings } from '../graph/graph-settings.js';
import type { Store } from '../store/open-store.js';
import { mappings } from '../store/schema.js';
import { graphSettingsFor } from '../graph/graph-settings-for.js';
import { findTenant } from './find-tenant.js';
import { messageOf } from '../core/message-of.js';

export type ConnectionCheckName = 'credentials' | 'token' | 'User.Read.All' | 'GroupMember.Read.All' | 'MailboxSettings.Read';

export interface ConnectionCheck {
  name: ConnectionCheckName;
  status: 'ok' | 'failed' | 'skipped';
  /** A failed optional check is reported but does not fail the test (MailboxSettings.Read, §11.9). */
  required: boolean;
  message: string;
}

export interface ConnectionReport {
  tenant: string;
  graphUrl: string;
  /** Every required check passed. */
  ok: boolean;
  checks: ConnectionCheck[];
}

export interface TestConnectionDeps {
  env: NodeJS.ProcessEnv;
  /** PEM of an extra CA to trust (the mock's certificate); NODE_EXTRA_CA_CERTS works too. */
  graphCa?: string | null;
  graph?: Omit<GraphApiDeps, 'credential'>;
}

const GRANT = 'grant it under API permissions → Microsoft Graph → Application permissions, then Grant admin consent';

/**
 * The admin console's "Test Connection": get a token, then prove each permission the tenant's
 * mappings need with the cheapest read that needs it (graph-semantics §9b): users always, groups
 * only when a mapping selects by group, mailbox settings only when shared mailboxes are included.
 * Never throws for a Graph problem: every outcome is a check with a message saying what to fix.
 */
export async function testConnection(store: Store, tenantName: string, deps: TestConnectionDeps): Promise<ConnectionReport> {
  const tenant = await findTenant(store.db, tenantName);
  const [groupMapping] = await store.db.select({ id: mappings.id }).from(mappings)
    .where(and(eq(mappings.tenantId, tenant.id), eq(mappings.kind, 'group'))).limit(1);
  const checks: ConnectionCheck[] = [];
  const report = (): ConnectionReport => ({
    tenant: tenant.name, graphUrl: tenant.graphUrl, checks,
    ok: checks.every((c) => !c.required || c.status !== 'failed'),
  });

  let settings: GraphSettings;
  let credential: TokenCredential;
  try {
    settings = graphSettingsFor(tenant, deps.env, deps.graphCa ?? null);
    credential = await createCredential(settings);
  } catch (err) {
    checks.push({ name: 'credentials', status: 'failed', required: true, message: toAppError(err).message });
    return report();
  }
  checks.push({ name: 'credentials', status: 'ok', required: true, message: `client ${settings.clientId} in directory ${settings.directoryId}` });

  const scope = graphScope(settings.graphUrl);
  try {
    await credential.getToken(scope);
    checks.push({ name: 'token', status: 'ok', required: true, message: `got a token for ${scope} from ${settings.authorityHost}` });
  } catch (err) {
    checks.push({
      name: 'token', status: 'failed', required: true,
      message: `could not get a token for ${scope} from ${settings.authorityHost}: ${firstLine(err)}; check the directory id, client id and secret or certificate`,
    });
    return report();
  }

  // Few retries: an operator is waiting, and a throttled test is better reported than sat out.
  const api = await createGraphApi(settings, { retry: { maxRetries: 2 }, ...deps.graph, credential });
  const users = await probe(api, 'User.Read.All', '/users?$top=1&$select=id', true, 'can read users');
  checks.push(users.check);
  if (groupMapping) {
    checks.push((await probe(api, 'GroupMember.Read.All', '/groups?$top=1&$select=id', true, 'can read groups and their members')).check);
  } else {
    checks.push({ name: 'GroupMember.Read.All', status: 'skipped', required: false, message: 'no mapping selects by group' });
  }
  checks.push(await mailboxCheck(api, tenant.includeSharedMailboxes, users.firstId));
  return report();
}

async function probe(api: GraphApi, permission: ConnectionCheckName, path: string, required: boolean, okMessage: string): Promise<{ check: ConnectionCheck; firstId: string | null }> {
  try {
    const body = (await api.getJson(path)) as { value?: { id?: unknown }[] };
    const id = body.value?.[0]?.id;
    return { check: { name: permission, status: 'ok', required, message: `${okMessage} (GET ${path})` }, firstId: typeof id === 'string' ? id : null };
  } catch (err) {
    return { check: { name: permission, status: 'failed', required, message: explain(err, permission, path) }, firstId: null };
  }
}

/** userPurpose tells shared mailboxes apart (§6); without the permission the worker falls back to a heuristic, so this check is optional. */
async function mailboxCheck(api: GraphApi, included: boolean, userId: string | null): Promise<ConnectionCheck> {
  const name = 'MailboxSettings.Read';
  if (!included) return { name, status: 'skipped', required: false, message: 'shared mailboxes are not included' };
  if (!userId) return { name, status: 'skipped', required: false, message: 'no user to read mailbox settings of' };
  const path = `/users/${userId}/mailboxSettings`;
  try {
    await api.getJson(path);
    return { name, status: 'ok', required: false, message: 'can read mailbox settings (userPurpose)' };
  } catch (err) {
    // I18: a user without an Exchange Online mailbox answers 404 even when the permission is granted.
    if (err instanceof AppError && err.details['graphCode'] === 'MailboxNotEnabledForRESTAPI') {
      return { name, status: 'ok', required: false, message: 'permission granted (the sampled user has no Exchange Online mailbox)' };
    }
    const message = explain(err, name, path);
    return { name, status: 'failed', required: false, message: `${message}; until then shared mailboxes are recognised only by accountEnabled=false and sharedMailboxIds` };
  }
}

function explain(err: unknown, permission: ConnectionCheckName, path: string): string {
  const e = toAppError(err);
  if (e.code === 'GRAPH_FORBIDDEN') return `the app lacks the application permission ${permission}; ${GRANT} (GET ${path} answered 403)`;
  return `GET ${path} failed: ${e.message} [${e.code}]`;
}

function firstLine(err: unknown): string {
  const text = messageOf(err);
  return text.split('\n')[0] ?? text;
}
