import type { IncomingMessage } from 'node:http';

/**
 * The mock answers plain request/response values rather than writing to sockets directly, so the
 * same handlers serve real HTTP, `$batch` inner requests and in-process tests alike.
 */
export interface MockRequest {
  method: string;
  /** Path without the query string, e.g. `/v1.0/users/delta`. */
  path: string;
  /** Query options; names keep their original case (lookups go through `queryOption`). */
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: string;
}

export type MockResponse =
  | { kind: 'json'; status: number; headers?: Record<string, string>; body: unknown }
  | { kind: 'raw'; status: number; headers?: Record<string, string>; body: string }
  /** Destroy the socket without answering (fault kind 'reset'). */
  | { kind: 'reset' };

export function json(status: number, body: unknown, headers?: Record<string, string>): MockResponse {
  return headers === undefined ? { kind: 'json', status, body } : { kind: 'json', status, body, headers };
}

/**
 * Query option lookup that ignores case: older Graph docs spell `$deltaToken` and the service
 * accepts both, so the mock does too (graph-semantics §1.1, [inf]).
 */
export function queryOption(query: URLSearchParams, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of query) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

export async function readRequest(req: IncomingMessage): Promise<MockRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? '/', 'http://mock.invalid');
  const headers: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    headers[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: decodeURIComponent(url.pathname),
    query: url.searchParams,
    headers,
    body: Buffer.concat(chunks).toString('utf8'),
  };
}

/** Serialises a response body the way it goes on the wire; `malformed` faults truncate this. */
export function serialiseBody(res: Exclude<MockResponse, { kind: 'reset' }>): string {
  return res.kind === 'raw' ? res.body : JSON.stringify(res.body);
}
