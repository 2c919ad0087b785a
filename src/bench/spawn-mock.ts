import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Agent, fetch } from 'undici';
import type { MockGraphReadyLine } from '../mock-graph/run-mock-graph-server.js';
import type { MockStats } from '../mock-graph/mock-stats.js';
import type { SyntheticIdOrder } from '../mock-graph/synthetic-directory.js';

const CLI = fileURLToPath(new URL('../cli/bin.js', import.meta.url));

export interface SpawnedMock {
  ready: MockGraphReadyLine;
  /** The mock's process, whose CPU time the bench reports. */
  pid: number | undefined;
  caPem: string;
  /** The fixture app's secret, read from the file the ready line names (it is never printed). */
  clientSecret: string;
  stats(): Promise<MockStats>;
  churn(percent: number, seed: number): Promise<{ attributes: number; moves: number; leavers: number }>;
  stop(): Promise<void>;
}

export interface SpawnMockOptions { users: number; groups: number; seed: number; idOrder: SyntheticIdOrder; latencyMs: number; caPath: string }

/**
 * Runs `entra-import mock-graph` with a synthetic tenant in its own process, so the importer's
 * CPU and memory are measured without the mock's, and reads where it listens from its first line.
 */
export async function spawnMock(opts: SpawnMockOptions): Promise<SpawnedMock> {
  const child = spawn(process.execPath, [
    CLI, 'mock-graph', '--port', '0', '--synthetic-users', String(opts.users), '--synthetic-groups', String(opts.groups),
    '--seed', String(opts.seed), '--synthetic-id-order', opts.idOrder, '--latency', String(opts.latencyMs), '--cert-out', opts.caPath,
  ], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'warn' } });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A bench that dies (or a test that times out) must not leave a mock serving a big tenant behind.
  const orphanGuard = () => child.kill('SIGTERM');
  process.once('exit', orphanGuard);
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    new Promise<string>((resolve) => lines.once('line', resolve)),
    exited.then((code) => { throw new Error(`mock-graph exited with code ${code} before it listened`); }),
  ]);
  lines.on('line', () => {}); // keep draining the human-readable lines
  const ready = JSON.parse(first) as MockGraphReadyLine;
  if (!ready.caPath || !ready.clientId) throw new Error('mock-graph did not report a CA path and a client id');
  const caPem = await readFile(ready.caPath, 'utf8');
  const agent = new Agent({ connect: { ca: caPem } });
  const admin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${ready.url}/_mock/${path}`, {
      method, dispatcher: agent,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (!res.ok) throw new Error(`mock admin ${method} ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    ready, pid: child.pid, caPem, clientSecret: await secretOf(ready),
    stats: () => admin<MockStats>('GET', 'stats'),
    churn: (percent, seed) => admin('POST', 'churn', { percent, seed }),
    async stop() {
      process.off('exit', orphanGuard);
      child.kill('SIGTERM');
      await exited;
      await agent.close();
    },
  };
}

async function secretOf(ready: MockGraphReadyLine): Promise<string> {
  const seed = JSON.parse(await readFile(ready.clientSecretFrom, 'utf8')) as { apps?: { clientId: string; clientSecret: string }[] };
  const secret = seed.apps?.find((a) => a.clientId === ready.clientId)?.clientSecret;
  if (!secret) throw new Error(`no secret for app ${ready.clientId} in ${ready.clientSecretFrom}`);
  return secret;
}
