import { buildDeltaPage } from './delta-round.js';
import { resolveDeltaRequest, type DeltaResource } from './delta-request.js';
import type { MockContext } from './mock-context.js';
import { json, type MockRequest, type MockResponse } from './mock-http.js';

/** `GET /{version}/users/delta` and `/groups/delta` (also spelled `microsoft.graph.delta`, D1). */
export function handleDelta(ctx: MockContext, req: MockRequest, version: string, resource: DeltaResource): MockResponse {
  const start = resolveDeltaRequest(ctx, req, resource);
  if (start.kind === 'error') return start.response;
  const base = `${ctx.baseUrl}/${version}`;
  const select = start.kind === 'latest' ? start.link.select : start.state.select;
  const body: Record<string, unknown> = {
    // D17: the context can be wrong in real Graph; clients must not validate it.
    '@odata.context': `${base}/$metadata#${resource}${select ? `(${select.join(',')})` : ''}`,
  };
  if (start.kind === 'latest') {
    // D1: `$deltatoken=latest` answers no data, only a deltaLink meaning "from now on".
    body['@odata.deltaLink'] = `${base}/${resource}/delta?$deltatoken=${ctx.codec.encode(start.link)}`;
    body['value'] = [];
    return json(200, body);
  }
  // D4: `Prefer: return=minimal` drops unchanged properties, on deltaLink rounds only.
  const minimal = start.state.since !== null && /return=minimal/i.test(req.headers['prefer'] ?? '');
  const page = buildDeltaPage(ctx, resource, start.state, minimal || ctx.options.deltaUpdates === 'changed-only');
  // D1: a page carries a nextLink or a deltaLink, never both.
  if (page.next) body['@odata.nextLink'] = `${base}/${resource}/delta?$skiptoken=${ctx.codec.encode(page.next)}`;
  else if (page.deltaLink) body['@odata.deltaLink'] = `${base}/${resource}/delta?$deltatoken=${ctx.codec.encode(page.deltaLink)}`;
  body['value'] = page.value;
  return json(200, body, minimal ? { 'preference-applied': 'return=minimal' } : undefined);
}
