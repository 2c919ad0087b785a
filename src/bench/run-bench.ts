/**
 * `npm run bench -- --users N --groups G …` (issue 8): speed lives here, never in timed tests.
 * Exit 0 with a table whatever the numbers say (or with the usage, for --help); 2 for bad flags, 1 when the bench cannot run
 * (setup failed, or the engine failed a phase: the table still shows the phases it has).
 */
import { applyHeapGrowth } from '../core/heap-growth.js';
import { formatBenchReport } from './format-bench-report.js';
import { BENCH_USAGE, BenchUsageError, parseBenchArgs } from './parse-bench-args.js';
import { runBenchmark } from './run-benchmark.js';
import { messageOf } from '../core/message-of.js';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  let parsed: ReturnType<typeof parseBenchArgs>;
  try {
    parsed = parseBenchArgs(args, process.env);
  } catch (err) {
    process.stderr.write(`bench: ${messageOf(err)}\n${BENCH_USAGE}\n`);
    return 2;
  }
  if (parsed.options.heapGrowthPercent !== undefined) applyHeapGrowth(parsed.options.heapGrowthPercent);
  try {
    const report = await runBenchmark(parsed.options, (line) => process.stderr.write(`bench: ${line}\n`));
    process.stdout.write(parsed.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatBenchReport(report)}\n`);
    // A phase the engine failed means the bench could not measure it; slowness is never a failure.
    return report.phases.some((p) => p.error) ? 1 : 0;
  } catch (err) {
    if (err instanceof BenchUsageError) throw err;
    process.stderr.write(`bench: could not run: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

// Ctrl-C or kill must not leave the mock serving a big tenant: dying of a signal skips the 'exit'
// hooks that stop it (spawn-mock.ts), exiting does not. A later bench drops the database left behind.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) process.once(signal, () => process.exit(code));

process.exitCode = await main();
