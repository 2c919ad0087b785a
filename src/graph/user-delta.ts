import { MAPPABLE_USER_ATTRIBUTES } from '../config/user-attributes.js';
import type { UserChange } from '../core/directory-change.js';
import { isObjectId, OBJECT_ID_PROBLEM } from '../core/object-id.js';

/**
 * Always an explicit $select (graph-semantics §1.2, §11.1): without it Graph tracks only a default
 * set, and userType, accountEnabled and onPremisesExtensionAttributes are returned only when
 * selected (D13). All of these are accepted by users/delta (I21, I22).
 */
export const USER_SELECT: readonly string[] = [
  ...new Set(['id', 'accountEnabled', 'creationType', 'onPremisesExtensionAttributes', ...MAPPABLE_USER_ATTRIBUTES]),
];

export function usersDeltaPath(): string {
  return `/users/delta?$select=${USER_SELECT.join(',')}`;
}

/** What one users/delta item says about one user. */
export type { UserChange };

type Scalar = string | number | boolean | null;
interface UserItem {
  id: string;
  '@removed'?: { reason: string };
  accountEnabled?: boolean | null;
  onPremisesExtensionAttributes?: Record<string, Scalar> | null;
  [key: string]: unknown;
}

/**
 * Checks the few properties whose type we rely on. Hand-written rather than a schema: it runs once
 * per user per round, and at a million users a schema library's generic walk cost ~30 µs a user,
 * a tenth of the importer's CPU.
 */
function readUserItem(raw: unknown): { ok: true; item: UserItem } | { ok: false; problem: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, problem: 'expected an object' };
  const item = raw as Record<string, unknown>;
  if (typeof item['id'] !== 'string' || item['id'].length === 0) return { ok: false, problem: 'id must be a non-empty string' };
  if (!isObjectId(item['id'])) return { ok: false, problem: OBJECT_ID_PROBLEM };
  const removed = item['@removed'];
  if (removed !== undefined && (typeof removed !== 'object' || removed === null || typeof (removed as { reason?: unknown }).reason !== 'string')) {
    return { ok: false, problem: '@removed must be an object with a reason' };
  }
  const enabled = item['accountEnabled'];
  if (enabled !== undefined && enabled !== null && typeof enabled !== 'boolean') return { ok: false, problem: 'accountEnabled must be true, false or null' };
  const ext = item['onPremisesExtensionAttributes'];
  if (ext !== undefined && ext !== null && !isScalarRecord(ext)) {
    return { ok: false, problem: 'onPremisesExtensionAttributes must be an object of plain values or null' };
  }
  return { ok: true, item: item as UserItem };
}

function isScalarRecord(value: unknown): value is Record<string, Scalar> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const key in value) if (!isScalar((value as Record<string, unknown>)[key])) return false;
  return true;
}

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/**
 * Parses one item, or explains why it cannot be used (the caller logs and skips it). In a `full`
 * round the item is the whole object, and a null property is one not set, as one left out is
 * (D4, I16): nulls are dropped here, where they would otherwise be stored, copied and dropped
 * later (the list path gets ~20 of them a user). A later round keeps them: null there clears a
 * value (D4).
 */
export function parseUserChange(raw: unknown, round: 'full' | 'incremental' = 'incremental'): { ok: true; change: UserChange } | { ok: false; reason: string; id: string | null } {
  const parsed = readUserItem(raw);
  if (!parsed.ok) {
    const id = typeof (raw as { id?: unknown } | null)?.id === 'string' ? (raw as { id: string }).id : null;
    return { ok: false, id, reason: `unreadable user item: ${parsed.problem}` };
  }
  const item = parsed.item;
  if (item['@removed']) {
    // changed = soft-deleted and restorable; deleted = gone for good (D1, D2). Anything else is
    // treated as the stronger case: never resurrect on an unknown reason.
    const reason = item['@removed'].reason === 'changed' ? 'changed' : 'deleted';
    return { ok: true, change: { kind: 'removed', id: item.id.toLowerCase(), reason } };
  }
  // Plain loops, no entry arrays or callbacks: this runs for every user of every round, and at
  // ~25 properties a user those allocations were most of its cost (about 5 µs a user in a loop,
  // more than JSON.parse of the page; 3 µs without them). Items come from JSON.parse, so for-in
  // sees only their own properties.
  const keepNulls = round === 'incremental';
  const attributes: Record<string, string | null> = {};
  for (const key in item) {
    if (key === 'id' || key.charCodeAt(0) === AT || key.includes('@odata')) continue;
    const value = item[key];
    if (key === 'onPremisesExtensionAttributes') {
      // The complex property comes back whole when any part changes (D1 on extensions), so each
      // extensionAttributeN present is authoritative; a null complex value clears all of them.
      const ext = item.onPremisesExtensionAttributes;
      if (!ext && !keepNulls) continue;
      for (let n = 0; n < EXTENSION_NAMES.length; n += 1) {
        const name = EXTENSION_NAMES[n] as string;
        const flat = FLAT_EXTENSION_NAMES[n] as string;
        if (ext === null) attributes[flat] = null;
        else if (ext && name in ext) {
          const text = textOf(ext[name]);
          if (text !== null || keepNulls) attributes[flat] = text;
        }
      }
      continue;
    }
    if (value === null) {
      if (keepNulls) attributes[key] = null;
    } else if (typeof value === 'string') attributes[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') attributes[key] = String(value);
    // Arrays and other complex values (businessPhones, …) are not mappable; ignore them.
  }
  return { ok: true, change: { kind: 'upsert', id: item.id.toLowerCase(), attributes } };
}

const AT = '@'.charCodeAt(0);

const EXTENSION_NAMES = Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`);
const FLAT_EXTENSION_NAMES = EXTENSION_NAMES.map((name) => `onPremisesExtensionAttributes.${name}`);

function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return String(value);
}
