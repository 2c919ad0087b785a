import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { generate } from 'selfsigned';
import { systemClock, type Clock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { AccessTokenStore } from './access-token-store.js';
import type { DirectorySeed } from './directory-seed.js';
import { FaultController, type ThrottleBudget } from './fault-controller.js';
import { handleRequest } from './graph-router.js';
import type { ExpiredTokenResponse, MockContext, MockQuirks } from './mock-context.js';
import { MockDirectory } from './mock-directory.js';
import { readRequest, serialiseBody, type MockResponse } from './mock-http.js';
import { MockStatsRecorder, type MockStats } from './mock-stats.js';
import { StateTokenCodec } from './state-token-codec.js';
import { messageOf } from '../core/message-of.js';

export interface MockGraphOptions {
  /** 0 = ephemeral. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default true: @azure/identity refuses non-https authority hosts (stack-notes §1). */
  tls?: boolean;
  seed: DirectorySeed;
  /** Serve this directory instead of one built from `seed.users`/`seed.groups` (e.g. a synthetic one). */
  directory?: MockDirectory;
  pageSizes?: { usersDelta?: number; groupsDelta?: number; memberSlice?: number };
  clock?: Clock;
  /** D1/B1: seven days. */
  deltaTokenMaxAgeDays?: number;
  logger?: Logger;
  /** Default 400 syncStateNotFound with B1's message; I10 saw 410 SyncStateNotFound. */
  expiredToken?: Partial<ExpiredTokenResponse>;
  /** D4/D5: 50. */
  filterIdLimit?: number;
  /** D4 default 'all-selected'; 'changed-only' behaves as if every request sent `Prefer: return=minimal`. */
  deltaUpdates?: 'all-selected' | 'changed-only';
  quirks?: MockQuirks;
  throttle?: ThrottleBudget;
  /** [inf] D15: default true. */
  requireMailboxSettingsRead?: boolean;
  /** D20 sample: 3599. */
  tokenLifetimeSeconds?: number;
  /** Milliseconds added to each Graph HTTP request (not the admin API or the token endpoint). Default 0. */
  latencyMs?: number;
}

export interface MockGraph {
  /** e.g. 'https://localhost:PORT'; serves Graph under /v1.0 and the authority under /{tenantId}. */
  url: string;
  /** The self-signed certificate to trust (NODE_EXTRA_CA_CERTS or an undici Agent `connect.ca`); null without TLS. */
  caPem: string | null;
  directory: MockDirectory;
  faults: FaultController;
  stats(): MockStats;
  /** Makes every delta token issued so far fail as expired (options.expiredToken). */
  invalidateDeltaTokens(): void;
  close(): Promise<void>;
}

/** Starts the mock Graph + login authority on one origin. */
export async function startMockGraph(opts: MockGraphOptions): Promise<MockGraph> {
  const host = opts.host ?? '127.0.0.1';
  const tls = opts.tls ?? true;
  const logger = opts.logger ?? silentLogger;
  const directory = opts.directory ?? new MockDirectory({ users: opts.seed.users, groups: opts.seed.groups });
  const faults = new FaultController();
  if (opts.throttle) faults.setThrottle(opts.throttle);
  const ctx: MockContext = {
    seed: opts.seed, directory, faults, logger,
    codec: new StateTokenCodec(), tokens: new AccessTokenStore(), stats: new MockStatsRecorder(),
    clock: opts.clock ?? systemClock,
    options: {
      pageSizes: {
        usersDelta: opts.pageSizes?.usersDelta ?? 200, // I1: users/delta pages hold 200.
        groupsDelta: opts.pageSizes?.groupsDelta ?? 200, // I1: groups vary from ~200 down to 1.
        memberSlice: opts.pageSizes?.memberSlice ?? 500, // [inf] not documented; D3 only says "many members".
        listDefault: 100,
      },
      deltaTokenMaxAgeDays: opts.deltaTokenMaxAgeDays ?? 7,
      expiredToken: {
        status: opts.expiredToken?.status ?? 400,
        code: opts.expiredToken?.code ?? 'syncStateNotFound',
        message: opts.expiredToken?.message ?? 'The sync state generation is not found. The delta token is expired and data must be synchronized again.',
      },
      filterIdLimit: opts.filterIdLimit ?? 50,
      deltaUpdates: opts.deltaUpdates ?? 'all-selected',
      quirks: opts.quirks ?? {},
      requireMailboxSettingsRead: opts.requireMailboxSettingsRead ?? true,
      tokenLifetimeSeconds: opts.tokenLifetimeSeconds ?? 3599,
      latencyMs: opts.latencyMs ?? 0,
    },
    baseUrl: '',
    tokenGeneration: 0,
  };
  let caPem: string | null = null;
  const handler = (req: IncomingMessage, res: ServerResponse) => void serve(ctx, req, res);
  let server: Server;
  if (tls) {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
      ],
    });
    caPem = pems.cert;
    server = createHttpsServer({ key: pems.private, cert: pems.cert }, handler);
  } else {
    server = createHttpServer(handler);
  }
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // The certificate names localhost, so links use it whatever address the socket is bound to.
  ctx.baseUrl = `${tls ? 'https' : 'http'}://localhost:${port}`;
  logger.info({ url: ctx.baseUrl }, 'mock graph listening');
  return {
    url: ctx.baseUrl, caPem, directory, faults,
    stats: () => ctx.stats.snapshot(),
    invalidateDeltaTokens: () => { ctx.tokenGeneration += 1; },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

async function serve(ctx: MockContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let out: MockResponse;
  try {
    const mreq = await readRequest(req);
    out = await handleRequest(ctx, mreq);
    ctx.logger.debug({ method: mreq.method, path: mreq.path, status: out.kind === 'reset' ? 'reset' : out.status }, 'mock graph request');
  } catch (e) {
    ctx.logger.error({ err: e }, 'mock graph handler failed');
    out = { kind: 'json', status: 500, body: { error: { code: 'generalException', message: messageOf(e) } } };
  }
  if (out.kind === 'reset') {
    req.socket.destroy();
    return;
  }
  // 204 has no body; a content-length that promised one would hang the client.
  // Encoded once: measuring the string for content-length and then writing it walked a page of a
  // big list twice.
  const body = Buffer.from(out.status === 204 ? '' : serialiseBody(out), 'utf8');
  res.writeHead(out.status, { 'content-type': 'application/json; charset=utf-8', ...out.headers, 'content-length': body.length });
  res.end(body);
}
