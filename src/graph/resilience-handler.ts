import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { backoffDelay } from './backoff-delay.js';
import { safePath } from './graph-error.js';
import type { GraphStats } from './graph-stats.js';
import type { RetryOptions } from './graph-settings.js';
import { parseRetryAfter } from './retry-after.js';

/**
 * JSON bodies this handler already parsed to check them, keyed by the response it hands on, so
 * the caller does not parse a megabyte page a second time (the SDK returns that same object).
 */
export const parsedBodies = new WeakMap<Response, unknown>();

/** Statuses worth another try: throttling (D7) and the "try again later" family (D9). */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

export const NETWORK_FAILURE = 'GraphNetworkFailure';
export const MALFORMED_RESPONSE = 'GraphMalformedResponse';

/** Raised when retries run out on a transport fault (no HTTP answer, or an unreadable body). */
export class TransportFailure extends Error {
  constructor(
    readonly kind: 'network' | 'malformed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    // The SDK rewraps anything thrown in the chain as a GraphError whose `code` is this name, so
    // the name alone must say what happened.
    this.name = kind === 'network' ? NETWORK_FAILURE : MALFORMED_RESPONSE;
  }
}

/**
 * Our replacement for the SDK's RetryHandler. The SDK one retries 429/503/504 only, has no jitter
 * when Retry-After is present, never retries a dropped connection or a truncated body, and reads
 * the global clock (stack-notes §2). Graph needs all of those (graph-semantics §4, §11.8), and tests
 * need an injected clock and random source.
 */
export class ResilienceHandler implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly options: RetryOptions,
    private readonly clock: Clock,
    private readonly random: () => number,
    private readonly stats: GraphStats,
    private readonly logger: Logger,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const next = this.next;
    if (!next) throw new Error('ResilienceHandler needs a next middleware');
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    let waitedMs = 0;
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await this.attempt(next, context, attempt);
      if (outcome.kind === 'done') return;
      const retriesLeft = attempt < this.options.maxRetries;
      // J2 caps the total time spent waiting on one request at 30 minutes.
      if (!retriesLeft || waitedMs >= 30 * 60_000) {
        if (outcome.kind === 'status') return; // the caller turns the final status into a typed error
        throw new TransportFailure(outcome.kind, `${outcome.message} (after ${attempt + 1} attempts on ${safePath(url)})`, {
          cause: outcome.cause,
        });
      }
      const retryAfter = outcome.kind === 'status' ? parseRetryAfter(outcome.retryAfter, this.clock.now()) : null;
      const delay = Math.min(
        this.options.maxDelayMs,
        retryAfter ?? backoffDelay(attempt, this.random, this.options.baseDelayMs, this.options.maxDelayMs),
      );
      this.stats.retries += 1;
      this.logger.warn(
        { path: safePath(url), attempt: attempt + 1, delayMs: delay, reason: outcome.message, retryAfter: retryAfter !== null },
        'graph request will be retried',
      );
      waitedMs += delay;
      await this.clock.sleep(delay);
    }
  }

  private async attempt(
    next: Middleware,
    context: Context,
    attempt: number,
  ): Promise<
    | { kind: 'done' }
    | { kind: 'status'; retryAfter: string | null; message: string }
    | { kind: 'network' | 'malformed'; message: string; cause?: unknown }
  > {
    const headers = (context.options?.headers ?? {}) as Record<string, string>;
    if (attempt > 0) headers['Retry-Attempt'] = String(attempt); // the SDK's convention (J2)
    context.options = { ...context.options, headers };
    context.response = undefined;
    this.stats.requests += 1;
    try {
      await next.execute(context);
    } catch (err) {
      return { kind: 'network', message: `network error: ${describe(err)}`, cause: err };
    }
    const response = context.response as Response | undefined;
    if (!response) return { kind: 'network', message: 'no response' };
    if (response.status === 429) this.stats.throttled += 1;
    if (RETRYABLE_STATUS.has(response.status)) {
      // Keep the error body readable: if retries run out, the caller reports Graph's own error code.
      const text = await response.text().catch(() => '');
      context.response = new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
      return { kind: 'status', retryAfter: response.headers.get('retry-after'), message: `HTTP ${response.status}` };
    }
    if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return { kind: 'done' };
    // A 200 whose JSON is cut off is a transport fault, not data: read it here so that it can be retried.
    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      return { kind: 'network', message: `body read failed: ${describe(err)}`, cause: err };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      return { kind: 'malformed', message: 'response body is not valid JSON', cause: err };
    }
    const checked = new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
    parsedBodies.set(checked, parsed);
    context.response = checked;
    return { kind: 'done' };
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${err.message} (${cause.code})` : cause?.message ? `${err.message} (${cause.message})` : err.message;
}
