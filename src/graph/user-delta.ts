import { z } from 'zod';
import { MAPPABLE_USER_ATTRIBUTES } from '../config/user-attributes.js';
import type { UserChange } from '../core/directory-change.js';

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

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const itemSchema = z.looseObject({
  id: z.string().min(1),
  '@removed': z.looseObject({ reason: z.string() }).optional(),
  accountEnabled: z.boolean().nullable().optional(),
  onPremisesExtensionAttributes: z.record(z.string(), scalar).nullable().optional(),
});

/** Parses one item, or explains why it cannot be used (the caller logs and skips it). */
export function parseUserChange(raw: unknown): { ok: true; change: UserChange } | { ok: false; reason: string; id: string | null } {
  const parsed = itemSchema.safeParse(raw);
  if (!parsed.success) {
    const id = typeof (raw as { id?: unknown } | null)?.id === 'string' ? (raw as { id: string }).id : null;
    return { ok: false, id, reason: `unreadable user item: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  }
  const item = parsed.data;
  if (item['@removed']) {
    // changed = soft-deleted and restorable; deleted = gone for good (D1, D2). Anything else is
    // treated as the stronger case: never resurrect on an unknown reason.
    const reason = item['@removed'].reason === 'changed' ? 'changed' : 'deleted';
    return { ok: true, change: { kind: 'removed', id: item.id.toLowerCase(), reason } };
  }
  const attributes: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(item)) {
    if (key === 'id' || key.startsWith('@') || key.includes('@odata')) continue;
    if (key === 'onPremisesExtensionAttributes') {
      // The complex property comes back whole when any part changes (D1 on extensions), so each
      // extensionAttributeN present is authoritative; a null complex value clears all of them.
      const ext = item.onPremisesExtensionAttributes;
      for (let n = 1; n <= 15; n += 1) {
        const name = `extensionAttribute${n}`;
        if (ext === null) attributes[`onPremisesExtensionAttributes.${name}`] = null;
        else if (ext && name in ext) attributes[`onPremisesExtensionAttributes.${name}`] = textOf(ext[name]);
      }
      continue;
    }
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      attributes[key] = textOf(value);
    }
    // Arrays and other complex values (businessPhones, …) are not mappable; ignore them.
  }
  return { ok: true, change: { kind: 'upsert', id: item.id.toLowerCase(), attributes } };
}

function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return String(value);
}
