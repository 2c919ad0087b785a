import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { applyConfig } from '../../src/admin/apply-config.js';
import { parseConfigFile } from '../../src/config/index.js';
import { loadDirectorySeed } from '../../src/mock-graph/directory-seed.js';
import { startMockGraph, type MockGraph, type MockGraphOptions } from '../../src/mock-graph/start-mock-graph.js';
import type { Store } from '../../src/store/open-store.js';
import { runSync, type SyncDeps, type SyncOptions, type SyncResult } from '../../src/sync/run-sync.js';
import type { PlannedAction } from '../../src/sync/planned-action.js';

export const FIXTURE = fileURLToPath(new URL('../../fixtures/directory/contoso.json', import.meta.url));
export const DEMO_CONFIG = fileURLToPath(new URL('../../fixtures/config/demo.json', import.meta.url));
export const FINANCE = 'f1000000-0000-4000-8000-000000000001';
export const ENGINEERING = 'f1000000-0000-4000-8000-000000000002';
export const SECRET = 'mock-secret-not-a-real-secret';
/** Fixture users by their last digits: b0000000-0000-4000-8000-0000000000NN. */
export const user = (n: number) => `b0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export async function startFixtureMock(options: Partial<MockGraphOptions> = {}): Promise<MockGraph> {
  return startMockGraph({ seed: await loadDirectorySeed(FIXTURE), port: 0, ...options });
}

/** The demo configuration, pointed at this mock, with optional changes to the tenant entry. */
export async function demoConfig(mock: MockGraph, change: (tenant: Record<string, unknown>) => void = () => {}) {
  const raw = JSON.parse((await readFile(DEMO_CONFIG, 'utf8')).replaceAll('https://localhost:8443', mock.url)) as {
    tenants: Record<string, unknown>[];
  };
  const tenant = raw.tenants[0];
  if (!tenant) throw new Error('demo config has no tenant');
  change(tenant);
  return parseConfigFile(JSON.stringify(raw), 'test');
}

export async function applyDemo(store: Store, mock: MockGraph, change?: (tenant: Record<string, unknown>) => void) {
  return applyConfig(store, await demoConfig(mock, change), 'test');
}

export async function sync(
  store: Store,
  mock: MockGraph,
  options: Partial<SyncOptions> = {},
  /** Extra dependencies, e.g. a `clock` for the full-reconciliation interval. */
  deps: Partial<Omit<SyncDeps, 'store' | 'onAction'>> = {},
): Promise<SyncResult & { actions: PlannedAction[] }> {
  const actions: PlannedAction[] = [];
  const result = await runSync(
    { tenant: 'contoso', trigger: 'test', ...options },
    {
      store,
      env: { CONTOSO_GRAPH_SECRET: SECRET },
      graphCa: mock.caPem,
      // Retries wait milliseconds, not seconds, so that fault tests stay fast.
      graph: { retry: { baseDelayMs: 1, maxDelayMs: 20 } },
      onAction: (a) => actions.push(a),
      ...deps,
    },
  );
  return { ...result, actions };
}

export function actionFor(actions: readonly PlannedAction[], entraObjectId: string): PlannedAction | undefined {
  return actions.find((a) => a.entraObjectId === entraObjectId);
}
