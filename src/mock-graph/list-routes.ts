import { z } from 'zod';
import type { GroupRecord, UserRecord } from './directory-records.js';
import { graphError } from './graph-error.js';
import { GROUP_PROPERTIES, USER_READ_PROPERTIES, parseSelect } from './known-properties.js';
import type { MockContext } from './mock-context.js';
import { json, queryOption, type MockRequest, type MockResponse } from './mock-http.js';
import { parseFilter, parseSearch, tooManyClausesMessage, type Predicate } from './odata-query.js';
import { groupRead, memberReader, userRead } from './read-shapes.js';

const USER_FILTERABLE = new Set(['id', 'displayName', 'userPrincipalName', 'mail', 'givenName', 'surname', 'mailNickname', 'userType', 'accountEnabled', 'department', 'city', 'country', 'jobTitle', 'companyName', 'employeeId', 'officeLocation', 'creationType']);
const GROUP_FILTERABLE = new Set(['id', 'displayName', 'mail', 'mailNickname', 'mailEnabled', 'securityEnabled', 'groupTypes']);

const listTokenSchema = z.object({ path: z.string(), query: z.string(), offset: z.number().int() });

export type ListItem = Record<string, unknown>;

export interface ListSpec {
  /** `users` / `groups` / `members`: which property set `$select`, `$filter` and `$search` use. */
  entity: 'user' | 'group' | 'directoryObject';
  /** Fresh list for this request; paging re-evaluates it and slices by offset. */
  items: (select: string[] | undefined) => { props: Record<string, unknown>; item: ListItem }[];
  defaultTop: number;
  context: string;
  /**
   * Random access for big unfiltered lists (`$select`/`$top` only): the skiptoken offset is then a
   * position in this index, so a page of a million-user tenant costs O(page), not O(tenant).
   * `itemAt` answers undefined for positions that are not listed (deleted users).
   */
  byIndex?: { size: () => number; itemAt: (index: number, select: string[] | undefined) => ListItem | undefined };
}

/**
 * Shared paging for plain collections: `$top` 1..999 (D16), `$filter`, `$search` and `$count` with
 * the `ConsistencyLevel: eventual` rule (D10), nextLinks with an opaque skiptoken that replays
 * the original query. Headers are not carried into next pages, so they must be re-sent (D6).
 */
export function listResponse(ctx: MockContext, req: MockRequest, spec: ListSpec): MockResponse {
  let query = req.query;
  let offset = 0;
  const skip = queryOption(req.query, '$skiptoken');
  if (skip !== undefined) {
    const tok = ctx.codec.decode(skip, listTokenSchema);
    if (!tok || tok.path !== req.path) return err(ctx, req, 400, 'Directory_ExpiredPageToken', 'The specified page token value has expired and can no longer be included in your request.');
    query = new URLSearchParams(tok.query);
    offset = tok.offset;
  }
  const eventual = (req.headers['consistencylevel'] ?? '').toLowerCase() === 'eventual';
  const topRaw = queryOption(query, '$top');
  const top = topRaw === undefined ? spec.defaultTop : Number(topRaw);
  if (!Number.isInteger(top) || top < 1 || top > 999) {
    return err(ctx, req, 400, 'Request_BadRequest', `Invalid page size specified: '${topRaw ?? ''}'. Must be between 1 and 999 inclusive.`);
  }
  const select = parseSelect(queryOption(query, '$select'));
  const known = spec.entity === 'group' ? GROUP_PROPERTIES : spec.entity === 'user' ? USER_READ_PROPERTIES : new Set([...USER_READ_PROPERTIES, ...GROUP_PROPERTIES]);
  const badSelect = select?.find((s) => !known.has(s));
  if (badSelect) return err(ctx, req, 400, 'BadRequest', `Parsing OData Select and Expand failed: Could not find a property named '${badSelect}' on type 'microsoft.graph.${spec.entity}'.`);
  const preds: Predicate[] = [];
  const filter = queryOption(query, '$filter');
  if (filter !== undefined) {
    const parsed = parseFilter(filter, spec.entity === 'group' ? GROUP_FILTERABLE : USER_FILTERABLE);
    if ('tooManyClauses' in parsed) return err(ctx, req, 400, 'Request_UnsupportedQuery', tooManyClausesMessage(parsed.tooManyClauses));
    if ('error' in parsed) return err(ctx, req, 400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property '${parsed.error}' of resource '${spec.entity === 'group' ? 'Group' : 'User'}'.`);
    preds.push(parsed.predicate);
  }
  const search = queryOption(query, '$search');
  if (search !== undefined) {
    // D10: $search on directory objects needs the advanced-query header.
    if (!eventual) return err(ctx, req, 400, 'Request_UnsupportedQuery', "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
    const p = parseSearch(search);
    if (!p) return err(ctx, req, 400, 'Request_UnsupportedQuery', 'Syntax error: the $search value is not valid.');
    preds.push(p);
  }
  const wantCount = queryOption(query, '$count')?.toLowerCase() === 'true';
  if (wantCount && !eventual) return err(ctx, req, 400, 'Request_BadRequest', '$count is not currently supported.');
  const body: Record<string, unknown> = { '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#${spec.context}` };
  // The same query always takes the same path, so an offset never changes meaning between pages.
  if (spec.byIndex && preds.length === 0 && !wantCount) {
    const { page, nextOffset } = indexedPage(spec.byIndex, select, offset, top);
    if (nextOffset !== null) body['@odata.nextLink'] = nextLink(ctx, req, query, nextOffset);
    body['value'] = page;
    return json(200, body);
  }
  const all = spec.items(select).filter((x) => preds.every((p) => p(x.props)));
  const page = all.slice(offset, offset + top).map((x) => x.item);
  // D6: @odata.count only on the first page.
  if (wantCount && offset === 0) body['@odata.count'] = all.length;
  if (offset + top < all.length) body['@odata.nextLink'] = nextLink(ctx, req, query, offset + top);
  body['value'] = page;
  return json(200, body);
}

/** A list nextLink replays the original query from inside an opaque skiptoken (D6). */
function nextLink(ctx: MockContext, req: MockRequest, query: URLSearchParams, offset: number): string {
  const params = new URLSearchParams(query);
  params.delete('$skiptoken');
  const token = ctx.codec.encode({ path: req.path, query: params.toString(), offset });
  return `${ctx.baseUrl}${req.path}?$skiptoken=${token}`;
}

function indexedPage(index: NonNullable<ListSpec['byIndex']>, select: string[] | undefined, offset: number, top: number): { page: ListItem[]; nextOffset: number | null } {
  const size = index.size();
  const page: ListItem[] = [];
  let i = offset;
  for (; i < size && page.length < top; i++) {
    const item = index.itemAt(i, select);
    if (item) page.push(item);
  }
  // Skip unlisted positions now, so the last page never links to an empty one.
  while (i < size && index.itemAt(i, select) === undefined) i++;
  return { page, nextOffset: i < size ? i : null };
}

/** A list nextLink carries its query inside the skiptoken; resource units are charged on that query (D8). */
export function effectiveListQuery(ctx: MockContext, req: MockRequest): URLSearchParams {
  const skip = queryOption(req.query, '$skiptoken');
  if (skip === undefined) return req.query;
  return new URLSearchParams(ctx.codec.decode(skip, listTokenSchema)?.query ?? '');
}

export function err(ctx: MockContext, req: MockRequest, status: number, code: string, message: string): MockResponse {
  return graphError(status, code, message, { clientRequestId: req.headers['client-request-id'], now: ctx.clock.now() });
}

export const userProps = (u: UserRecord) => ({ id: u.id, ...u.props });
export const groupProps = (g: GroupRecord) => ({ id: g.id, ...g.props });

/** Users visible to plain reads: active ones only (soft-deleted users live in deletedItems, D16). */
export function* activeUsers(ctx: MockContext): Generator<UserRecord> {
  for (const u of ctx.directory.listUsers()) if (u.state === 'active') yield u;
}

export function findUser(ctx: MockContext, idOrUpn: string): UserRecord | undefined {
  const direct = ctx.directory.getUser(idOrUpn);
  if (direct) return direct.state === 'active' ? direct : undefined;
  const upn = idOrUpn.toLowerCase();
  for (const u of activeUsers(ctx)) if (String(u.props['userPrincipalName'] ?? '').toLowerCase() === upn) return u;
  return undefined;
}

export function userItems(ctx: MockContext): ListSpec['items'] {
  return (select) => [...activeUsers(ctx)].map((u) => ({ props: userProps(u), item: userRead(u, select) }));
}

/** Soft-deleted users, restorable for 30 days: what `directory/deletedItems/microsoft.graph.user` lists (D16). */
export function deletedUserItems(ctx: MockContext): ListSpec['items'] {
  return (select) => [...ctx.directory.listUsers()].filter((u) => u.state === 'soft-deleted')
    .map((u) => ({ props: userProps(u), item: userRead(u, select) }));
}

/** Position i of `userIds()` is listed when that user is active; see ListSpec.byIndex. */
export function userIndex(ctx: MockContext): NonNullable<ListSpec['byIndex']> {
  const dir = ctx.directory;
  return {
    size: () => dir.userCount,
    itemAt: (i, select) => {
      const u = dir.userAt(i);
      return u?.state === 'active' ? userRead(u, select) : undefined;
    },
  };
}

export function groupItems(ctx: MockContext): ListSpec['items'] {
  return (select) => [...ctx.directory.listGroups()].filter((g) => g.state === 'active').map((g) => ({ props: groupProps(g), item: groupRead(g, select) }));
}

/** Direct or transitive (D12: flattened, nested groups included, each object once) members. */
export function memberItems(ctx: MockContext, group: GroupRecord, transitive: boolean): ListSpec['items'] {
  return (select) => {
    const read = memberReader(select);
    const out: { props: Record<string, unknown>; item: ListItem }[] = [];
    const seen = new Set<string>([group.id]);
    const queue: GroupRecord[] = [group];
    while (queue.length > 0) {
      const g = queue.shift();
      if (!g) break;
      for (const id of ctx.directory.currentMembers(g)) {
        if (seen.has(id)) continue;
        seen.add(id);
        const sub = ctx.directory.getGroup(id);
        if (sub) {
          if (sub.state !== 'active') continue;
          out.push({ props: groupProps(sub), item: read({ kind: 'group', rec: sub }) });
          if (transitive) queue.push(sub);
          continue;
        }
        const u = ctx.directory.getUser(id);
        // Deleted users keep the membership (D3) but are not listed as members.
        if (u && u.state === 'active') out.push({ props: userProps(u), item: read({ kind: 'user', rec: u }) });
      }
      if (!transitive) break;
    }
    return out;
  };
}
