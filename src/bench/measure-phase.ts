import type { MockStats } from '../mock-graph/mock-stats.js';
import { COUNTED_TABLES, type BenchStore, type RowCounts } from './bench-database.js';
import { startCpuMeter, type CpuSeconds } from './cpu-meter.js';
import { startRssSampler } from './rss-sampler.js';
import type { SpawnedMock } from './spawn-mock.js';
import { messageOf } from '../core/message-of.js';

export interface PhaseMeasurement {
  name: string;
  wallMs: number;
  /** Graph HTTP requests (a `$batch` is one), from the mock's own count; token requests excluded. */
  graphRequests: number;
  /** Requests carried inside `$batch` bodies. */
  batchedRequests: number;
  resourceUnits: number;
  /** Users Graph handed over in the phase (users stream items), for users/s. */
  users: number;
  peakRssBytes: number;
  cpu: CpuSeconds;
  /** Net new rows per table (updates in place do not show here). */
  rowsAdded: RowCounts;
  /** Graph requests and RU per route, for --json and --profile. */
  routes: Record<string, { requests: number; batched: number; resourceUnits: number }>;
  detail: Record<string, unknown>;
  /** Set when the phase threw: its message and causes, one line. */
  error?: string;
}

export interface PhaseContext { mock: SpawnedMock; db: BenchStore }

/** Runs `fn` and measures it from the outside: wall time, the mock's counters, rows, peak RSS. */
export async function measurePhase(
  name: string,
  ctx: PhaseContext,
  fn: () => Promise<{ users: number; detail?: Record<string, unknown> }>,
): Promise<PhaseMeasurement> {
  const [statsBefore, rowsBefore] = [await ctx.mock.stats(), await ctx.db.countRows()];
  const rss = startRssSampler(50);
  const cpu = startCpuMeter({ mockPid: ctx.mock.pid, localDatabase: ctx.db.localServer });
  const started = performance.now();
  let result: { users: number; detail?: Record<string, unknown> } = { users: 0 };
  let error: string | undefined;
  try {
    result = await fn();
  } catch (err) {
    // The engine failing a phase is a result to show next to the others, not a reason to lose them.
    error = describeError(err);
  }
  const peakRssBytes = rss.stop();
  const cpuSeconds = cpu.stop();
  const wallMs = performance.now() - started;
  const [statsAfter, rowsAfter] = [await ctx.mock.stats(), await ctx.db.countRows()];
  const routes = routeDeltas(statsBefore, statsAfter);
  const rowsAdded = Object.fromEntries(COUNTED_TABLES.map((t) => [t, rowsAfter[t] - rowsBefore[t]])) as RowCounts;
  return {
    name, wallMs, users: result.users, peakRssBytes, cpu: cpuSeconds, rowsAdded, routes, detail: result.detail ?? {}, ...(error ? { error } : {}),
    graphRequests: sum(Object.values(routes).map((r) => r.requests)),
    batchedRequests: sum(Object.values(routes).map((r) => r.batched)),
    resourceUnits: statsAfter.resourceUnits - statsBefore.resourceUnits,
  };
}

const GRAPH_ROUTE = /^[A-Z]+ \/(v1\.0|beta)\//;

function routeDeltas(before: MockStats, after: MockStats): PhaseMeasurement['routes'] {
  const out: PhaseMeasurement['routes'] = {};
  const keys = new Set([...Object.keys(after.requests), ...Object.keys(after.batchedRequests), ...Object.keys(after.resourceUnitsByRoute)]);
  for (const key of keys) {
    if (!GRAPH_ROUTE.test(key)) continue;
    const d = (m: Record<string, number>, n: Record<string, number>) => (m[key] ?? 0) - (n[key] ?? 0);
    const entry = { requests: d(after.requests, before.requests), batched: d(after.batchedRequests, before.batchedRequests), resourceUnits: d(after.resourceUnitsByRoute, before.resourceUnitsByRoute) };
    if (entry.requests !== 0 || entry.batched !== 0 || entry.resourceUnits !== 0) out[key] = entry;
  }
  return out;
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** Message plus the chain of causes (a database error hides its reason one level down). */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    const message = messageOf(e);
    // Failed-query messages repeat every parameter; the first line says enough.
    parts.push(message.split('\n')[0] ?? message);
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(' <- ');
}
