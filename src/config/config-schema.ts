import cron from 'node-cron';
import { z } from 'zod';
import type { AttributeClause } from '../mapping/mapping-rule.js';
import { CLOUDS, type CloudName } from './clouds.js';
import { parseQuota, QuotaError } from './parse-quota.js';
import { isMappableAttribute } from './user-attributes.js';

/*
 * Structural rules of the tenant file, one field at a time. Rules that relate fields to each
 * other (unique names, declared profiles, one selector per mapping) live in
 * check-config-rules.ts, which reads the raw input so they are reported even when a
 * neighbouring field is broken.
 */

/** Hourly incremental runs (insync-behaviour "Auto import" default). */
export const DEFAULT_SCHEDULE = '0 * * * *';
export const DEFAULT_SAFETY = { maxPreserve: 500, maxPreservePercent: 20 } as const;
/**
 * A daily full round catches what delta misses (restores under $select, graph-semantics I15, §11.7);
 * at most 30 days, well past the 7 days a delta link lives (B1).
 */
export const DEFAULT_FULL_SYNC_INTERVAL_HOURS = 24;
/**
 * inSync matches attribute values case-sensitively, exactly as Graph returns them;
 * `ignoreCase: true` is our opt-in extension (insync-behaviour "Attribute matching", S2).
 */
export const DEFAULT_IGNORE_CASE = false;

const EXAMPLE_GUID = 'c0c0c0c0-0000-4000-8000-000000000000';
const guid = z.guid({ error: `must be a GUID such as ${EXAMPLE_GUID}` });

/** Names people type and other fields refer to: stray spaces would make "Finance " ≠ "Finance". */
const label = z
  .string()
  .min(1, { error: 'must not be empty' })
  .refine((s) => s.trim() === s, { error: 'must not start or end with spaces' });

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  error: 'must be an environment variable name such as CONTOSO_GRAPH_SECRET (letters, digits, _)',
});

/**
 * An https origin. http is refused because @azure/identity refuses http authority hosts, and a
 * path is refused because the Graph client appends /v1.0 itself (graph-settings.ts).
 */
function httpsRoot(example: string) {
  return z.string().transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `is not a URL; write e.g. ${example}` });
      return z.NEVER;
    }
    let problem: string | null = null;
    if (url.protocol !== 'https:') problem = `must use https (got ${url.protocol.replace(':', '')})`;
    else if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
      problem = 'must not carry credentials, a query or a fragment';
    } else if (url.pathname !== '/') problem = 'must not have a path';
    if (problem === null) return url.origin;
    ctx.addIssue({ code: 'custom', message: `${problem}; write the bare root such as ${example}` });
    return z.NEVER;
  });
}

/**
 * Where failure notices go: the name of an environment variable of the daemon that holds the URL.
 * Webhook services put their token in the URL's path or query, and a tenant's settings are stored
 * in the database, where secrets are never kept in plain text; so the URL lives where the client
 * secret does. The URL itself is checked when a notice is sent (notify-webhook.ts).
 */
const notify = z
  .strictObject({
    webhookUrlEnv: envName,
    // Accepted by earlier versions; named here so that its error says where the URL goes now.
    webhookUrl: z.unknown().optional().refine((value) => value === undefined, {
      error: 'is no longer accepted: a webhook URL carries its receiver\'s token, and tenant settings are stored in the '
        + 'database; put the URL in an environment variable of the daemon and name it in notify.webhookUrlEnv',
    }),
  })
  .transform(({ webhookUrlEnv }) => ({ webhookUrlEnv }));

const cronExpression = z.string().superRefine((value, ctx) => {
  if (cron.validate(value)) return;
  const why = cron.validateDetailed(value).errors.map((e) => e.message).join('; ');
  ctx.addIssue({ code: 'custom', message: `is not a valid cron expression (${why}); e.g. "${DEFAULT_SCHEDULE}"` });
});

const quota = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    return parseQuota(value);
  } catch (err) {
    if (!(err instanceof QuotaError)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message });
    return z.NEVER;
  }
});

const attributeValue = z.string().min(1, { error: 'must not be empty; to require any value use "present": true' });
const valueOrList = z.union([attributeValue, z.array(attributeValue).min(1, { error: 'must list at least one value' })]);
const OPERATORS = ['equals', 'notEquals', 'startsWith', 'contains', 'present'] as const;

const attributeClause = z
  .strictObject({
    name: z.string().refine(isMappableAttribute, {
      error: 'is not an attribute a mapping can use; use a Graph user property such as city or department, '
        + 'or onPremisesExtensionAttributes.extensionAttribute1 … 15',
    }),
    equals: valueOrList.optional(),
    notEquals: valueOrList.optional(),
    startsWith: valueOrList.optional(),
    contains: valueOrList.optional(),
    present: z.literal(true, { error: 'must be true (leave it out otherwise)' }).optional(),
    ignoreCase: z.boolean().optional(),
  })
  .transform((clause, ctx): AttributeClause => {
    const used = OPERATORS.filter((op) => clause[op] !== undefined);
    if (used.length !== 1) {
      const found = used.length === 0 ? 'none' : used.join(' and ');
      ctx.addIssue({ code: 'custom', message: `needs exactly one operator of ${OPERATORS.join(', ')}; found ${found}` });
      return z.NEVER;
    }
    const op = used[0] ?? 'present';
    const raw = op === 'present' ? [] : clause[op];
    return {
      name: clause.name,
      op,
      values: typeof raw === 'string' ? [raw] : [...(raw ?? [])],
      ignoreCase: clause.ignoreCase ?? DEFAULT_IGNORE_CASE,
    };
  });

const mapping = z.strictObject({
  name: label,
  groups: z.array(guid).min(1, { error: 'must list at least one group id' }).optional(),
  /** Issue 3: members of member groups count too, at any depth. */
  nested: z.boolean().optional(),
  attribute: z.union([attributeClause, z.array(attributeClause).min(1, { error: 'must list at least one clause' })]).optional(),
  allUsers: z.literal(true, { error: 'must be true (leave it out otherwise)' }).optional(),
  profile: label,
  storage: label,
  quota,
});

const entra = z.strictObject({
  directoryId: guid,
  clientId: guid,
  clientSecretEnv: envName.optional(),
  certificatePath: z.string().min(1, { error: 'must not be empty' }).optional(),
  cloud: z.enum(Object.keys(CLOUDS) as [CloudName, ...CloudName[]]).optional(),
  graphUrl: httpsRoot(CLOUDS.global.graphUrl).optional(),
  authorityHost: httpsRoot(CLOUDS.global.authorityHost).optional(),
});

const tenant = z.strictObject({
  name: label,
  encryption: z.enum(['kms', 'byok', 'none']),
  provisioningMethod: z.enum(['entra-import', 'scim', 'ad-ldap']),
  entra,
  // mail is the recommended default (insync-sources Q9).
  emailFrom: z.enum(['mail', 'userPrincipalName']).default('mail'),
  profiles: z.array(label).min(1, { error: 'must declare at least one profile' }),
  storages: z.array(label).min(1, { error: 'must declare at least one storage' }),
  mappings: z.array(mapping),
  schedule: cronExpression.default(DEFAULT_SCHEDULE),
  fullSyncIntervalHours: z
    .int({ error: 'must be a whole number of hours, e.g. 24' })
    .min(1, { error: 'must be at least 1 hour' })
    .max(720, { error: 'must be at most 720 hours (30 days)' })
    .default(DEFAULT_FULL_SYNC_INTERVAL_HOURS),
  includeSharedMailboxes: z.boolean().default(false),
  sharedMailboxIds: z.array(guid).default([]),
  notify: notify.optional(),
  safety: z
    .strictObject({
      maxPreserve: z.int().min(0).default(DEFAULT_SAFETY.maxPreserve),
      maxPreservePercent: z.number().min(0).max(100).default(DEFAULT_SAFETY.maxPreservePercent),
    })
    .prefault({}),
});

export const configFileSchema = z.strictObject({
  /** Lets editors fetch a JSON schema; ignored otherwise. */
  $schema: z.string().optional(),
  tenants: z.array(tenant).min(1, { error: 'must list at least one tenant' }),
});

export type ParsedConfigFile = z.output<typeof configFileSchema>;
export type ParsedTenant = ParsedConfigFile['tenants'][number];
export type ParsedMapping = ParsedTenant['mappings'][number];
