import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/app-error.js';
import type { GraphApi } from '../../../src/graph/create-graph-api.js';
import { deltaPages, type DeltaPage } from '../../../src/graph/delta-pages.js';
import { emptyGraphStats } from '../../../src/graph/graph-stats.js';

const BASE = 'https://graph.example.test/v1.0';
const START = '/users/delta?$select=id,displayName';
const link = (token: string): string => `${BASE}/users/delta?$skiptoken=${token}`;
const DELTA = `${BASE}/users/delta?$deltatoken=final-Zx9`;

type Answer = unknown | Error;

/** A fake GraphApi answering from a script keyed by URL; records every call in order. */
function fakeApi(script: Record<string, Answer>, log: string[] = []): GraphApi & { calls: string[] } {
  const calls: string[] = [];
  return {
    baseUrl: BASE,
    stats: emptyGraphStats(),
    calls,
    postJson: () => Promise.reject(new Error('no POST expected')),
    async getJson(url: string): Promise<unknown> {
      calls.push(url);
      log.push(`get ${url}`);
      if (!(url in script)) throw new Error(`unexpected url ${url}`);
      const answer = script[url];
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

async function collect(api: GraphApi, start = START): Promise<DeltaPage[]> {
  const pages: DeltaPage[] = [];
  for await (const page of deltaPages(api, start)) pages.push(page);
  return pages;
}

async function failure(api: GraphApi): Promise<AppError> {
  try {
    await collect(api);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the round to fail');
}

describe('deltaPages', () => {
  it('follows nextLinks verbatim until the deltaLink (D1, D6)', async () => {
    const n1 = link('AAA%2Fb%3D%3D&extra=1');
    const n2 = `${BASE}/users/microsoft.graph.delta?$skiptoken=BBB`;
    const api = fakeApi({
      [START]: { '@odata.context': 'x', value: [{ id: '1' }, { id: '2' }], '@odata.nextLink': n1 },
      [n1]: { value: [{ id: '3' }], '@odata.nextLink': n2 },
      [n2]: { value: [{ id: '4' }], '@odata.deltaLink': DELTA },
    });
    const pages = await collect(api);
    expect(api.calls).toEqual([START, n1, n2]);
    expect(pages).toEqual([
      { items: [{ id: '1' }, { id: '2' }], nextLink: n1, deltaLink: null, index: 0 },
      { items: [{ id: '3' }], nextLink: n2, deltaLink: null, index: 1 },
      { items: [{ id: '4' }], nextLink: null, deltaLink: DELTA, index: 2 },
    ]);
  });

  it('passes through empty pages that carry a nextLink (D1, D2)', async () => {
    const api = fakeApi({
      [START]: { value: [], '@odata.nextLink': link('1') },
      [link('1')]: { value: [], '@odata.nextLink': link('2') },
      [link('2')]: { value: [{ id: 'late' }], '@odata.deltaLink': DELTA },
    });
    const pages = await collect(api);
    expect(pages.map((p) => p.items.length)).toEqual([0, 0, 1]);
    expect(pages.at(-1)?.deltaLink).toBe(DELTA);
  });

  it('a "sync from now" answer is one empty page with a deltaLink (D1 $deltatoken=latest)', async () => {
    const api = fakeApi({ [START]: { value: [], '@odata.deltaLink': DELTA } });
    expect(await collect(api)).toEqual([{ items: [], nextLink: null, deltaLink: DELTA, index: 0 }]);
  });

  it.each<[string, unknown, RegExp]>([
    ['both links (D1 "A page can\'t contain both")', { value: [], '@odata.nextLink': link('x'), '@odata.deltaLink': DELTA }, /both/],
    ['neither link (D1)', { value: [{ id: '1' }] }, /neither/],
    ['no value array (§1.3)', { '@odata.deltaLink': DELTA }, /value/],
    ['value not an array (§1.3)', { value: {}, '@odata.deltaLink': DELTA }, /value/],
    ['a nextLink that is not a URL (D6)', { value: [], '@odata.nextLink': 'not a url' }, /value|delta page/],
    ['null JSON', null, /value|delta page/],
  ])('rejects a page with %s as GRAPH_BAD_RESPONSE', async (_name, page, message) => {
    const err = await failure(fakeApi({ [START]: page }));
    expect(err.code).toBe('GRAPH_BAD_RESPONSE');
    expect(err.message).toMatch(message);
  });

  it('rejects a bad later page after yielding the good ones (D1)', async () => {
    const api = fakeApi({
      [START]: { value: [{ id: '1' }], '@odata.nextLink': link('1') },
      [link('1')]: { value: [{ id: '2' }] },
    });
    const seen: number[] = [];
    let caught: unknown = null;
    try {
      for await (const page of deltaPages(api, START)) seen.push(page.index);
    } catch (err) {
      caught = err;
    }
    expect(seen).toEqual([0]);
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('GRAPH_BAD_RESPONSE');
  });

  it('does not put the opaque token of the URL into the error message (§1.5)', async () => {
    const start = `${BASE}/users/delta?$deltatoken=SECRETTOKEN42`;
    const api = fakeApi({ [start]: { value: [] } });
    let caught: unknown = null;
    try {
      await collect(api, start);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).message).not.toContain('SECRETTOKEN42');
  });

  it('propagates an error from getJson unchanged (D9)', async () => {
    const expired = new AppError('DELTA_TOKEN_EXPIRED', 'expired');
    const err = await failure(fakeApi({ [START]: expired }));
    expect(err).toBe(expired);
  });

  it('prefetches the next page before the consumer finishes the current one (§11.2)', async () => {
    const log: string[] = [];
    const api = fakeApi(
      {
        [START]: { value: [{ id: '1' }], '@odata.nextLink': link('1') },
        [link('1')]: { value: [{ id: '2' }], '@odata.nextLink': link('2') },
        [link('2')]: { value: [{ id: '3' }], '@odata.deltaLink': DELTA },
      },
      log,
    );
    for await (const page of deltaPages(api, START)) {
      log.push(`start ${page.index}`);
      // The consumer writes the page; the prefetch runs meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`end ${page.index}`);
    }
    expect(log).toEqual([
      `get ${START}`,
      `get ${link('1')}`,
      'start 0',
      'end 0',
      `get ${link('2')}`,
      'start 1',
      'end 1',
      'start 2',
      'end 2',
    ]);
  });

  it('does not request anything after the deltaLink page (D1)', async () => {
    const api = fakeApi({ [START]: { value: [], '@odata.deltaLink': DELTA } });
    await collect(api);
    expect(api.calls).toEqual([START]);
  });

  describe('an abandoned prefetch', () => {
    const seen: unknown[] = [];
    const onRejection = (reason: unknown): void => {
      seen.push(reason);
    };
    beforeEach(() => {
      seen.length = 0;
      process.on('unhandledRejection', onRejection);
    });
    afterEach(() => {
      process.off('unhandledRejection', onRejection);
    });

    it('that rejects after the consumer broke out causes no unhandled rejection (§11.2)', async () => {
      let rejectPrefetch: (err: Error) => void = () => {};
      let prefetchRequested = false;
      const api: GraphApi = {
        baseUrl: BASE,
        stats: emptyGraphStats(),
        postJson: () => Promise.reject(new Error('no POST expected')),
        getJson(url: string): Promise<unknown> {
          if (url === START) return Promise.resolve({ value: [{ id: '1' }], '@odata.nextLink': link('1') });
          prefetchRequested = true;
          return new Promise((_resolve, reject) => {
            rejectPrefetch = reject;
          });
        },
      };
      const pages: number[] = [];
      for await (const page of deltaPages(api, START)) {
        pages.push(page.index);
        break; // the consumer stops early (e.g. its own write failed)
      }
      expect(pages).toEqual([0]);
      expect(prefetchRequested).toBe(true);
      rejectPrefetch(new AppError('GRAPH_NETWORK', 'connection reset'));
      // Give Node a few turns to report an unhandled rejection, if there is one.
      await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setImmediate(resolve));
      expect(seen).toEqual([]);
    });

    it('that has already rejected while the consumer throws causes no unhandled rejection (§11.2)', async () => {
      const api = fakeApi({
        [START]: { value: [{ id: '1' }], '@odata.nextLink': link('1') },
        [link('1')]: new AppError('GRAPH_THROTTLED', 'throttled'),
      });
      let caught: unknown = null;
      try {
        for await (const page of deltaPages(api, START)) {
          await new Promise((resolve) => setTimeout(resolve, 5)); // prefetch rejects meanwhile
          throw new Error(`write of page ${page.index} failed`);
        }
      } catch (err) {
        caught = err;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect((caught as Error).message).toBe('write of page 0 failed');
      expect(seen).toEqual([]);
    });
  });
});
