import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../core/logger.js';
import { messageOf } from '../core/message-of.js';

export interface HealthServerOptions {
  port: number;
  host?: string;
  registry: Registry;
  /** Throws when the database cannot answer (readiness). */
  checkDatabase: () => Promise<void>;
  logger: Logger;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * /healthz: the process is alive. /readyz: it can reach its database (503 otherwise), so a load
 * balancer or orchestrator stops counting on a daemon that cannot work. /metrics: Prometheus text.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'text/plain', 'method not allowed\n');
    if (path === '/healthz') return reply(200, 'text/plain', 'ok\n');
    if (path === '/readyz') {
      return void options.checkDatabase().then(
        () => reply(200, 'text/plain', 'ready\n'),
        (err: unknown) => {
          options.logger.warn({ err: messageOf(err) }, 'readiness check failed: database unreachable');
          reply(503, 'text/plain', 'database unreachable\n');
        },
      );
    }
    if (path === '/metrics') {
      return void options.registry.metrics().then(
        (text) => reply(200, options.registry.contentType, text),
        () => reply(500, 'text/plain', 'metrics unavailable\n'),
      );
    }
    reply(404, 'text/plain', 'not found; try /healthz, /readyz or /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
