import { z } from 'zod';
import { applyFault, carriesDeltaToken } from './apply-fault.js';
import { graphError } from './graph-error.js';
import { graphRouteKey, handleGraph } from './graph-router.js';
import type { MockContext } from './mock-context.js';
import { json, serialiseBody, type MockRequest, type MockResponse } from './mock-http.js';

const batchSchema = z.object({
  requests: z.array(z.object({
    id: z.string(),
    method: z.string(),
    url: z.string(),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.unknown().optional(),
  })),
});

/** JSON batching caps a batch at 20 requests (graph-semantics §9b). */
const MAX_BATCH = 20;

/**
 * `POST /$batch`: each item runs on its own, with its own faults and throttling, so a batch can
 * hold a 429 next to 200s (§9b). Inner requests inherit the outer bearer token.
 */
export async function handleBatch(ctx: MockContext, req: MockRequest, version: string): Promise<MockResponse> {
  const opts = { clientRequestId: req.headers['client-request-id'], now: ctx.clock.now() };
  let parsed: z.infer<typeof batchSchema>;
  try {
    const result = batchSchema.safeParse(JSON.parse(req.body));
    if (!result.success) return graphError(400, 'BadRequest', 'Invalid batch payload format.', opts);
    parsed = result.data;
  } catch {
    return graphError(400, 'BadRequest', 'Invalid batch payload format.', opts);
  }
  if (parsed.requests.length > MAX_BATCH) return graphError(400, 'BadRequest', `The number of batch requests exceeds the limit of ${MAX_BATCH}.`, opts);
  const responses = [];
  for (const item of parsed.requests) {
    const url = new URL(item.url.startsWith('/') ? item.url : `/${item.url}`, 'http://batch.invalid');
    const inner: MockRequest = {
      method: item.method.toUpperCase(),
      // Inner URLs are relative to the version root; links built from the path (nextLinks) must be
      // absolute with the version, as Graph's are inside a batch answer.
      path: `/${version}${decodeURIComponent(url.pathname)}`,
      query: url.searchParams,
      headers: { ...lowerKeys(item.headers ?? {}), authorization: req.headers['authorization'] },
      body: item.body === undefined ? '' : JSON.stringify(item.body),
    };
    const segments = decodeURIComponent(url.pathname).split('/').filter((s) => s.length > 0);
    ctx.stats.countBatched(graphRouteKey(inner.method, version, segments));
    const target = `${inner.path}${url.search}`;
    const fault = ctx.faults.take(inner.method, target, (kind) => kind !== 'expired-token' || carriesDeltaToken(inner), true);
    const run = () => handleGraph(ctx, inner, version, segments);
    const res = fault ? await applyFault(ctx, inner, fault, run) : await run();
    responses.push(toBatchItem(item.id, res));
  }
  // §9b: answers may come in any order; 'reversed' makes a client that assumes request order fail.
  if (ctx.options.quirks.batchResponseOrder === 'reversed') responses.reverse();
  return json(200, { responses });
}

function toBatchItem(id: string, res: MockResponse): { id: string; status: number; headers: Record<string, string>; body: unknown } {
  // A reset cannot cut one item of a batch; it surfaces as that item's 503.
  if (res.kind === 'reset') return { id, status: 503, headers: {}, body: { error: { code: 'serviceNotAvailable', message: 'Connection reset.' } } };
  const headers = { 'content-type': 'application/json', ...res.headers };
  return { id, status: res.status, headers, body: res.kind === 'json' ? res.body : serialiseBody(res) };
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}
