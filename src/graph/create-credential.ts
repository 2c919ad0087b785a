import { readFile } from 'node:fs/promises';
import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { AppError } from '../core/app-error.js';
import { MICROSOFT_AUTHORITY_HOSTS, type GraphSettings } from './graph-settings.js';

/**
 * Builds the @azure/identity credential for a tenant. Instance discovery is switched off for hosts
 * that are not Microsoft's, because MSAL would otherwise ask login.microsoftonline.com about them
 * and fail (stack-notes §1). `tlsOptions.ca` lets a self-signed test double be trusted in-process.
 */
export async function createCredential(settings: GraphSettings): Promise<TokenCredential> {
  const authorityHost = settings.authorityHost.replace(/\/+$/, '');
  const options = {
    authorityHost,
    disableInstanceDiscovery: !MICROSOFT_AUTHORITY_HOSTS.has(new URL(authorityHost).hostname),
    ...(settings.ca ? { tlsOptions: { ca: settings.ca } } : {}),
  };
  if (settings.credential.kind === 'secret') {
    return new ClientSecretCredential(settings.directoryId, settings.clientId, settings.credential.secret, options);
  }
  let certificate: string;
  try {
    certificate = await readFile(settings.credential.path, 'utf8');
  } catch (err) {
    throw new AppError('SECRET_MISSING', `cannot read the client certificate at ${settings.credential.path}`, { cause: err });
  }
  return new ClientCertificateCredential(settings.directoryId, settings.clientId, { certificate }, options);
}
