import { AppError } from '../core/app-error.js';
import { DEFAULT_HEAP_GROWTH_PERCENT, HEAP_GROWTH_RANGE } from '../core/heap-growth.js';

/** Process settings from the environment. Nothing below src/config reads process.env. */
export interface AppEnv {
  /** DATABASE_URL; null means the embedded PGlite database under dataDir. */
  databaseUrl: string | null;
  /** ENTRA_IMPORT_DATA_DIR, default ./.entra-import. */
  dataDir: string;
  /** LOG_LEVEL, default info. */
  logLevel: LogLevel;
  /** LOG_PRETTY: human-readable logs instead of JSON lines. */
  logPretty: boolean;
  /** ENTRA_IMPORT_HEAP_GROWTH_PERCENT, default 100; 0 leaves V8's adaptive growth (faster, larger peaks). */
  heapGrowthPercent: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const DEFAULT_DATA_DIR = './.entra-import';

const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off'];

/** Reads and checks the environment; every bad variable is named in one CONFIG_INVALID error. */
export function loadEnv(env: Readonly<Record<string, string | undefined>> = process.env): AppEnv {
  const issues: { path: string; message: string }[] = [];
  const value = (name: string): string | null => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? null : v;
  };

  const databaseUrl = value('DATABASE_URL');
  const dbProblem = databaseUrl === null ? null : checkDatabaseUrl(databaseUrl);
  if (dbProblem) issues.push({ path: 'DATABASE_URL', message: dbProblem });

  const level = (value('LOG_LEVEL') ?? 'info').toLowerCase();
  const logLevel = LOG_LEVELS.find((l) => l === level);
  if (logLevel === undefined) {
    issues.push({ path: 'LOG_LEVEL', message: `must be one of ${LOG_LEVELS.join(', ')} (got "${level}")` });
  }

  const pretty = (value('LOG_PRETTY') ?? 'false').toLowerCase();
  if (!TRUE.includes(pretty) && !FALSE.includes(pretty)) {
    issues.push({ path: 'LOG_PRETTY', message: `must be true or false (got "${pretty}")` });
  }

  const heap = parseHeapGrowthPercent(value(HEAP_GROWTH_VARIABLE));
  if (typeof heap === 'string') issues.push({ path: HEAP_GROWTH_VARIABLE, message: heap });

  if (issues.length > 0) {
    const list = issues.map((i) => `${i.path} ${i.message}`).join('; ');
    throw new AppError('CONFIG_INVALID', `environment is invalid: ${list}`, { details: { issues } });
  }
  return {
    databaseUrl,
    dataDir: value('ENTRA_IMPORT_DATA_DIR') ?? DEFAULT_DATA_DIR,
    logLevel: logLevel ?? 'info',
    logPretty: TRUE.includes(pretty),
    heapGrowthPercent: typeof heap === 'number' ? heap : DEFAULT_HEAP_GROWTH_PERCENT,
  };
}

export const HEAP_GROWTH_VARIABLE = 'ENTRA_IMPORT_HEAP_GROWTH_PERCENT';

/** The variable's percentage (the default when unset), or what is wrong with it. */
export function parseHeapGrowthPercent(raw: string | null | undefined): number | string {
  if (raw === null || raw === undefined || raw.trim() === '') return DEFAULT_HEAP_GROWTH_PERCENT;
  const n = Number(raw.trim());
  const { min, max } = HEAP_GROWTH_RANGE;
  if (Number.isInteger(n) && (n === 0 || (n >= min && n <= max))) return n;
  return `must be 0 (V8's adaptive default) or a whole percentage from ${min} to ${max} (got "${raw}")`;
}

/** The URL holds a password, so messages name the problem and never echo the value. */
function checkDatabaseUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a valid URL; expected postgres://user:password@host:5432/database';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    // Not even the scheme is echoed: "user:secret@host" without a scheme parses as scheme "user:".
    return 'must start with postgres:// or postgresql://';
  }
  return null;
}
