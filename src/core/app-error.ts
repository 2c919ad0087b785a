import { DrizzleQueryError } from 'drizzle-orm';
import { messageOf } from './message-of.js';

/**
 * Every error we raise on purpose carries a stable code, an exit code for the CLI and, where
 * there was one, the underlying cause. Messages are for people; codes are for programs.
 */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  refused: 3,
  graph: 4,
  database: 5,
  safety: 6,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type AppErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_FILE_UNREADABLE'
  | 'TENANT_NOT_FOUND'
  | 'MAPPING_NOT_FOUND'
  | 'MAPPING_EXISTS'
  | 'INSYNC_USER_NOT_FOUND'
  | 'ADOPT_REFUSED'
  | 'CONFIRMATION_REQUIRED'
  | 'ENCRYPTION_REQUIRED'
  | 'METHOD_NOT_ENTRA_IMPORT'
  | 'NO_MAPPINGS'
  | 'SECRET_MISSING'
  | 'TENANT_LOCKED'
  | 'GRAPH_AUTH'
  | 'GRAPH_FORBIDDEN'
  | 'GRAPH_THROTTLED'
  | 'GRAPH_UNAVAILABLE'
  | 'GRAPH_NETWORK'
  | 'GRAPH_BAD_RESPONSE'
  | 'GRAPH_REQUEST_FAILED'
  | 'DELTA_TOKEN_EXPIRED'
  | 'DB_UNAVAILABLE'
  | 'DB_MIGRATION_FAILED'
  | 'DB_QUERY_FAILED'
  | 'SAFETY_LIMIT'
  | 'ABORTED'
  | 'USAGE'
  | 'INTERNAL';

const EXIT_BY_CODE: Record<AppErrorCode, ExitCode> = {
  CONFIG_INVALID: EXIT.usage,
  CONFIG_FILE_UNREADABLE: EXIT.usage,
  USAGE: EXIT.usage,
  TENANT_NOT_FOUND: EXIT.usage,
  MAPPING_NOT_FOUND: EXIT.usage,
  MAPPING_EXISTS: EXIT.usage,
  INSYNC_USER_NOT_FOUND: EXIT.usage,
  // A destructive admin command run without --yes: nothing was changed (exit 2, like bad usage).
  CONFIRMATION_REQUIRED: EXIT.usage,
  ENCRYPTION_REQUIRED: EXIT.refused,
  METHOD_NOT_ENTRA_IMPORT: EXIT.refused,
  NO_MAPPINGS: EXIT.refused,
  SECRET_MISSING: EXIT.refused,
  TENANT_LOCKED: EXIT.refused,
  ADOPT_REFUSED: EXIT.refused,
  GRAPH_AUTH: EXIT.graph,
  GRAPH_FORBIDDEN: EXIT.graph,
  GRAPH_THROTTLED: EXIT.graph,
  GRAPH_UNAVAILABLE: EXIT.graph,
  GRAPH_NETWORK: EXIT.graph,
  GRAPH_BAD_RESPONSE: EXIT.graph,
  GRAPH_REQUEST_FAILED: EXIT.graph,
  DELTA_TOKEN_EXPIRED: EXIT.graph,
  DB_UNAVAILABLE: EXIT.database,
  DB_MIGRATION_FAILED: EXIT.database,
  DB_QUERY_FAILED: EXIT.database,
  SAFETY_LIMIT: EXIT.safety,
  ABORTED: EXIT.failure,
  INTERNAL: EXIT.failure,
};

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly exitCode: ExitCode;
  /** Structured facts for logs and --json output; never secrets. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: AppErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.exitCode = EXIT_BY_CODE[code];
    this.details = options.details ?? {};
  }
}

/** Normalises anything thrown into an AppError at a boundary (CLI, scheduler). */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof DrizzleQueryError) {
    // drizzle's message is the whole statement and every parameter: thousands of emails and
    // names from a bulk write, which must not reach logs or sync_runs. Keep the database's own
    // message and where it failed; the parameters stay out.
    const cause = err.cause instanceof Error ? err.cause : undefined;
    const statement = err.query.trim().split('\n')[0]?.replace(/\s+/g, ' ').slice(0, 120) ?? '';
    const sqlState = (cause as { code?: unknown } | undefined)?.code;
    return new AppError('DB_QUERY_FAILED', `a database statement failed: ${cause?.message ?? 'unknown error'}`, {
      cause, details: { statement, ...(typeof sqlState === 'string' ? { sqlState } : {}) },
    });
  }
  const message = messageOf(err);
  return new AppError('INTERNAL', message, { cause: err });
}
