import { createHash } from 'node:crypto';

/** Identifies the query behind a stored delta link: a link from a different query is not reused. */
export function queryHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
