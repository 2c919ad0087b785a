import { AppError, type AppErrorCode } from '../core/app-error.js';

interface GraphErrorBody {
  code: string | null;
  message: string | null;
}

/** Graph's error envelope is `{ "error": { "code", "message", "innerError" } }` (graph-semantics D9). */
export function readGraphErrorBody(text: string): GraphErrorBody {
  try {
    const parsed: unknown = JSON.parse(text);
    const error = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    return {
      code: typeof error?.code === 'string' ? error.code : null,
      message: typeof error?.message === 'string' ? error.message : null,
    };
  } catch {
    return { code: null, message: null };
  }
}

/** Error codes that mean "this delta link is dead; start a new round" (§1.5, D1, D9, B1, I10). */
const RESYNC_CODES = new Set(['syncstatenotfound', 'resyncrequired', 'syncstateinvalid']);

/**
 * Turns a failed Graph response into a typed error. The URL is reduced to its path: query strings
 * carry opaque delta state that means nothing to a reader and bloats logs.
 */
export function graphErrorFrom(status: number, bodyText: string, url: string, location: string | null): AppError {
  const body = readGraphErrorBody(bodyText);
  const path = safePath(url);
  const what = `${body.code ?? `HTTP ${status}`}${body.message ? `: ${body.message}` : ''}`;
  const details = { status, graphCode: body.code, path };
  // Compare case-insensitively: Graph has spelled the same code two ways (B1 vs I10).
  const codeLower = body.code?.toLowerCase() ?? '';
  if (status === 410 || ((status === 400 || status === 404) && RESYNC_CODES.has(codeLower))) {
    return new AppError('DELTA_TOKEN_EXPIRED', `Graph says the delta link must be resynced (${what})`, {
      details: { ...details, location },
    });
  }
  const code: AppErrorCode =
    status === 401 ? 'GRAPH_AUTH'
    : status === 403 ? 'GRAPH_FORBIDDEN'
    : status === 429 ? 'GRAPH_THROTTLED'
    : status >= 500 ? 'GRAPH_UNAVAILABLE'
    : 'GRAPH_REQUEST_FAILED';
  const hint =
    code === 'GRAPH_FORBIDDEN'
      ? ' — grant the app registration the application permissions User.Read.All and GroupMember.Read.All, with admin consent'
      : code === 'GRAPH_AUTH'
        ? ' — check the directory id, client id and secret or certificate'
        : '';
  return new AppError(code, `Graph ${path} failed with ${status} (${what})${hint}`, { details });
}

export function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0] ?? url;
  }
}
