import { randomUUID } from 'node:crypto';
import { json, type MockResponse } from './mock-http.js';

/**
 * Graph's error envelope: `{"error":{"code","message","innerError":{"date","request-id",
 * "client-request-id"}}}` with `request-id`/`client-request-id` headers (graph-semantics §10.10, D9).
 */
export function graphError(
  status: number,
  code: string,
  message: string,
  opts: { clientRequestId?: string | undefined; now?: Date; headers?: Record<string, string>; innerCode?: string } = {},
): MockResponse {
  const requestId = randomUUID();
  const clientRequestId = opts.clientRequestId ?? requestId;
  const innerError: Record<string, string> = {
    date: (opts.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, ''),
    'request-id': requestId,
    'client-request-id': clientRequestId,
  };
  // The throttling sample in D7 carries the status as innerError.code.
  if (opts.innerCode !== undefined) innerError['code'] = opts.innerCode;
  return json(
    status,
    { error: { code, message, innerError } },
    { 'request-id': requestId, 'client-request-id': clientRequestId, ...opts.headers },
  );
}

/** Default Graph error code and message for a bare status, used by `status` faults. */
export function defaultErrorFor(status: number): { code: string; message: string } {
  switch (status) {
    case 400: return { code: 'BadRequest', message: 'Bad request.' };
    case 401: return { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' };
    case 403: return { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' };
    case 404: return { code: 'Request_ResourceNotFound', message: 'Resource does not exist.' };
    // D7: the documented 429 sample body.
    case 429: return { code: 'TooManyRequests', message: 'Please retry again later.' };
    // D9: serviceNotAvailable ("There may be a Retry-After header").
    case 503: return { code: 'serviceNotAvailable', message: 'The service is temporarily unavailable for maintenance or is overloaded.' };
    case 504: return { code: 'gatewayTimeout', message: 'The gateway did not receive a timely response.' };
    default: return { code: 'generalException', message: 'An unspecified error has occurred.' };
  }
}
