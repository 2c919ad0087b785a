import { graphError } from './graph-error.js';
import { deltaSelectError, parseSelect } from './known-properties.js';
import type { MockContext } from './mock-context.js';
import { queryOption, type MockRequest, type MockResponse } from './mock-http.js';
import { deltaLinkSchema, deltaStateSchema, type DeltaLinkState, type DeltaState } from './state-token-codec.js';

export type DeltaResource = 'users' | 'groups';

export type DeltaStart =
  | { kind: 'round'; state: DeltaState }
  /** `$deltatoken=latest`: no data, just a link meaning "now" (D1). */
  | { kind: 'latest'; link: DeltaLinkState }
  | { kind: 'error'; response: MockResponse };

const MS_PER_DAY = 86_400_000;

/** Turns a delta request (first call, nextLink or deltaLink) into the state of the page to build. */
export function resolveDeltaRequest(ctx: MockContext, req: MockRequest, resource: DeltaResource): DeltaStart {
  const bad = (code: string, message: string): DeltaStart => ({ kind: 'error', response: graphError(400, code, message, { clientRequestId: req.headers['client-request-id'], now: ctx.clock.now() }) });
  // D1: $expand and $orderby are not supported on delta; the error for them is [inf]. $top is ignored (I2).
  for (const opt of ['$expand', '$orderby']) {
    if (queryOption(req.query, opt) !== undefined) return bad('Request_UnsupportedQuery', `${opt} is not supported for delta query.`);
  }
  const rawSelect = queryOption(req.query, '$select');
  const rawFilter = queryOption(req.query, '$filter');
  const skip = queryOption(req.query, '$skiptoken');
  if (skip !== undefined) {
    // D1: "$select with $skiptoken is not supported"; query options belong to the first request only (D4).
    if (rawSelect !== undefined || rawFilter !== undefined) return bad('BadRequest', 'Query options cannot be combined with a $skiptoken.');
    const state = ctx.codec.decode(skip, deltaStateSchema);
    if (!state || state.resource !== resource) return bad('Directory_ExpiredPageToken', 'The specified page token value has expired and can no longer be included in your request.');
    if (state.generation !== ctx.tokenGeneration) return expired(ctx, req);
    return { kind: 'round', state };
  }
  const select = parseSelect(rawSelect);
  if (select) {
    const message = deltaSelectError(resource, select);
    if (message) return bad('BadRequest', message);
  }
  let ids: string[] | null = null;
  if (rawFilter !== undefined) {
    const parsed = parseIdFilter(rawFilter);
    // I7: anything but `id eq` on delta is "Unsupported Query."
    if (!parsed) return bad('Request_UnsupportedQuery', 'Unsupported Query.');
    // D4/D5: "a limit of 50 filtered objects"; the error's shape is [inf].
    if (parsed.length > ctx.options.filterIdLimit) {
      return bad('Request_UnsupportedQuery', `The number of ids in $filter (${parsed.length}) exceeds the limit of ${ctx.options.filterIdLimit}.`);
    }
    ids = parsed;
  }
  const now = ctx.clock.now().getTime();
  const delta = queryOption(req.query, '$deltatoken');
  const fresh = (since: number | null, sel: string[] | null, idList: string[] | null): DeltaStart => ({
    kind: 'round',
    state: {
      resource, since, upTo: ctx.directory.currentSeq, phase: 'main', tailUpTo: null, cursor: 0, memberOffset: 0,
      page: 0, select: sel, ids: idList, issuedAt: now, generation: ctx.tokenGeneration,
    },
  });
  // D1: an empty $deltatoken (the Location of a 410 reset) means "start over"; no token = first round.
  if (delta === undefined || delta === '') return fresh(null, select ?? null, ids);
  if (delta.toLowerCase() === 'latest') {
    return { kind: 'latest', link: { resource, since: ctx.directory.currentSeq, select: select ?? null, ids, issuedAt: now, generation: ctx.tokenGeneration } };
  }
  const link = ctx.codec.decode(delta, deltaLinkSchema);
  if (!link || link.resource !== resource || link.generation !== ctx.tokenGeneration) return expired(ctx, req);
  // D1/B1: directory delta tokens live seven days.
  if (now - link.issuedAt > ctx.options.deltaTokenMaxAgeDays * MS_PER_DAY) return expired(ctx, req);
  // D1: $select on a deltaLink may change the tracked properties.
  return fresh(link.since, select ?? link.select, ids ?? link.ids);
}

/** B1: 400 syncStateNotFound by default; configurable to I10's 410 SyncStateNotFound or D9's resyncRequired. */
export function expired(ctx: MockContext, req: MockRequest, override?: { status?: number; code?: string; resetLocation?: boolean }): DeltaStart {
  const status = override?.status ?? ctx.options.expiredToken.status;
  const code = override?.code ?? (override?.status === 410 ? 'SyncStateNotFound' : ctx.options.expiredToken.code);
  const headers: Record<string, string> = {};
  if (override?.resetLocation) {
    // D1 reset: 410 Gone with a Location holding the initial URL with an empty $deltatoken.
    headers['location'] = `${ctx.baseUrl}${req.path}?$deltatoken=`;
  }
  return {
    kind: 'error',
    response: graphError(status, code, ctx.options.expiredToken.message, { clientRequestId: req.headers['client-request-id'], now: ctx.clock.now(), headers }),
  };
}

/** Parses `id eq '…' or id eq '…'`; undefined for anything else. */
export function parseIdFilter(filter: string): string[] | undefined {
  const ids: string[] = [];
  for (const part of filter.split(/\s+or\s+/i)) {
    const m = /^\s*\(?\s*id\s+eq\s+'([^']+)'\s*\)?\s*$/i.exec(part);
    if (!m?.[1]) return undefined;
    ids.push(m[1]);
  }
  return ids;
}
