import type { Limiter } from './create-limiter.js';
import { runTenant, type TenantRunDeps, type TenantRunResult } from './run-tenant.js';
import { loadTenantPlans } from './schedulable-tenants.js';

export interface OnceOutcome {
  tenant: string;
  run: TenantRunResult | { outcome: 'not-scheduled'; reason: string };
}

/**
 * `daemon --once`: every schedulable tenant runs once now, whatever its schedule and backoff
 * (an operator asked for it), `limit` at a time. Quarantine and notices still apply.
 */
export async function runOnce(deps: TenantRunDeps & { limit: Limiter }): Promise<OnceOutcome[]> {
  const plans = await loadTenantPlans(deps.store);
  return Promise.all(plans.map(async ({ tenant, verdict }): Promise<OnceOutcome> => {
    if (!verdict.schedule) {
      deps.logger.warn({ tenant: tenant.name, reason: verdict.reason }, 'tenant not run');
      return { tenant: tenant.name, run: { outcome: 'not-scheduled', reason: verdict.reason } };
    }
    return { tenant: tenant.name, run: await deps.limit(() => runTenant(tenant, 'once', deps)) };
  }));
}
