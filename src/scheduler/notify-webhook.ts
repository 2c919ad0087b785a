import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { TenantState } from '../store/schema.js';
import { messageOf } from '../core/message-of.js';

/** The body of a failure notice: names and codes only, never credentials or directory data. */
export interface FailureNotice {
  tenant: string;
  runId: number | null;
  errorCode: string;
  message: string;
  state: TenantState;
}

export interface Notifier {
  /** Fire and forget: returns at once, retries in the background, logs its own failures. */
  notify(url: string, notice: FailureNotice): void;
  /** Resolves when every notice sent so far has been delivered or given up (shutdown, tests). */
  idle(): Promise<void>;
}

export interface NotifierOptions {
  clock: Clock;
  logger: Logger;
  fetch?: typeof globalThis.fetch;
  /** Attempts in all; default 4. */
  attempts?: number;
  /** Per attempt; default 10 s. */
  timeoutMs?: number;
  /** First retry delay, doubled each time; default 2 s. */
  retryDelayMs?: number;
}

const MAX_MESSAGE = 1_000;

export function createWebhookNotifier(options: NotifierOptions): Notifier {
  const send = options.fetch ?? globalThis.fetch;
  const attempts = options.attempts ?? 4;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retryDelayMs = options.retryDelayMs ?? 2_000;
  const pending = new Set<Promise<void>>();

  async function deliver(url: string, notice: FailureNotice): Promise<void> {
    const body = JSON.stringify({ ...notice, message: notice.message.slice(0, MAX_MESSAGE) });
    // The URL may carry the receiver's token in its path or query: log only where it goes.
    const log = options.logger.child({ tenant: notice.tenant, webhook: safeOrigin(url) });
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      let problem: string;
      try {
        const res = await send(url, {
          method: 'POST', body, headers: { 'content-type': 'application/json', 'user-agent': 'entra-import' },
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.body?.cancel();
        if (res.ok) return log.info({ attempt }, 'failure notice delivered');
        problem = `HTTP ${res.status}`;
        // A 4xx other than 408/429 will not get better by asking again.
        if (res.status < 500 && res.status !== 408 && res.status !== 429) attempt = attempts;
      } catch (err) {
        problem = messageOf(err);
      }
      if (attempt >= attempts) return log.error({ attempt, problem }, 'failure notice not delivered; giving up');
      log.warn({ attempt, problem }, 'failure notice not delivered; will retry');
      await options.clock.sleep(retryDelayMs * 2 ** (attempt - 1));
    }
  }

  return {
    notify(url, notice) {
      const p = deliver(url, notice).catch((err: unknown) => options.logger.error({ err }, 'failure notice crashed'));
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}

/**
 * What is wrong with a webhook URL, or null: https only (the body names the tenant and the error),
 * and no credentials in the authority. A path and query are fine: that is where webhook services
 * put their token. Never quotes the URL.
 */
export function webhookUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL (write e.g. https://hooks.example.com/entra-import)';
  }
  if (url.protocol !== 'https:') return `must use https (got ${url.protocol.replace(':', '')})`;
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password';
  return null;
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}
