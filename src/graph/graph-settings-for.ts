import { AppError } from '../core/app-error.js';
import type { GraphSettings } from './graph-settings.js';

/** The tenant columns that say how to reach its directory (a tenants row satisfies it). */
export interface TenantConnection {
  name: string;
  directoryId: string | null;
  clientId: string | null;
  clientSecretEnv: string | null;
  certificatePath: string | null;
  graphUrl: string;
  authorityHost: string;
}

/**
 * The tenant row stores where the secret lives (an environment variable's name, or a certificate
 * path), never the secret itself. It is read here, at the last moment, and goes nowhere but the
 * credential.
 */
export function graphSettingsFor(tenant: TenantConnection, env: NodeJS.ProcessEnv, ca: string | null): GraphSettings {
  if (!tenant.directoryId || !tenant.clientId) {
    throw new AppError('SECRET_MISSING', `tenant "${tenant.name}" has no Entra directory id or client id configured`);
  }
  let credential: GraphSettings['credential'];
  if (tenant.certificatePath) {
    credential = { kind: 'certificate', path: tenant.certificatePath };
  } else if (tenant.clientSecretEnv) {
    const secret = env[tenant.clientSecretEnv];
    if (!secret) {
      throw new AppError(
        'SECRET_MISSING',
        `the client secret for tenant "${tenant.name}" is read from the environment variable ${tenant.clientSecretEnv}, which is not set`,
        { details: { variable: tenant.clientSecretEnv } },
      );
    }
    credential = { kind: 'secret', secret };
  } else {
    throw new AppError('SECRET_MISSING', `tenant "${tenant.name}" has neither clientSecretEnv nor certificatePath`);
  }
  return {
    directoryId: tenant.directoryId,
    clientId: tenant.clientId,
    credential,
    graphUrl: tenant.graphUrl,
    authorityHost: tenant.authorityHost,
    ca,
  };
}
