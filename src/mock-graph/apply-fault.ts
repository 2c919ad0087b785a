import { expired } from './delta-request.js';
import type { ActiveFault } from './fault-controller.js';
import { defaultErrorFor, graphError } from './graph-error.js';
import type { MockContext } from './mock-context.js';
import { queryOption, serialiseBody, type MockRequest, type MockResponse } from './mock-http.js';

/** 'expired-token' applies only to requests that carry a real delta token (not `latest`). */
export function carriesDeltaToken(req: MockRequest): boolean {
  const token = queryOption(req.query, '$deltatoken');
  return /\/(users|groups)\/(microsoft\.graph\.)?delta/.test(req.path) && token !== undefined && token !== '' && token.toLowerCase() !== 'latest';
}

/**
 * Turns a fired fault into a response. `normal` computes the real answer, used by 'malformed' (a
 * truncated copy of the real body with 200) and by 'delay' (the real answer, late).
 */
export async function applyFault(ctx: MockContext, req: MockRequest, fault: ActiveFault, normal: () => Promise<MockResponse>): Promise<MockResponse> {
  ctx.stats.faultsFired += 1;
  switch (fault.kind) {
    case 'reset':
      return { kind: 'reset' };
    case 'delay':
      await ctx.clock.sleep(fault.delayMs ?? 1000);
      return normal();
    case 'malformed': {
      const res = await normal();
      if (res.kind === 'reset') return res;
      const text = serialiseBody(res);
      return { kind: 'raw', status: 200, headers: { 'content-type': 'application/json' }, body: text.slice(0, Math.max(1, Math.floor(text.length / 2))) };
    }
    case 'expired-token': {
      const out = expired(ctx, req, { ...(fault.status !== undefined ? { status: fault.status } : {}), ...(fault.graphCode !== undefined ? { code: fault.graphCode } : {}), resetLocation: fault.resetLocation === true });
      return out.kind === 'error' ? out.response : normal();
    }
    case 'status':
      return statusFault(ctx, req, fault.status ?? 503, fault.graphCode, fault.retryAfter);
  }
}

/** D7/D8/D9: 429/503/504/500 bodies, with `Retry-After` when given and throttle headers on 429. */
export function statusFault(ctx: MockContext, req: MockRequest, status: number, graphCode: string | undefined, retryAfter: number | string | undefined): MockResponse {
  const def = defaultErrorFor(status);
  const headers: Record<string, string> = {};
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  if (status === 429) {
    headers['x-ms-throttle-scope'] = `Tenant_Application/ReadWrite/${ctx.seed.apps[0]?.clientId ?? 'app'}/${ctx.seed.directoryId}`;
    headers['x-ms-throttle-information'] = 'ResourceUnitLimitExceeded';
  }
  return graphError(status, graphCode ?? def.code, def.message, {
    clientRequestId: req.headers['client-request-id'], now: ctx.clock.now(), headers, ...(status === 429 ? { innerCode: '429' } : {}),
  });
}
