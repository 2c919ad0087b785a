import { eq } from 'drizzle-orm';
import { AppError } from '../core/app-error.js';
import type { Logger } from '../core/logger.js';
import type { Db } from '../store/open-store.js';
import { syncRuns, tenants } from '../store/schema.js';
import { applyActions } from './apply-actions.js';
import type { TenantRow } from './check-preconditions.js';
import type { SafetyTripped } from './safety-tripped.js';
import type { SyncCounts } from './sync-counts.js';

export interface QuarantineInput {
  tenant: TenantRow;
  runId: number;
  tripped: SafetyTripped;
  counts: SyncCounts;
  graphRequests: number;
  now: Date;
  logger: Logger;
}

/**
 * After a safety trip rolled the run's inSync writes back: mark the tenant quarantined, record the
 * run, and log every user it would have preserved, so that an admin can judge the cause. Returns
 * the error the caller throws, which says how to proceed.
 */
export async function recordQuarantine(db: Db, input: QuarantineInput): Promise<AppError> {
  const { tenant, runId, tripped, now } = input;
  const message =
    `safety limit: ${tripped.verdict.reason}. Nothing was written and tenant "${tenant.name}" is quarantined. ` +
    `Check the users it would have preserved (entra-import log ${tenant.name} --run ${runId}); if this is right, run ` +
    `\`entra-import sync ${tenant.name} --allow-preserve\` once, or raise "safety" in the tenant file.`;
  await db.transaction(async (tx) => {
    await tx.update(tenants).set({ state: 'quarantined', stateReason: tripped.verdict.reason, updatedAt: now }).where(eq(tenants.id, tenant.id));
    await tx.update(syncRuns)
      .set({ status: 'quarantined', finishedAt: now, counts: { ...input.counts }, graphRequests: input.graphRequests, errorCode: 'SAFETY_LIMIT', errorMessage: message })
      .where(eq(syncRuns.id, runId));
    await applyActions(tx, tenant.id, runId, tripped.preserves.map((p) => ({
      action: 'skip' as const, entraObjectId: p.entraObjectId, email: p.email, reason: 'SAFETY_LIMIT' as const,
      detail: { wouldPreserve: p.reason },
    })));
  });
  input.logger.error({ code: 'SAFETY_LIMIT', preserves: tripped.verdict.preserves, activeBefore: tripped.verdict.activeBefore }, 'safety limit tripped; tenant quarantined');
  return new AppError('SAFETY_LIMIT', message, { details: { ...tripped.verdict } });
}
