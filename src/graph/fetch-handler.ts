import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * The last link of the chain: sends the request with an injected fetch (tests, or an undici
 * dispatcher trusting a private CA) and a per-attempt timeout, so a hung socket becomes a
 * retryable network error instead of a hung run.
 */
export class FetchHandler implements Middleware {
  constructor(
    private readonly fetchImpl: FetchLike,
    private readonly timeoutMs: number,
    private readonly dispatcher: RequestInit['dispatcher'],
  ) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const options = (context.options ?? {}) as RequestInit;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    context.response = await this.fetchImpl(url, {
      ...options,
      signal,
      ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
    });
  }
}
