import { z } from 'zod';
import { AppError } from '../core/app-error.js';
import type { GraphApi } from './create-graph-api.js';
import { graphErrorFrom } from './graph-error.js';
import { parseRetryAfter } from './retry-after.js';

/** "At most 20" requests per JSON batch (graph-semantics §9b). */
export const MAX_BATCH = 20;
const MAX_ROUNDS = 6;

export interface BatchAnswer {
  status: number;
  body: unknown;
}

const batchSchema = z.object({
  responses: z.array(z.object({
    id: z.string(),
    status: z.number(),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.unknown().optional(),
  })),
});

/**
 * GETs many relative URLs through `POST /$batch`, 20 at a time. Each inner request is throttled
 * on its own, so a batch can hold a 429 next to 200s: only those are sent again, after the longest
 * Retry-After among them (§9b). Batching saves round trips, not resource units. Answers come back
 * in any order and are matched by id. Non-retryable inner errors are returned for the caller to judge.
 */
export async function batchGet(
  api: GraphApi,
  urls: ReadonlyMap<string, string>,
  sleep: (ms: number) => Promise<void>,
): Promise<Map<string, BatchAnswer>> {
  const answers = new Map<string, BatchAnswer>();
  let pending = [...urls.keys()];
  for (let round = 0; pending.length > 0; round += 1) {
    const retry: string[] = [];
    let waitMs = 0;
    for (let i = 0; i < pending.length; i += MAX_BATCH) {
      const chunk = pending.slice(i, i + MAX_BATCH);
      const raw = await api.postJson('/$batch', { requests: chunk.map((id) => ({ id, method: 'GET', url: urls.get(id) ?? '' })) });
      const parsed = batchSchema.safeParse(raw);
      if (!parsed.success) throw new AppError('GRAPH_BAD_RESPONSE', 'Graph returned a $batch answer without a responses array');
      for (const r of parsed.data.responses) {
        // A 2xx item whose body is not a JSON object was garbled on the way (a truncated page):
        // as retryable as a 503.
        const garbled = r.status >= 200 && r.status < 300 && (typeof r.body !== 'object' || r.body === null);
        if ((r.status === 429 || r.status === 503 || r.status === 504 || garbled) && round < MAX_ROUNDS) {
          retry.push(r.id);
          waitMs = Math.max(waitMs, parseRetryAfter(r.headers?.['Retry-After'] ?? r.headers?.['retry-after'], new Date()) ?? 1000 * 2 ** round);
          continue;
        }
        answers.set(r.id, { status: r.status, body: r.body ?? null });
      }
    }
    pending = retry;
    if (pending.length > 0) await sleep(Math.min(waitMs, 60_000));
  }
  return answers;
}

/** Throws the typed error for a failed inner answer, as a plain request would have. */
export function throwIfFailed(answer: BatchAnswer, url: string): void {
  if (answer.status >= 200 && answer.status < 300) return;
  throw graphErrorFrom(answer.status, JSON.stringify(answer.body ?? {}), `https://graph.invalid/v1.0${url}`, null);
}
