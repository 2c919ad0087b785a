import { AppError } from '../core/app-error.js';
import type { GraphApi } from './create-graph-api.js';
import { quoteSearchTerm } from './odata-escape.js';
import { parseUserSummary, USER_SUMMARY_SELECT, userListSchema, type UserSummary } from './user-summary.js';

export const SEARCH_PROPERTIES = ['displayName', 'mail', 'userPrincipalName'] as const;

/**
 * `GET /users?$search="displayName:t" OR "mail:t" OR "userPrincipalName:t"&$count=true` (§9b, D10).
 * The text is quoted per term and the whole value URL-encoded: whatever it contains, it stays text.
 */
export function searchUsersPath(text: string, top: number): string {
  const search = SEARCH_PROPERTIES.map((p) => quoteSearchTerm(p, text)).join(' OR ');
  return `/users?$search=${encodeURIComponent(search)}&$select=${USER_SUMMARY_SELECT.join(',')}&$count=true&$top=${top}`;
}

export interface UserSearchResult {
  users: UserSummary[];
  /** How many match in all (@odata.count); more than `users.length` when the page was cut at top. */
  count: number | null;
}

/** One page of matches, at most `top` (1..999). $search needs the advanced-query header (D10). */
export async function searchUsers(api: GraphApi, text: string, top: number): Promise<UserSearchResult> {
  const wanted = text.trim();
  if (wanted === '') throw new AppError('USAGE', 'give some text to search for');
  if (!Number.isInteger(top) || top < 1 || top > 999) throw new AppError('USAGE', '--top must be between 1 and 999');
  const body = await api.getJson(searchUsersPath(wanted, top), { ConsistencyLevel: 'eventual' });
  const parsed = userListSchema.safeParse(body);
  if (!parsed.success) throw new AppError('GRAPH_BAD_RESPONSE', 'Graph /users search answered without a value array');
  return {
    users: parsed.data.value.map((u) => parseUserSummary(u, '/users search')),
    count: parsed.data['@odata.count'] ?? null,
  };
}
