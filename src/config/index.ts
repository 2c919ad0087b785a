export type { ConfigIssue } from './config-issue.js';
export { formatPath } from './config-issue.js';
export type {
  ConfigFile, EmailFrom, Encryption, EntraConnection, MappingConfig, ProvisioningMethod, SafetyLimits, TenantConfig,
} from './tenant-config.js';
export { parseConfigFile, readConfigFile } from './tenant-file.js';
export { DEFAULT_IGNORE_CASE, DEFAULT_SAFETY, DEFAULT_SCHEDULE } from './config-schema.js';
export { CLOUD_NAMES, CLOUDS, type CloudName } from './clouds.js';
export { formatQuota, parseQuota, QuotaError } from './parse-quota.js';
export { DEFAULT_DATA_DIR, LOG_LEVELS, loadEnv, type AppEnv, type LogLevel } from './env.js';
export { EXTENSION_ATTRIBUTES, isMappableAttribute, MAPPABLE_USER_ATTRIBUTES } from './user-attributes.js';
// A group or directory id in the tenant file follows the object-id rule (the same pattern as z.guid).
export { isObjectId as isGuid } from '../core/object-id.js';
