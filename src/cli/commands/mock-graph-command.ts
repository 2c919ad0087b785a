import { type Command, Option } from 'commander';
import { port } from '../option-parsers.js';
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

export function registerMockGraphCommand(program: Command, ctx: () => CliContext): void {
  program.command('mock-graph')
    .description('serve the bundled Microsoft Graph double over https (token endpoint, delta queries, admin API under /_mock/)')
    .addOption(new Option('--port <port>', 'port to listen on (0 = any free port)').default(8443).argParser(port))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--fixture <file>', 'directory seed (JSON)', DEFAULT_FIXTURE)
    .option('--cert-out <file>', 'write the self-signed CA certificate here, for NODE_EXTRA_CA_CERTS')
    .action((opts: { port: number; host: string; fixture: string; certOut?: string }) => mockGraphCommand(ctx(), opts));
}
