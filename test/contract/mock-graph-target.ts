import { createGraphApi } from '../../src/graph/create-graph-api.js';
import type { FaultRule } from '../../src/mock-graph/index.js';
import { ALL_ROLES_CLIENT, ALL_ROLES_SECRET, CLIENT_ID, NO_ROLES_CLIENT, NO_ROLES_SECRET, SECRET, TENANT, startHarness } from '../mock-graph/mock-graph-harness.js';
import type { AppIdentity, GraphReply, GraphTarget, StartTarget } from './graph-target.js';

const CREDENTIALS: Record<Exclude<AppIdentity, 'anonymous'>, [string, string]> = {
  worker: [CLIENT_ID, SECRET],
  'no-roles': [NO_ROLES_CLIENT, NO_ROLES_SECRET],
  'all-roles': [ALL_ROLES_CLIENT, ALL_ROLES_SECRET],
};

/**
 * The bundled mock as a contract target. Every mutation goes through the `/_mock/` admin API over
 * HTTPS, not the in-process MockDirectory, so the suite only ever sees the HTTP surface.
 */
export const startMockGraphTarget: StartTarget = async (options = {}) => {
  const h = await startHarness({ ...(options.pageSizes ? { pageSizes: options.pageSizes } : {}), ...(options.quirks ? { quirks: options.quirks } : {}) });
  const tokens = new Map<AppIdentity, string>();
  const tokenFor = async (as: AppIdentity): Promise<string | null> => {
    if (as === 'anonymous') return null;
    const cached = tokens.get(as);
    if (cached) return cached;
    const [id, secret] = CREDENTIALS[as];
    const token = await h.token(id, secret);
    tokens.set(as, token);
    return token;
  };
  const admin = async (method: string, path: string, body?: unknown): Promise<GraphReply> => {
    const r = await h.send(method, `/_mock/${path}`, body);
    if (r.status >= 400) throw new Error(`mock admin ${method} ${path} failed: ${r.status} ${r.text}`);
    return r;
  };
  const done = async (p: Promise<GraphReply>): Promise<void> => { await p; };
  // JSON has no Infinity; the admin API takes null for "for ever".
  const faultJson = (rule: FaultRule) => ({ ...rule, ...(rule.times === Infinity ? { times: null } : {}) });
  const target: GraphTarget = {
    baseUrl: h.mock.url,
    async fetchJson(pathOrUrl, headers = {}, as = 'worker') {
      return h.get(pathOrUrl, { token: await tokenFor(as), headers });
    },
    async postJson(path, body) {
      return h.send('POST', path, body, { token: await tokenFor('worker') });
    },
    client: (o = {}) => createGraphApi(
      { directoryId: TENANT, clientId: CLIENT_ID, credential: { kind: 'secret', secret: SECRET }, graphUrl: h.mock.url, authorityHost: h.mock.url, ca: h.mock.caPem },
      { retry: { baseDelayMs: 1, maxDelayMs: 20, ...o } },
    ),
    mutate: {
      addUser: (seed) => done(admin('POST', 'users', seed)),
      updateUser: (id, patch) => done(admin('PATCH', `users/${id}`, patch)),
      disableUser: (id) => done(admin('POST', `users/${id}/disable`)),
      softDeleteUser: (id) => done(admin('POST', `users/${id}/soft-delete`)),
      restoreUser: (id) => done(admin('POST', `users/${id}/restore`)),
      hardDeleteUser: (id) => done(admin('DELETE', `users/${id}`)),
      addGroup: (seed) => done(admin('POST', 'groups', seed)),
      deleteGroup: (id, mode) => done(admin('DELETE', `groups/${id}${mode ? `?mode=${mode}` : ''}`)),
      addMember: (groupId, memberId) => done(admin('POST', `groups/${groupId}/members`, { id: memberId })),
      removeMember: (groupId, memberId) => done(admin('DELETE', `groups/${groupId}/members/${memberId}`)),
      fault: (rule) => done(admin('POST', 'faults', faultJson(rule))),
      clearFaults: () => done(admin('DELETE', 'faults')),
      invalidateDeltaTokens: () => done(admin('POST', 'tokens/invalidate-delta')),
    },
    close: () => h.close(),
  };
  return target;
};
