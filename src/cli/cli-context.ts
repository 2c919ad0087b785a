import { resolve } from 'node:path';
import { loadEnv, type AppEnv } from '../config/index.js';
import { applyHeapGrowth } from '../core/heap-growth.js';
import { createLogger, type Logger } from '../core/logger.js';
import { openStore, type Store } from '../store/open-store.js';

/** What every command gets: validated env, a logger on stderr, and stdout for results. */
export interface CliContext {
  env: AppEnv;
  logger: Logger;
  out: NodeJS.WritableStream;
  /** stderr: progress lines for people at a terminal (logs go through the logger). */
  err: NodeJS.WritableStream;
  processEnv: NodeJS.ProcessEnv;
}

export function createCliContext(processEnv: NodeJS.ProcessEnv, out: NodeJS.WritableStream, err: NodeJS.WritableStream = process.stderr): CliContext {
  const env = loadEnv(processEnv);
  // Before any command pulls a page: a sync's peak memory is set by how much garbage V8 keeps.
  applyHeapGrowth(env.heapGrowthPercent);
  // A command's results go to stdout; its logs are for operators, so the CLI is quiet unless asked.
  const level = processEnv['LOG_LEVEL'] ? env.logLevel : 'warn';
  return { env, logger: createLogger({ level, pretty: env.logPretty }), out, err, processEnv };
}

/** DATABASE_URL selects PostgreSQL; otherwise the embedded PGlite database in the data directory. */
export async function withStore<T>(ctx: CliContext, fn: (store: Store) => Promise<T>, options: { poolSize?: number } = {}): Promise<T> {
  const store = await openStore(
    ctx.env.databaseUrl
      ? { kind: 'postgres', url: ctx.env.databaseUrl, ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }) }
      : { kind: 'pglite', dataDir: resolve(ctx.env.dataDir) },
  );
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function writeJson(out: NodeJS.WritableStream, value: unknown): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
}
