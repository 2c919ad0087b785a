import { queryOption } from './mock-http.js';

const isDelta = (s: string | undefined) => s !== undefined && /^(microsoft\.graph\.)?delta(\(\))?$/.test(s);

/**
 * Resource units one Graph request costs in the identity service's token bucket (D8): base cost
 * `users` 2, `groups/{id}/members` 3, `groups/{id}/transitiveMembers` 5, any other identity GET 1;
 * `$select` −1, `$expand` +1, `$top` < 20 −1; never below 1. users/delta and groups/delta are not
 * in the table, so they are "other" reads: 1, which is also what they cost with `$select` [inf].
 * `query` must be the request's effective options (a list nextLink's are inside its skiptoken).
 */
export function resourceUnitCost(method: string, segments: readonly string[], query: URLSearchParams): number {
  const [a, b, c] = segments;
  let cost = 1;
  if (method === 'GET' && a === 'users' && segments.length <= 2 && !isDelta(b)) cost = 2;
  else if (method === 'GET' && a === 'groups' && c === 'members' && segments.length === 3) cost = 3;
  else if (method === 'GET' && a === 'groups' && c === 'transitiveMembers' && segments.length === 3) cost = 5;
  if (queryOption(query, '$select') !== undefined) cost -= 1;
  if (queryOption(query, '$expand') !== undefined) cost += 1;
  const top = Number(queryOption(query, '$top'));
  if (Number.isInteger(top) && top > 0 && top < 20) cost -= 1;
  return Math.max(1, cost);
}
