/**
 * `npm run bench:writes -- [--users N] [--groups G] [--db postgres|pglite]`: what the database alone
 * spends writing a first import's rows, the way the import writes them and loaded in bulk (see
 * write-bounds.ts). Like the bench, it reports and never judges: exit 0 with a table, 2 for bad
 * flags, 1 when it cannot run.
 */
import { parseArgs } from 'node:util';
import { openBenchStore, type BenchDb } from './bench-database.js';
import { startCpuMeter } from './cpu-meter.js';
import { formatWriteBounds } from './format-write-bounds.js';
import { BenchUsageError, wholeNumberFlag } from './parse-bench-args.js';
import { measureWriteBounds } from './write-bounds.js';
import { messageOf } from '../core/message-of.js';

export const WRITE_BOUNDS_USAGE = `usage: npm run bench:writes -- [--users 1000000] [--groups 500] [--batch 2000] [--db postgres|pglite]
  Generates the rows of a first import inside a throwaway database (as the bench does: on
  BENCH_DATABASE_URL's server, default postgres://postgres@127.0.0.1:5432/test, or PGlite in a temp
  folder), then writes them twice: a batch at a time into the indexed tables, as the import does, and
  in bulk into empty tables whose indexes are built afterwards. Prints the seconds of each step and
  the CPU seconds of every postgres process on this machine over each path.`;

function parse(argv: string[]): { users: number; groups: number; batch: number; db: BenchDb } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      users: { type: 'string', default: '1000000' },
      groups: { type: 'string', default: '500' },
      batch: { type: 'string', default: '2000' },
      db: { type: 'string', default: 'postgres' },
    },
  });
  const int = wholeNumberFlag;
  if (values.db !== 'postgres' && values.db !== 'pglite') throw new BenchUsageError('--db must be postgres or pglite');
  return { users: int('users', values.users, 1), groups: int('groups', values.groups, 1), batch: int('batch', values.batch, 1), db: values.db };
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${WRITE_BOUNDS_USAGE}\n`);
    return 0;
  }
  let opts: ReturnType<typeof parse>;
  try {
    opts = parse(args);
  } catch (err) {
    process.stderr.write(`bench:writes: ${messageOf(err)}\n${WRITE_BOUNDS_USAGE}\n`);
    return 2;
  }
  try {
    const bench = await openBenchStore(opts.db);
    try {
      process.stderr.write(`bench:writes: ${opts.users} users, ${opts.groups} groups, batches of ${opts.batch}, ${bench.where}\n`);
      const databaseCpu = bench.localServer ? () => { const m = startCpuMeter({ mockPid: undefined, localDatabase: true }); return { stop: () => m.stop().database }; } : undefined;
      const bounds = await measureWriteBounds(bench.store, { ...opts, databaseCpu });
      process.stdout.write(`${formatWriteBounds(bounds)}\n`);
      return 0;
    } finally {
      await bench.close();
    }
  } catch (err) {
    process.stderr.write(`bench:writes: could not run: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

process.exitCode = await main();
