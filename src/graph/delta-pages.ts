import { z } from 'zod';
import { AppError } from '../core/app-error.js';
import type { GraphApi } from './create-graph-api.js';
import { safePath } from './graph-error.js';

export interface DeltaPage {
  /** Raw items; parse them with the stream's own parser (users and groups differ). */
  items: unknown[];
  nextLink: string | null;
  /** Present only on the last page of a round (D1). */
  deltaLink: string | null;
  /** 0-based page number within the round. */
  index: number;
}

// Passthrough: pages carry @odata.context and other annotations we do not validate (D17).
const pageSchema = z.looseObject({
  value: z.array(z.unknown()),
  '@odata.nextLink': z.string().url().optional(),
  '@odata.deltaLink': z.string().url().optional(),
});

/**
 * One delta round as a stream of pages: start at `startUrl` (the first query or a stored
 * deltaLink) and follow each `@odata.nextLink` verbatim until a page carries the
 * `@odata.deltaLink` (D1, D6), even through empty pages (D1, D2). The next page is requested while
 * the caller is still writing the current one, so pulling and mirroring overlap.
 */
export function deltaPages(api: GraphApi, startUrl: string): AsyncGenerator<DeltaPage> {
  return pages(api, startUrl, 'delta');
}

/**
 * The pages of a plain collection (`GET /users?$top=999`, `/groups/{id}/members`): nextLinks until
 * there are none (D6), with the same prefetch. deltaLink is always null.
 */
export function collectionPages(api: GraphApi, startUrl: string, headers?: Record<string, string>): AsyncGenerator<DeltaPage> {
  return pages(api, startUrl, 'collection', headers);
}

async function* pages(api: GraphApi, startUrl: string, kind: 'delta' | 'collection', headers?: Record<string, string>): AsyncGenerator<DeltaPage> {
  let pending: Promise<DeltaPage> | null = fetchPage(api, startUrl, 0, kind, headers);
  while (pending) {
    const page: DeltaPage = await pending;
    // Headers such as ConsistencyLevel are not carried into nextLinks; send them again (D6).
    pending = page.nextLink ? guard(fetchPage(api, page.nextLink, page.index + 1, kind, headers)) : null;
    yield page;
  }
}

async function fetchPage(api: GraphApi, url: string, index: number, kind: 'delta' | 'collection', headers?: Record<string, string>): Promise<DeltaPage> {
  const json = await api.getJson(url, headers);
  return readPage(json, url, index, kind);
}

/** One delta page as Graph sent it, checked: a value array and exactly one of nextLink and deltaLink (D1). */
export function readDeltaPage(json: unknown, url: string, index: number): DeltaPage {
  return readPage(json, url, index, 'delta');
}

function readPage(json: unknown, url: string, index: number, kind: 'delta' | 'collection'): DeltaPage {
  const parsed = pageSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('GRAPH_BAD_RESPONSE', `Graph ${safePath(url)} returned a delta page without a value array`, {
      details: { issues: parsed.error.issues.slice(0, 3).map((i) => i.message) },
    });
  }
  const nextLink = parsed.data['@odata.nextLink'] ?? null;
  const deltaLink = parsed.data['@odata.deltaLink'] ?? null;
  if (kind === 'collection') return { items: parsed.data.value, nextLink, deltaLink: null, index };
  // "A page can't contain both" and a round never just stops (D1): either is a broken answer.
  if ((nextLink === null) === (deltaLink === null)) {
    throw new AppError(
      'GRAPH_BAD_RESPONSE',
      `Graph ${safePath(url)} returned a delta page with ${nextLink ? 'both a nextLink and a deltaLink' : 'neither a nextLink nor a deltaLink'}`,
    );
  }
  return { items: parsed.data.value, nextLink, deltaLink, index };
}

/** A prefetch the caller may never await (it stopped early or failed): keep its rejection handled. */
function guard<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
