import { type Command, InvalidArgumentError, Option } from 'commander';
import { port } from '../option-parsers.js';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMockGraphServer, type RunMockGraphServerOptions } from '../../mock-graph/run-mock-graph-server.js';
import { SYNTHETIC_ID_ORDERS, type SyntheticIdOrder } from '../../mock-graph/synthetic-directory.js';
import type { CliContext } from '../cli-context.js';

export const DEFAULT_FIXTURE = fileURLToPath(new URL('../../../fixtures/directory/contoso.json', import.meta.url));

interface MockGraphCommandOptions {
  port: number;
  host: string;
  fixture: string;
  certOut?: string;
  syntheticUsers?: number;
  syntheticGroups: number;
  seed: number;
  syntheticIdOrder: SyntheticIdOrder;
  latency: number;
}

/** Serves the mock until SIGINT/SIGTERM; the process stays up while the server listens. */
export async function mockGraphCommand(ctx: CliContext, opts: MockGraphCommandOptions): Promise<void> {
  const run: RunMockGraphServerOptions = {
    port: opts.port, host: opts.host, fixture: resolve(opts.fixture), latencyMs: opts.latency,
    ...(opts.certOut ? { certOut: resolve(opts.certOut) } : {}),
    ...(opts.syntheticUsers !== undefined ? { synthetic: { users: opts.syntheticUsers, groups: opts.syntheticGroups, seed: opts.seed, idOrder: opts.syntheticIdOrder } } : {}),
  };
  const mock = await runMockGraphServer(run, ctx.out);
  await new Promise<void>((done) => {
    const stop = () => {
      void mock.close().then(done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number >= 0');
  return n;
}

export function registerMockGraphCommand(program: Command, ctx: () => CliContext): void {
  program.command('mock-graph')
    .description('serve the bundled Microsoft Graph double over https (token endpoint, delta queries, admin API under /_mock/); the first line printed is JSON for programs')
    .addOption(new Option('--port <port>', 'port to listen on (0 = any free port)').default(8443).argParser(port))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--fixture <file>', 'directory seed (JSON); with --synthetic-users only its apps (client ids and secrets) are used', DEFAULT_FIXTURE)
    .option('--cert-out <file>', 'write the self-signed CA certificate here, for NODE_EXTRA_CA_CERTS')
    .addOption(new Option('--synthetic-users <n>', 'serve a generated tenant of n users (directory id 5d000000-0000-4000-8000-000000000000)').argParser(count))
    .addOption(new Option('--synthetic-groups <n>', 'groups in the generated tenant').default(0).argParser(count))
    .addOption(new Option('--seed <n>', 'seed of the generated tenant (same seed, same tenant)').default(1).argParser(count))
    .addOption(new Option('--synthetic-id-order <order>', 'generated user ids in no order, like Entra\'s random GUIDs, or rising in the order users are listed (whether Graph lists users by id is not documented)')
      .choices([...SYNTHETIC_ID_ORDERS]).default('random'))
    .addOption(new Option('--latency <ms>', 'milliseconds added to every Graph request').default(0).argParser(count))
    .action((opts: MockGraphCommandOptions) => mockGraphCommand(ctx(), opts));
}
