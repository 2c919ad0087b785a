import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyConfig } from '../admin/apply-config.js';
import type { GraphSettings } from '../graph/graph-settings.js';
import { runSync } from '../sync/run-sync.js';
import { openBenchStore, type BenchDb } from './bench-database.js';
import { BENCH_SECRET_ENV, BENCH_TENANT, benchConfig, mappedGroupIds } from './bench-config.js';
import { measureFreshPageCost } from './fresh-page-cost.js';
import { measurePhase, type PhaseContext, type PhaseMeasurement } from './measure-phase.js';
import { ProgressProfile } from './progress-profile.js';
import { listPathFloor } from './list-path-floor.js';
import { pullOnlyFloor } from './pull-only-floor.js';
import { spawnMock } from './spawn-mock.js';
import type { SyntheticIdOrder } from '../mock-graph/synthetic-directory.js';

export interface BenchOptions {
  users: number;
  groups: number;
  seed: number;
  latencyMs: number;
  db: BenchDb;
  profile: boolean;
  mappings: number;
  /** Groups named by the group mappings; default every group. */
  mappedGroups: number;
  churnPercent: number;
  /** How the synthetic user ids relate to the listing order (default random, like Entra's GUIDs). */
  idOrder?: SyntheticIdOrder;
  /** V8's heap growth the bench process was given (see core/heap-growth.ts); reported, applied by the caller. */
  heapGrowthPercent?: number;
}

export interface BenchReport {
  options: BenchOptions;
  machine: {
    cores: number; cpu: string; memoryGiB: number; node: string;
    /** Microseconds per minor page fault in this process, measured before the phases (measureFreshPageCost). */
    freshPageMicros: number | null;
  };
  database: string;
  churn: { attributes: number; moves: number; leavers: number } | null;
  phases: PhaseMeasurement[];
}

/**
 * The whole benchmark: a synthetic tenant in a mock process, a fresh database, then a full import,
 * a churn and an incremental, a no-change incremental and the pull-only floors (plain delta, and
 * the list+batch first round of §9b), each measured from
 * outside the engine. Throws only when it cannot run; slow numbers are results, not failures.
 */
export async function runBenchmark(opts: BenchOptions, log: (line: string) => void = () => {}): Promise<BenchReport> {
  // Measured first, while nothing else runs.
  const freshPageMicros = measureFreshPageCost();
  const dir = await mkdtemp(join(tmpdir(), 'entra-bench-ca-'));
  const idOrder = opts.idOrder ?? 'random';
  log(`starting the mock: ${opts.users} users, ${opts.groups} groups, seed ${opts.seed}, ${idOrder} user ids, latency ${opts.latencyMs} ms`);
  const mock = await spawnMock({ users: opts.users, groups: opts.groups, seed: opts.seed, idOrder, latencyMs: opts.latencyMs, caPath: join(dir, 'ca.pem') });
  try {
    log(`opening a fresh ${opts.db} database`);
    const db = await openBenchStore(opts.db);
    try {
      await applyConfig(db.store, benchConfig(mock.ready, opts), 'bench');
      const ctx: PhaseContext = { mock, db };
      const phases: PhaseMeasurement[] = [];
      const sync = (name: string) => measurePhase(name, ctx, async () => {
        const profile = opts.profile ? new ProgressProfile() : null;
        const result = await runSync({ tenant: BENCH_TENANT, trigger: 'bench' }, {
          store: db.store, env: { [BENCH_SECRET_ENV]: mock.clientSecret }, graphCa: mock.caPem,
          ...(profile ? { onProgress: profile.record, timer: profile } : {}),
        });
        const users = result.streams.filter((s) => s.stream === 'users').reduce((n, s) => n + s.items, 0);
        // `streams` is passed through whole: whatever the engine reports about the path it took shows up in --json.
        return { users, detail: { mode: result.mode, counts: result.counts, streams: result.streams, engineGraphRequests: result.graphRequests, ...(profile ? { profile: profile.summary() } : {}) } };
      });
      log('full import');
      phases.push(await sync('full import'));
      log(`churning ${opts.churnPercent}% of the users`);
      const churn = await mock.churn(opts.churnPercent, opts.seed + 1);
      log(`incremental after churn (${churn.attributes} attribute changes, ${churn.moves} moves, ${churn.leavers} leavers)`);
      phases.push(await sync(`${opts.churnPercent}% churn incremental`));
      log('no-change incremental');
      phases.push(await sync('no-change incremental'));
      const settings: GraphSettings = {
        directoryId: mock.ready.directoryId, clientId: mock.ready.clientId ?? '', credential: { kind: 'secret', secret: mock.clientSecret },
        graphUrl: mock.ready.graphUrl, authorityHost: mock.ready.authorityHost, ca: mock.caPem,
      };
      for (const [name, floor] of [['pull-only floor (delta)', pullOnlyFloor], ['pull-only floor (list+batch)', listPathFloor]] as const) {
        log(name);
        phases.push(await measurePhase(name, ctx, async () => {
          const r = await floor(settings, mappedGroupIds(opts));
          return { users: r.users, detail: { ...r } };
        }));
      }
      return {
        options: opts,
        machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, freshPageMicros },
        database: db.where, churn, phases,
      };
    } finally {
      await db.close();
    }
  } finally {
    await mock.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
