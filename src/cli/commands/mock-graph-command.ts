import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMockGraphServer } from '../../mock-graph/run-mock-graph-server.js';
import type { CliContext } from '../cli-context.js';

export const DEFAULT_FIXTURE = fileURLToPath(new URL('../../../fixtures/directory/contoso.json', import.meta.url));

/** Serves the mock until SIGINT/SIGTERM; the process stays up while the server listens. */
export async function mockGraphCommand(ctx: CliContext, opts: { port: number; host: string; fixture: string; certOut?: string }): Promise<void> {
  const mock = await runMockGraphServer(
    { port: opts.port, host: opts.host, fixture: resolve(opts.fixture), ...(opts.certOut ? { certOut: resolve(opts.certOut) } : {}) },
    ctx.out,
  );
  await new Promise<void>((done) => {
    const stop = () => {
      void mock.close().then(done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
