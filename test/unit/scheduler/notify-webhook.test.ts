import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import { createWebhookNotifier, type FailureNotice } from '../../../src/scheduler/notify-webhook.js';

/** Retries wait on this clock: it records the delays and returns at once. */
const waits: number[] = [];
const clock: Clock = { now: () => new Date(), sleep: async (ms) => void waits.push(ms) };
const notice: FailureNotice = { tenant: 'contoso', runId: 7, errorCode: 'GRAPH_AUTH', message: 'token refused', state: 'active' };

let server: Server | undefined;
afterEach(async () => {
  waits.length = 0;
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** A receiver on port 0 answering with the given statuses in turn; returns its URL and the bodies it got. */
async function receiver(statuses: number[], hang = false): Promise<{ url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  server = createServer(async (req: IncomingMessage, res) => {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    bodies.push(JSON.parse(text));
    if (hang) return; // never answers: the client's timeout must end it
    res.writeHead(statuses.shift() ?? 200).end();
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?token=abc`, bodies };
}

describe('failure notices', () => {
  it('POSTs the notice as JSON, retrying 5xx with a doubling delay', async () => {
    const hook = await receiver([503, 500, 200]);
    const notifier = createWebhookNotifier({ clock, logger: silentLogger, retryDelayMs: 100 });
    notifier.notify(hook.url, notice);
    await notifier.idle();
    expect(hook.bodies).toEqual([notice, notice, notice]);
    expect(waits).toEqual([100, 200]);
  });

  it('does not retry a 4xx, and gives up after the attempts without throwing', async () => {
    const hook = await receiver([404]);
    const notifier = createWebhookNotifier({ clock, logger: silentLogger });
    notifier.notify(hook.url, notice);
    await notifier.idle();
    expect(hook.bodies).toHaveLength(1);

    const down = createWebhookNotifier({ clock, logger: silentLogger, attempts: 3 });
    down.notify('http://127.0.0.1:9/nothing-listens-here', notice);
    await down.idle();
    expect(waits).toHaveLength(2);
  });

  it('times out a receiver that never answers', async () => {
    const hook = await receiver([], true);
    const notifier = createWebhookNotifier({ clock, logger: silentLogger, attempts: 2, timeoutMs: 50 });
    notifier.notify(hook.url, notice);
    await notifier.idle();
    expect(hook.bodies).toHaveLength(2);
    server?.closeAllConnections();
  });
});
