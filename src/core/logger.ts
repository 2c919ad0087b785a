import { pino, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level?: string;
  pretty?: boolean;
  /** Where log lines go; defaults to stderr so that stdout stays clean for tables and --json. */
  destination?: NodeJS.WritableStream;
}

/**
 * Paths pino blanks out wherever they occur one or two levels deep. Secrets should never reach a
 * log call in the first place; this is the belt to that pair of braces.
 */
const REDACT = [
  'secret', 'clientSecret', 'client_secret', 'accessToken', 'access_token', 'token', 'authorization',
  '*.secret', '*.clientSecret', '*.client_secret', '*.accessToken', '*.access_token', '*.token', '*.authorization',
];

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const redact = { paths: REDACT, censor: '[redacted]' };
  if (options.pretty) {
    return pino({
      level,
      redact,
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, translateTime: 'SYS:HH:MM:ss' } },
    });
  }
  return pino({ level, redact }, (options.destination ?? process.stderr) as pino.DestinationStream);
}

/** A logger that drops everything, for tests and library callers that pass none. */
export const silentLogger: Logger = pino({ level: 'silent' });
