import { writeFile } from 'node:fs/promises';
import { loadDirectorySeed, type DirectorySeed } from './directory-seed.js';
import type { MockDirectory } from './mock-directory.js';
import { startMockGraph, type MockGraph } from './start-mock-graph.js';
import { SYNTHETIC_DIRECTORY_ID, syntheticDirectory, type SyntheticIdOrder } from './synthetic-directory.js';

export interface RunMockGraphServerOptions {
  port: number;
  host: string;
  /** Path of a directory seed such as fixtures/directory/contoso.json (with synthetic: only its apps are used). */
  fixture: string;
  /** Where to write the CA certificate; without it the PEM is not written anywhere. */
  certOut?: string;
  /** Serve a generated tenant (directory id SYNTHETIC_DIRECTORY_ID) instead of the fixture's users and groups. */
  synthetic?: { users: number; groups: number; seed: number; idOrder?: SyntheticIdOrder };
  /** Milliseconds added to every Graph HTTP request. */
  latencyMs?: number;
}

/** The first line `mock-graph` prints, for a process that spawned it (the bench) to parse. */
export interface MockGraphReadyLine {
  url: string;
  graphUrl: string;
  authorityHost: string;
  directoryId: string;
  clientId: string | null;
  /** Where the client secret is: the `clientSecret` of app `clientId` in this fixture file (never printed). */
  clientSecretFrom: string;
  caPath: string | null;
  users: number;
  groups: number;
}

/**
 * Starts the mock for `entra-import mock-graph` and tells a person, and on its first line a
 * program, how to point a client at it. The client secret is a fixture value, but printing
 * secrets is a habit we do not start: the hint names the fixture file instead.
 */
export async function runMockGraphServer(opts: RunMockGraphServerOptions, out: NodeJS.WritableStream): Promise<MockGraph> {
  const fixture = await loadDirectorySeed(opts.fixture);
  const { seed, directory } = opts.synthetic ? syntheticTenant(fixture, opts.synthetic) : { seed: fixture, directory: undefined };
  const mock = await startMockGraph({
    seed, port: opts.port, host: opts.host,
    ...(directory ? { directory } : {}), ...(opts.latencyMs ? { latencyMs: opts.latencyMs } : {}),
  });
  if (opts.certOut && mock.caPem) await writeFile(opts.certOut, mock.caPem, 'utf8');
  const app = seed.apps.find((a) => a.roles.length > 0) ?? seed.apps[0];
  const groups = [...mock.directory.listGroups()].length;
  const ready: MockGraphReadyLine = {
    url: mock.url, graphUrl: mock.url, authorityHost: mock.url, directoryId: seed.directoryId, clientId: app?.clientId ?? null,
    clientSecretFrom: opts.fixture, caPath: opts.certOut && mock.caPem ? opts.certOut : null, users: mock.directory.userCount, groups,
  };
  const lines = [
    JSON.stringify(ready),
    `mock Graph listening on ${mock.url}`,
    `  Graph base URL:     ${mock.url}/v1.0`,
    `  authority host:     ${mock.url}`,
    `  directory (tenant): ${seed.directoryId}${opts.synthetic ? ` (synthetic, seed ${opts.synthetic.seed})` : ''}`,
    `  app client id:      ${app?.clientId ?? '(none in fixture)'}${app ? ` (roles: ${app.roles.join(', ')})` : ''}`,
    `  client secret:      see "clientSecret" in ${opts.fixture}`,
    `  users / groups:     ${mock.directory.userCount} / ${groups}`,
    opts.certOut
      ? `  CA certificate:     ${opts.certOut}\n  trust it with:      NODE_EXTRA_CA_CERTS=${opts.certOut}`
      : mock.caPem ? '  CA certificate:     not written (pass --cert-out FILE, then NODE_EXTRA_CA_CERTS=FILE)' : '  TLS:                off',
    ...(opts.latencyMs ? [`  added latency:      ${opts.latencyMs} ms per Graph request`] : []),
    `  admin API:          ${mock.url}/_mock/stats (also /_mock/users, /_mock/groups, /_mock/faults, /_mock/churn)`,
  ];
  out.write(`${lines.join('\n')}\n`);
  return mock;
}

/**
 * A generated tenant signs in with the fixture's apps: same client ids and secrets, re-homed in
 * the synthetic directory, so one config shape serves both (only directoryId differs).
 */
function syntheticTenant(fixture: DirectorySeed, opts: NonNullable<RunMockGraphServerOptions['synthetic']>): { seed: DirectorySeed; directory: MockDirectory } {
  const seed: DirectorySeed = {
    directoryId: SYNTHETIC_DIRECTORY_ID,
    organization: { displayName: `Synthetic tenant (seed ${opts.seed})`, verifiedDomains: ['synthetic.example'] },
    apps: fixture.apps.map(({ directoryId: _home, ...app }) => app),
    users: [],
    groups: [],
  };
  return { seed, directory: syntheticDirectory(opts) };
}
