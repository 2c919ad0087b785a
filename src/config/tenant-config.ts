import type { MappingRule } from '../mapping/mapping-rule.js';
import type { ConfigIssue } from './config-issue.js';

/** The declarative tenant file after validation and defaults (format: tenant-file.ts). */
export interface ConfigFile {
  tenants: TenantConfig[];
  /** Legal but suspicious, e.g. mappings that can never match; not errors. */
  warnings: ConfigIssue[];
}

export type Encryption = 'kms' | 'byok' | 'none';
export type ProvisioningMethod = 'entra-import' | 'scim' | 'ad-ldap';
export type EmailFrom = 'mail' | 'userPrincipalName';

export interface EntraConnection {
  directoryId: string;
  clientId: string;
  /** Name of the environment variable holding the client secret; never the secret itself. */
  clientSecretEnv: string | null;
  certificatePath: string | null;
  /** Graph root without version or trailing slash, e.g. https://graph.microsoft.com. */
  graphUrl: string;
  /** Token host origin, e.g. https://login.microsoftonline.com. */
  authorityHost: string;
}

export interface SafetyLimits {
  /** Most users one run may preserve. */
  maxPreserve: number;
  /** Most users one run may preserve, as a percentage (0–100) of the tenant's managed users. */
  maxPreservePercent: number;
}

export interface TenantConfig {
  name: string;
  encryption: Encryption;
  provisioningMethod: ProvisioningMethod;
  entra: EntraConnection;
  emailFrom: EmailFrom;
  profiles: string[];
  storages: string[];
  mappings: MappingConfig[];
  /** A cron expression node-cron accepts. */
  schedule: string;
  /** Hours between full reconciliation rounds (1–720, default 24). */
  fullSyncIntervalHours: number;
  includeSharedMailboxes: boolean;
  sharedMailboxIds: string[];
  safety: SafetyLimits;
  /** Failure notices: the daemon POSTs JSON to the URL this environment variable holds; null when the file has no `notify`. */
  notify: { webhookUrlEnv: string } | null;
}

/**
 * A mapping as the file declares it: the engine's rule without its database id. `priority` is the
 * position in the file, from 1 (highest).
 */
export type MappingConfig = Omit<MappingRule, 'id'>;
