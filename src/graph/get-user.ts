import { AppError } from '../core/app-error.js';
import type { GraphApi } from './create-graph-api.js';
import { quoteODataString } from './odata-escape.js';
import { parseUserSummary, USER_SUMMARY_SELECT, type UserSummary } from './user-summary.js';

/**
 * `GET /users/{id | userPrincipalName}?$select=…`. A UPN that starts with `$` must use the key
 * form `/users('$x@y')` (Graph docs, "Get user"), where the UPN is an OData string literal.
 */
export function getUserPath(idOrUpn: string): string {
  const key = idOrUpn.startsWith('$') ? `(${encodeURIComponent(quoteODataString(idOrUpn))})` : `/${encodeURIComponent(idOrUpn)}`;
  return `/users${key}?$select=${USER_SUMMARY_SELECT.join(',')}`;
}

/** The user, or null when Graph does not know it (404: never existed, or deleted, which /users hides). */
export async function getUser(api: GraphApi, idOrUpn: string): Promise<UserSummary | null> {
  if (idOrUpn.trim() === '') throw new AppError('USAGE', 'an empty user id or UPN');
  try {
    return parseUserSummary(await api.getJson(getUserPath(idOrUpn)), '/users/{id}');
  } catch (err) {
    if (err instanceof AppError && err.details['status'] === 404) return null;
    throw err;
  }
}
