import { AuthenticationHandler, Client, ResponseType } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import type { TokenCredential } from '@azure/identity';
import { Agent } from 'undici';
import { AppError } from '../core/app-error.js';
import { systemClock, type Clock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { createCredential } from './create-credential.js';
import { FetchHandler, type FetchLike } from './fetch-handler.js';
import { graphErrorFrom, safePath } from './graph-error.js';
import { graphScope } from './graph-scope.js';
import { DEFAULT_RETRY, type GraphSettings, type RetryOptions } from './graph-settings.js';
import { emptyGraphStats, type GraphStats } from './graph-stats.js';
import { MALFORMED_RESPONSE, NETWORK_FAILURE, parsedBodies, ResilienceHandler } from './resilience-handler.js';
import { messageOf } from '../core/message-of.js';

/** The one door to Graph the rest of the code uses: JSON in, typed errors out. */
export interface GraphApi {
  /** Graph root including the version, e.g. https://graph.microsoft.com/v1.0 */
  readonly baseUrl: string;
  readonly stats: GraphStats;
  /** GET a path (relative to baseUrl) or an absolute link Graph gave us, and return its JSON. */
  getJson(pathOrUrl: string, headers?: Record<string, string>): Promise<unknown>;
  /** POST a JSON body (used for `$batch`, which only reads) and return the JSON answer. */
  postJson(path: string, body: unknown): Promise<unknown>;
}

export interface GraphApiDeps {
  clock?: Clock;
  random?: () => number;
  logger?: Logger;
  retry?: Partial<RetryOptions>;
  /** Injected transport; defaults to the global fetch. */
  fetch?: FetchLike;
  /** Injected credential, for tests that do not want a token endpoint. */
  credential?: TokenCredential;
}

export async function createGraphApi(settings: GraphSettings, deps: GraphApiDeps = {}): Promise<GraphApi> {
  const origin = new URL(settings.graphUrl).origin;
  const baseUrl = `${origin}/v1.0`;
  const stats = emptyGraphStats();
  const retry = { ...DEFAULT_RETRY, ...deps.retry };
  const logger = deps.logger ?? silentLogger;
  const credential = deps.credential ?? (await createCredential(settings));
  const auth = new AuthenticationHandler(
    new TokenCredentialAuthenticationProvider(credential, { scopes: [graphScope(origin)] }),
  );
  const resilience = new ResilienceHandler(retry, deps.clock ?? systemClock, deps.random ?? Math.random, stats, logger);
  // undici 6 matches Node 20's global fetch, so its Agent is accepted as a dispatcher (stack-notes §2 (i)).
  const dispatcher = settings.ca ? (new Agent({ connect: { ca: settings.ca } }) as unknown as RequestInit['dispatcher']) : undefined;
  const send = new FetchHandler(deps.fetch ?? (fetch as FetchLike), retry.requestTimeoutMs, dispatcher);
  auth.setNext(resilience);
  resilience.setNext(send);
  const client = Client.initWithMiddleware({
    baseUrl: origin,
    defaultVersion: 'v1.0',
    middleware: auth,
    // The SDK sends the bearer token only to Microsoft's Graph hosts unless told otherwise (stack-notes §2).
    customHosts: new Set([new URL(origin).hostname]),
  });

  async function request(method: 'get' | 'post', pathOrUrl: string, headers: Record<string, string>, body?: unknown): Promise<unknown> {
    const url = pathOrUrl.startsWith('https://') ? pathOrUrl : `${baseUrl}${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`;
    let response: Response;
    try {
      const call = client.api(url).headers(headers).responseType(ResponseType.RAW);
      response = (await (method === 'get' ? call.get() : call.post(body))) as Response;
    } catch (err) {
      throw classifyThrown(err, url);
    }
    if (response.ok && parsedBodies.has(response)) return parsedBodies.get(response);
    const text = await response.text();
    if (!response.ok) throw graphErrorFrom(response.status, text, url, response.headers.get('location'));
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new AppError('GRAPH_BAD_RESPONSE', `Graph ${safePath(url)} answered ${response.status} with a body that is not JSON`, {
        cause: err,
      });
    }
  }

  const getJson = (pathOrUrl: string, headers: Record<string, string> = {}) => request('get', pathOrUrl, headers);
  const postJson = (path: string, body: unknown) => request('post', path, { 'Content-Type': 'application/json' }, body);

  return { baseUrl, stats, getJson, postJson };
}

function classifyThrown(err: unknown, url: string): AppError {
  if (err instanceof AppError) return err;
  // The SDK rewraps errors thrown inside the middleware chain as GraphError, keeping the original
  // error's name as `code` and its message; classify by those.
  const names = [err instanceof Error ? err.name : '', (err as { code?: unknown } | null)?.code].filter((n): n is string => typeof n === 'string');
  const message = messageOf(err);
  if (names.includes(NETWORK_FAILURE)) return new AppError('GRAPH_NETWORK', message, { cause: err });
  if (names.includes(MALFORMED_RESPONSE)) return new AppError('GRAPH_BAD_RESPONSE', message, { cause: err });
  if (names.some((n) => AUTH_ERRORS.has(n)) || /AADSTS\d+/.test(message)) {
    // @azure/identity messages carry AADSTS codes and hints, never the secret itself.
    return new AppError('GRAPH_AUTH', `could not get a token for Graph: ${firstLine(message)}`, { cause: err });
  }
  return new AppError('GRAPH_REQUEST_FAILED', `Graph ${safePath(url)} failed: ${message}`, { cause: err });
}

const AUTH_ERRORS = new Set(['AuthenticationError', 'CredentialUnavailableError', 'AuthenticationRequiredError']);

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
