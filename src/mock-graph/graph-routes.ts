import { handleDelta } from './delta-routes.js';
import { deletedUserItems, err, findUser, groupItems, listResponse, memberItems, userIndex, userItems } from './list-routes.js';
import { parseSelect } from './known-properties.js';
import type { MockContext } from './mock-context.js';
import { json, type MockRequest, type MockResponse } from './mock-http.js';
import { groupRead, userRead } from './read-shapes.js';

const DIRECTORY_READ = ['Directory.Read.All', 'Directory.ReadWrite.All'];
/** Application permissions that unlock each family of routes (D4, D5, D11, D12, D15, §9b). */
export const ROLES = {
  users: ['User.Read.All', 'User.ReadWrite.All', ...DIRECTORY_READ],
  groups: ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', ...DIRECTORY_READ],
  mailbox: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'],
  organization: ['Organization.Read.All', 'Organization.ReadWrite.All', ...DIRECTORY_READ],
} as const;
export type RoleFamily = keyof typeof ROLES;

export interface GraphRoute {
  family: RoleFamily | null;
  run: () => MockResponse;
}

/**
 * Maps a Graph path (after the version segment) to its handler and the role family it needs.
 * Returns undefined for unknown paths, which the router answers with a Graph 400/404.
 */
export function matchGraphRoute(ctx: MockContext, req: MockRequest, version: string, segments: string[]): GraphRoute | undefined {
  const [a, b, c, d] = segments;
  if (req.method !== 'GET') return undefined;
  const isDelta = (s: string | undefined) => s === 'delta' || s === 'delta()' || s === 'microsoft.graph.delta' || s === 'microsoft.graph.delta()';
  if ((a === 'users' || a === 'groups') && isDelta(b) && segments.length === 2) {
    const resource = a;
    return { family: resource, run: () => handleDelta(ctx, req, version, resource) };
  }
  if (a === 'users' && segments.length === 1) {
    return { family: 'users', run: () => listResponse(ctx, req, { entity: 'user', items: userItems(ctx), byIndex: userIndex(ctx), defaultTop: ctx.options.pageSizes.listDefault, context: 'users' }) };
  }
  if (a === 'users' && b !== undefined && segments.length === 2) return { family: 'users', run: () => getUser(ctx, req, b) };
  if (a === 'users' && b !== undefined && c === 'mailboxSettings' && segments.length <= 4) {
    return { family: ctx.options.requireMailboxSettingsRead ? 'mailbox' : 'users', run: () => mailboxSettings(ctx, req, version, b, d) };
  }
  // D16: soft-deleted users, listed only through the OData cast (GET /directory/deletedItems alone
  // is not supported), paged like other directory collections and read with User.Read.All.
  if (a === 'directory' && b?.toLowerCase() === 'deleteditems' && c?.toLowerCase() === 'microsoft.graph.user' && segments.length === 3) {
    return { family: 'users', run: () => listResponse(ctx, req, { entity: 'user', items: deletedUserItems(ctx), defaultTop: ctx.options.pageSizes.listDefault, context: 'directoryObjects' }) };
  }
  if (a === 'groups' && segments.length === 1) {
    return { family: 'groups', run: () => listResponse(ctx, req, { entity: 'group', items: groupItems(ctx), defaultTop: ctx.options.pageSizes.listDefault, context: 'groups' }) };
  }
  if (a === 'groups' && b !== undefined && (c === 'members' || c === 'transitiveMembers') && segments.length === 3) {
    const transitive = c === 'transitiveMembers';
    return {
      family: 'groups',
      run: () => {
        const g = ctx.directory.getGroup(b);
        if (!g || g.state !== 'active') return notFound(ctx, req, b);
        // D11 members page after 100; I20 transitiveMembers default 100 too.
        return listResponse(ctx, req, { entity: 'directoryObject', items: memberItems(ctx, g, transitive), defaultTop: ctx.options.pageSizes.listDefault, context: 'directoryObjects' });
      },
    };
  }
  if (a === 'groups' && b !== undefined && segments.length === 2) {
    return {
      family: 'groups',
      run: () => {
        const g = ctx.directory.getGroup(b);
        if (!g || g.state !== 'active') return notFound(ctx, req, b);
        const select = parseSelect(req.query.get('$select') ?? undefined);
        return json(200, { '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#groups/$entity`, ...groupRead(g, select) });
      },
    };
  }
  if (a === 'organization' && segments.length === 1) return { family: 'organization', run: () => organization(ctx) };
  return undefined;
}

function notFound(ctx: MockContext, req: MockRequest, id: string): MockResponse {
  return err(ctx, req, 404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
}

function getUser(ctx: MockContext, req: MockRequest, idOrUpn: string): MockResponse {
  const u = findUser(ctx, idOrUpn);
  if (!u) return notFound(ctx, req, idOrUpn);
  const select = parseSelect(req.query.get('$select') ?? undefined);
  return json(200, { '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#users/$entity`, ...userRead(u, select) });
}

/** D15 userPurpose; I18: users without an Exchange Online mailbox get 404 MailboxNotEnabledForRESTAPI. */
function mailboxSettings(ctx: MockContext, req: MockRequest, version: string, idOrUpn: string, sub: string | undefined): MockResponse {
  const u = findUser(ctx, idOrUpn);
  if (!u) return notFound(ctx, req, idOrUpn);
  if (u.mailboxPurpose === undefined) {
    return err(ctx, req, 404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
  }
  const context = `${ctx.baseUrl}/${version}/$metadata#users('${u.id}')/mailboxSettings`;
  if (sub === 'userPurpose') return json(200, { '@odata.context': `${context}/userPurpose`, value: u.mailboxPurpose });
  if (sub !== undefined) return notFound(ctx, req, sub);
  return json(200, {
    '@odata.context': context,
    timeZone: 'UTC',
    dateFormat: 'yyyy-MM-dd',
    timeFormat: 'HH:mm',
    userPurpose: u.mailboxPurpose,
    language: { locale: 'en-US', displayName: 'English (United States)' },
    automaticRepliesSetting: { status: 'disabled', externalAudience: 'none' },
  });
}

function organization(ctx: MockContext): MockResponse {
  const domains = ctx.seed.organization?.verifiedDomains ?? [];
  return json(200, {
    '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#organization`,
    value: [{
      id: ctx.seed.directoryId,
      displayName: ctx.seed.organization?.displayName ?? 'Mock tenant',
      verifiedDomains: domains.map((name, i) => ({ name, isDefault: i === 0, isInitial: i === 0, type: 'Managed', capabilities: 'Email, OfficeCommunicationsOnline' })),
    }],
  });
}
