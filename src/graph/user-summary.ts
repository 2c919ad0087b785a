import { z } from 'zod';
import { AppError } from '../core/app-error.js';
import { isObjectId, OBJECT_ID_PROBLEM } from '../core/object-id.js';

/** The properties manual import reads and shows; eligibility needs userType and accountEnabled (§6, D13). */
export const USER_SUMMARY_SELECT = ['id', 'displayName', 'userPrincipalName', 'mail', 'userType', 'accountEnabled'] as const;

/** One directory user as search and import see it. Absent properties are null, never guessed (I16). */
export interface UserSummary {
  id: string;
  displayName: string | null;
  userPrincipalName: string | null;
  mail: string | null;
  userType: string | null;
  accountEnabled: boolean | null;
}

const text = z.string().nullable().optional();
const userSchema = z.looseObject({
  id: z.string().refine(isObjectId, { error: OBJECT_ID_PROBLEM }),
  displayName: text,
  userPrincipalName: text,
  mail: text,
  userType: text,
  accountEnabled: z.boolean().nullable().optional(),
});

export function parseUserSummary(raw: unknown, where: string): UserSummary {
  const parsed = userSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('GRAPH_BAD_RESPONSE', `Graph ${where} returned a user that cannot be read: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  const u = parsed.data;
  return {
    // The mirror and insync_users keep object ids lower-cased (user-delta.ts).
    id: u.id.toLowerCase(),
    displayName: u.displayName ?? null,
    userPrincipalName: u.userPrincipalName ?? null,
    mail: u.mail ?? null,
    userType: u.userType ?? null,
    accountEnabled: u.accountEnabled ?? null,
  };
}

export const userListSchema = z.looseObject({
  value: z.array(z.unknown()),
  '@odata.count': z.number().int().optional(),
});
