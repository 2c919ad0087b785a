import type { Db } from './open-store.js';
import { recordAudit } from './record-audit.js';
import { provisioningLog, type LogAction } from './schema.js';

export interface AdminUserChange {
  tenantId: number;
  actor: string;
  /** The audit verb, such as `user.adopt`. */
  auditAction: string;
  user: { email: string; entraObjectId: string | null };
  /** null: the user did not exist before (a manual import). */
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
  /** The user's provisioning-log row: what `log --user` shows. Its detail names the actor, then `detail` or else `before`. */
  log: { action: LogAction; reason: string; detail?: Record<string, unknown> };
}

/**
 * An admin's change to one inSync user, written the same way by every command that makes one: an
 * audit event (who, before, after) and a provisioning-log row outside any run, so that a user's
 * history shows it next to the sync's actions. Call it inside the transaction that makes the change.
 */
export async function recordUserChange(db: Db, change: AdminUserChange): Promise<void> {
  const { tenantId, actor, user } = change;
  await recordAudit(db, { tenantId, actor, action: change.auditAction, target: user.email, before: change.before, after: change.after });
  await db.insert(provisioningLog).values({
    tenantId, runId: null, entraObjectId: user.entraObjectId, email: user.email, action: change.log.action, reason: change.log.reason,
    detail: { actor, ...(change.log.detail ?? { before: change.before }) },
  });
}
