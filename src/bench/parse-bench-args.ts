import { parseArgs } from 'node:util';
import { HEAP_GROWTH_VARIABLE, parseHeapGrowthPercent } from '../config/env.js';
import { SYNTHETIC_ID_ORDERS } from '../mock-graph/synthetic-directory.js';
import type { BenchOptions } from './run-benchmark.js';

export const BENCH_USAGE = `usage: npm run bench -- --users N --groups G [--latency MS] [--db pglite|postgres] [--profile]
                       [--mappings 5] [--mapped-groups K] [--churn 1] [--seed 1] [--id-order random|listed] [--json]
  --db postgres creates a throwaway database on BENCH_DATABASE_URL's server
  (default postgres://postgres@127.0.0.1:5432/test) and drops it afterwards (on a local server, also
  those of earlier benches that were killed); pglite uses a temp folder.
  --profile adds, per sync phase, the time in each section of the engine (Graph waits, parsing,
  mirror writes, decide reads, deciding, inSync writes, log writes, commit), summed over streams.
  CPU s imp/mock/db: CPU seconds of the importer, the mock process and every postgres process on
  this machine (Linux /proc; - where unreadable, and for PGlite, which runs inside the importer);
  busy %: the whole machine, all cores, over the phase.
  ${HEAP_GROWTH_VARIABLE} sets the importer's heap growth as it does for the CLI (default 100).`;

export class BenchUsageError extends Error {}

/** A flag's value as a whole number of at least `min`, or a usage error naming the flag. */
export function wholeNumberFlag(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new BenchUsageError(`--${name} must be a whole number >= ${min}`);
  return n;
}

/** Parses the bench's flags; a bad flag is a usage error (exit 2), never a silent default. */
export function parseBenchArgs(argv: string[], env: Readonly<Record<string, string | undefined>> = {}): { options: BenchOptions; json: boolean } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      users: { type: 'string', default: '10000' },
      groups: { type: 'string', default: '50' },
      latency: { type: 'string', default: '0' },
      db: { type: 'string', default: 'pglite' },
      profile: { type: 'boolean', default: false },
      mappings: { type: 'string', default: '5' },
      'mapped-groups': { type: 'string' },
      churn: { type: 'string', default: '1' },
      seed: { type: 'string', default: '1' },
      'id-order': { type: 'string', default: 'random' },
      json: { type: 'boolean', default: false },
    },
  });
  const int = wholeNumberFlag;
  if (values.db !== 'pglite' && values.db !== 'postgres') throw new BenchUsageError('--db must be pglite or postgres');
  const idOrder = SYNTHETIC_ID_ORDERS.find((o) => o === values['id-order']);
  if (!idOrder) throw new BenchUsageError(`--id-order must be ${SYNTHETIC_ID_ORDERS.join(' or ')}`);
  const groups = int('groups', values.groups, 0);
  const churnPercent = Number(values.churn);
  if (!(churnPercent > 0 && churnPercent <= 50)) throw new BenchUsageError('--churn must be a percentage in (0, 50]');
  // The importer runs in this process, so the bench measures the memory setting the CLI would use.
  const heap = parseHeapGrowthPercent(env[HEAP_GROWTH_VARIABLE]);
  if (typeof heap === 'string') throw new BenchUsageError(`${HEAP_GROWTH_VARIABLE} ${heap}`);
  return {
    json: values.json,
    options: {
      users: int('users', values.users, 1), groups, seed: int('seed', values.seed, 0), latencyMs: int('latency', values.latency, 0),
      db: values.db, profile: values.profile, mappings: int('mappings', values.mappings, 2),
      mappedGroups: values['mapped-groups'] === undefined ? groups : int('mapped-groups', values['mapped-groups'], 0), churnPercent, idOrder,
      heapGrowthPercent: heap,
    },
  };
}
