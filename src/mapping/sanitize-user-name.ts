/** Characters inSync refuses in a user name; each becomes '_' (insync-behaviour "User name characters", S30/S55). */
const FORBIDDEN = /[?*/\\<>]/g;

/** Used when neither the name nor the caller's fallback leaves anything to show. */
export const UNNAMED_USER = 'unnamed user';

/**
 * The inSync `userName` for a display name: forbidden characters replaced, outer spaces trimmed.
 * A missing or blank name falls back to `fallback` (decideUser passes the email's local part),
 * itself sanitised, then to UNNAMED_USER.
 */
export function sanitizeUserName(name: string | null | undefined, fallback?: string): string {
  const cleaned = (name ?? '').replace(FORBIDDEN, '_').trim();
  if (cleaned !== '') return cleaned;
  const alt = (fallback ?? '').replace(FORBIDDEN, '_').trim();
  return alt !== '' ? alt : UNNAMED_USER;
}
