import type { GraphApi } from './create-graph-api.js';
import { collectionPages } from './delta-pages.js';
import { USER_SELECT } from './user-delta.js';

/**
 * Every current user, 999 a page (the most Graph gives: D16), with the same $select as the users
 * delta stream so that items parse the same way. Soft-deleted users are not listed, which is what a
 * full round means too.
 */
export function listUserPages(api: GraphApi) {
  return collectionPages(api, `/users?$select=${USER_SELECT.join(',')}&$top=999`);
}
