import { writeFile } from 'node:fs/promises';
import { loadDirectorySeed } from './directory-seed.js';
import { startMockGraph, type MockGraph } from './start-mock-graph.js';

export interface RunMockGraphServerOptions {
  port: number;
  host: string;
  /** Path of a directory seed such as fixtures/directory/contoso.json. */
  fixture: string;
  /** Where to write the CA certificate; without it the PEM is not written anywhere. */
  certOut?: string;
}

/**
 * Starts the mock for `entra-import mock-graph` and tells a person how to point a client at it.
 * The client secret is a fixture value, but printing secrets is a habit we do not start: the
 * hint names the fixture file instead.
 */
export async function runMockGraphServer(opts: RunMockGraphServerOptions, out: NodeJS.WritableStream): Promise<MockGraph> {
  const seed = await loadDirectorySeed(opts.fixture);
  const mock = await startMockGraph({ seed, port: opts.port, host: opts.host });
  if (opts.certOut && mock.caPem) await writeFile(opts.certOut, mock.caPem, 'utf8');
  const app = seed.apps.find((a) => a.roles.length > 0) ?? seed.apps[0];
  const lines = [
    `mock Graph listening on ${mock.url}`,
    `  Graph base URL:     ${mock.url}/v1.0`,
    `  authority host:     ${mock.url}`,
    `  directory (tenant): ${seed.directoryId}`,
    `  app client id:      ${app?.clientId ?? '(none in fixture)'}${app ? ` (roles: ${app.roles.join(', ')})` : ''}`,
    `  client secret:      see "clientSecret" in ${opts.fixture}`,
    `  users / groups:     ${mock.directory.userCount} / ${[...mock.directory.listGroups()].length}`,
    opts.certOut
      ? `  CA certificate:     ${opts.certOut}\n  trust it with:      NODE_EXTRA_CA_CERTS=${opts.certOut}`
      : mock.caPem ? '  CA certificate:     not written (pass --cert-out FILE, then NODE_EXTRA_CA_CERTS=FILE)' : '  TLS:                off',
    `  admin API:          ${mock.url}/_mock/stats (also /_mock/users, /_mock/groups, /_mock/faults)`,
  ];
  out.write(`${lines.join('\n')}\n`);
  return mock;
}
