import { randomUUID } from 'node:crypto';
import type { MockAppSeed } from './directory-seed.js';
import type { MockContext } from './mock-context.js';
import { json, type MockRequest, type MockResponse } from './mock-http.js';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * The login authority on the same origin as Graph: OpenID metadata, instance discovery and the
 * client-credentials token endpoint (D20). Returns undefined for paths that are not its own.
 */
export function handleLoginRoute(ctx: MockContext, req: MockRequest): MockResponse | undefined {
  const parts = req.path.split('/').filter((p) => p.length > 0);
  if (req.method === 'GET' && req.path === '/common/discovery/instance') return instanceDiscovery(ctx);
  const [tenant, a, b, c] = parts;
  if (tenant === undefined) return undefined;
  if (req.method === 'GET' && a === 'v2.0' && b === '.well-known' && c === 'openid-configuration' && parts.length === 4) {
    return openIdConfiguration(ctx, tenant);
  }
  if (req.method === 'GET' && a === 'discovery' && b === 'v2.0' && c === 'keys') return json(200, { keys: [] });
  if (a === 'oauth2' && b === 'v2.0' && c === 'token' && parts.length === 4) {
    return req.method === 'POST' ? issueToken(ctx, req, tenant) : undefined;
  }
  return undefined;
}

function authority(ctx: MockContext, tenant: string): string { return `${ctx.baseUrl}/${tenant}`; }

/** stack-notes §1: MSAL needs issuer on the authority host, and jwks_uri present. */
function openIdConfiguration(ctx: MockContext, tenant: string): MockResponse {
  if (!knownTenant(ctx, tenant) && tenant !== 'common' && tenant !== 'organizations') {
    return tokenError(ctx, 400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
  }
  const base = authority(ctx, ctx.seed.directoryId);
  return json(200, {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/v2.0`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'localhost',
  });
}

/** MSAL asks this unless instance discovery is disabled; answer as the real host would for itself. */
function instanceDiscovery(ctx: MockContext): MockResponse {
  const host = new URL(ctx.baseUrl).host;
  return json(200, {
    tenant_discovery_endpoint: `${ctx.baseUrl}/${ctx.seed.directoryId}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}

function knownTenant(ctx: MockContext, tenant: string): boolean {
  const t = tenant.toLowerCase();
  return t === ctx.seed.directoryId.toLowerCase() || (ctx.seed.organization?.verifiedDomains ?? []).some((d) => d.toLowerCase() === t);
}

function issueToken(ctx: MockContext, req: MockRequest, tenant: string): MockResponse {
  const form = new URLSearchParams(req.body);
  const basic = parseBasic(req.headers['authorization']);
  const clientId = form.get('client_id') ?? basic?.id ?? '';
  if (!knownTenant(ctx, tenant)) return tokenError(ctx, 400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`);
  if (form.get('grant_type') !== 'client_credentials') {
    return tokenError(ctx, 400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
  }
  const scope = form.get('scope') ?? '';
  // D20: client credentials take exactly `{resource}/.default`.
  if (!/^\S+\/\.default$/.test(scope)) {
    return tokenError(ctx, 400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
  }
  const app = ctx.seed.apps.find((x) => x.clientId === clientId && (x.directoryId ?? ctx.seed.directoryId) === ctx.seed.directoryId);
  if (!app) {
    return tokenError(ctx, 400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`);
  }
  const failure = authenticate(ctx, app, form, basic);
  if (failure) return failure;
  const lifetime = ctx.options.tokenLifetimeSeconds;
  const access = ctx.tokens.issue({
    clientId, directoryId: ctx.seed.directoryId, roles: app.roles, expiresAt: ctx.clock.now().getTime() + lifetime * 1000,
  });
  ctx.stats.tokensIssued += 1;
  return json(200, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: access });
}

/** Secret (post or basic) or a client assertion JWT whose iss and sub are the client id. */
function authenticate(ctx: MockContext, app: MockAppSeed, form: URLSearchParams, basic: { id: string; secret: string } | undefined): MockResponse | undefined {
  const assertion = form.get('client_assertion');
  if (assertion !== null) {
    if (form.get('client_assertion_type') !== ASSERTION_TYPE || !assertionNamesClient(assertion, app.clientId)) {
      return tokenError(ctx, 401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
    }
    return undefined;
  }
  const secret = form.get('client_secret') ?? basic?.secret;
  if (secret === undefined || secret === null) {
    return tokenError(ctx, 401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  if (secret !== app.clientSecret) {
    // Entra's answer to a wrong secret: 401 invalid_client, AADSTS7000215.
    return tokenError(ctx, 401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
  }
  return undefined;
}

function assertionNamesClient(jwt: string, clientId: string): boolean {
  const parts = jwt.split('.');
  if (parts.length !== 3 || !parts[1]) return false;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { iss?: unknown; sub?: unknown };
    return payload.iss === clientId && payload.sub === clientId;
  } catch {
    return false;
  }
}

function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

/** D20's error body: error, error_description starting with the AADSTS code, error_codes, ids. */
function tokenError(ctx: MockContext, status: number, error: string, code: number, text: string): MockResponse {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = ctx.clock.now().toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
  return json(status, {
    error,
    error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `${ctx.baseUrl}/error?code=${code}`,
  });
}
