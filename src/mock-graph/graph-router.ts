import { handleAdminRoute } from './admin-routes.js';
import { applyFault, carriesDeltaToken, statusFault } from './apply-fault.js';
import { handleBatch } from './batch-route.js';
import { graphError } from './graph-error.js';
import { ROLES, matchGraphRoute } from './graph-routes.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { effectiveListQuery } from './list-routes.js';
import { handleLoginRoute } from './login-routes.js';
import type { MockContext } from './mock-context.js';
import { type MockRequest, type MockResponse } from './mock-http.js';
import { resourceUnitCost } from './resource-units.js';

const VERSIONS = new Set(['v1.0', 'beta']);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Route key for stats: ids become `{id}` so counts group by endpoint, not by object. */
export function routeKey(req: MockRequest): string {
  const path = req.path.split('/').map((s) => (GUID.test(s) ? '{id}' : s)).join('/');
  return `${req.method} ${path}`;
}

/** Version-qualified route key for a request already split into segments (also `$batch` items). */
export function graphRouteKey(method: string, version: string, segments: readonly string[]): string {
  return `${method} /${[version, ...segments].map((s) => (GUID.test(s) ? '{id}' : s)).join('/')}`;
}

function isGraphPath(path: string): boolean {
  const version = path.split('/')[1];
  return version !== undefined && VERSIONS.has(version);
}

/** Every request enters here: admin API, then faults, then login or Graph. */
export async function handleRequest(ctx: MockContext, req: MockRequest): Promise<MockResponse> {
  if (req.path.startsWith('/_mock/')) return handleAdminRoute(ctx, req);
  ctx.stats.count(routeKey(req));
  // Real time, not ctx.clock: the bench measures wall time, and one HTTP round trip pays it once.
  if (ctx.options.latencyMs > 0 && isGraphPath(req.path)) await sleep(ctx.options.latencyMs);
  const target = `${req.path}${req.query.size > 0 ? `?${req.query.toString()}` : ''}`;
  const fault = ctx.faults.take(req.method, target, (kind) => kind !== 'expired-token' || carriesDeltaToken(req));
  const normal = () => dispatch(ctx, req);
  return fault ? applyFault(ctx, req, fault, normal) : normal();
}

async function dispatch(ctx: MockContext, req: MockRequest): Promise<MockResponse> {
  const login = handleLoginRoute(ctx, req);
  if (login) return login;
  const segments = req.path.split('/').filter((s) => s.length > 0);
  const [version, ...rest] = segments;
  if (version === undefined || !VERSIONS.has(version)) {
    return graphError(404, 'NotFound', `No route for ${req.method} ${req.path}.`, { now: ctx.clock.now() });
  }
  return handleGraph(ctx, req, version, rest);
}

/** Authenticates, throttles and runs one Graph request (also each `$batch` item). */
export async function handleGraph(ctx: MockContext, req: MockRequest, version: string, segments: string[]): Promise<MockResponse> {
  const opts = { clientRequestId: req.headers['client-request-id'], now: ctx.clock.now() };
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers['authorization'] ?? '')?.[1];
  // D9: a missing or invalid bearer token is 401 InvalidAuthenticationToken.
  if (!bearer) return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.', { ...opts, headers: wwwAuthenticate() });
  const token = ctx.tokens.lookup(bearer);
  if (!token) return graphError(401, 'InvalidAuthenticationToken', 'IDX14100: JWT is not well formed, there are no dots (.).', { ...opts, headers: wwwAuthenticate() });
  if (token.expiresAt <= ctx.clock.now().getTime()) {
    return graphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', { ...opts, headers: wwwAuthenticate() });
  }
  if (req.method === 'POST' && segments.length === 1 && segments[0] === '$batch') return handleBatch(ctx, req, version);
  const route = matchGraphRoute(ctx, req, version, segments);
  if (!route) return graphError(400, 'BadRequest', `Resource not found for the segment '${segments.join('/')}'.`, opts);
  if (route.family && !ROLES[route.family].some((r) => token.roles.includes(r))) {
    return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.', opts);
  }
  // D8: only requests over the budget are throttled; Retry-After says when the window reopens.
  const key = `${token.clientId}/${token.directoryId}`;
  const wait = ctx.faults.charge(key, ctx.clock.now().getTime());
  if (wait !== null) {
    ctx.stats.throttled += 1;
    return statusFault(ctx, req, 429, undefined, Number(wait.toFixed(3)));
  }
  const res = route.run();
  const usage = ctx.faults.usage(key);
  if (res.kind !== 'reset' && res.status < 400) {
    // D8: what the request cost goes in x-ms-resource-unit on success; the limit percentage only above 0.8.
    const units = resourceUnitCost(req.method, segments, effectiveListQuery(ctx, req));
    ctx.stats.charge(graphRouteKey(req.method, version, segments), units);
    res.headers = { ...res.headers, 'x-ms-resource-unit': String(units), ...(usage !== null && usage > 0.8 ? { 'x-ms-throttle-limit-percentage': usage.toFixed(1) } : {}) };
  }
  return res;
}

function wwwAuthenticate(): Record<string, string> {
  return { 'www-authenticate': 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"' };
}
