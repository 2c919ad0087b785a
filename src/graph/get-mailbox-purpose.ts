import { AppError } from '../core/app-error.js';
import type { GraphApi } from './create-graph-api.js';

/**
 * The mailbox purpose of one user: 'user', 'shared', 'room', 'equipment', … (graph-semantics §6,
 * D15), or null when the user has no Exchange Online mailbox (404 MailboxNotEnabledForRESTAPI, I18).
 * It cannot be selected on /users or tracked by delta (I17), hence one call per user; a missing
 * MailboxSettings.Read permission surfaces as GRAPH_FORBIDDEN for the caller to fall back on.
 */
export async function getMailboxPurpose(api: GraphApi, userId: string): Promise<string | null> {
  try {
    const body = (await api.getJson(`/users/${encodeURIComponent(userId)}/mailboxSettings/userPurpose`)) as { value?: unknown };
    return typeof body.value === 'string' ? body.value : null;
  } catch (err) {
    if (err instanceof AppError && err.details['status'] === 404) return null;
    throw err;
  }
}
