import type { GraphApi } from './create-graph-api.js';
import { quoteODataString } from './odata-escape.js';
import { parseUserSummary, USER_SUMMARY_SELECT, userListSchema, type UserSummary } from './user-summary.js';
import { AppError } from '../core/app-error.js';

/** `GET /users?$filter=mail eq '<mail>'`: admins often type the email, which need not be the UPN. */
export function findUserByMailPath(mail: string): string {
  return `/users?$filter=${encodeURIComponent(`mail eq ${quoteODataString(mail)}`)}&$select=${USER_SUMMARY_SELECT.join(',')}&$top=2`;
}

/** The one user with that mail; null when none. Two users with one mail is ambiguous, so null too. */
export async function findUserByMail(api: GraphApi, mail: string): Promise<UserSummary | null> {
  const parsed = userListSchema.safeParse(await api.getJson(findUserByMailPath(mail)));
  if (!parsed.success) throw new AppError('GRAPH_BAD_RESPONSE', 'Graph /users?$filter answered without a value array');
  const [only, second] = parsed.data.value;
  return only !== undefined && second === undefined ? parseUserSummary(only, '/users?$filter') : null;
}
