/**
 * An Entra object id: a GUID in its canonical text form, as Graph writes every directory object's
 * id. The store keeps object ids as uuid (schema.ts), so an item whose id is anything else is
 * refused where Graph's answer is parsed, and logged and skipped there like any unreadable item,
 * rather than failing a whole page's write.
 */
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isObjectId(value: string): boolean {
  return OBJECT_ID.test(value);
}

export const OBJECT_ID_PROBLEM = 'id must be a GUID';
