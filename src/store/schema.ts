/**
 * The whole data model in one place (drizzle-kit reads this file to generate drizzle/).
 * Three families: configuration (tenants … mappings), the Entra mirror (entra_*, delta_cursors)
 * and inSync's side plus history (insync_users, sync_runs, provisioning_log, audit_events).
 */
import { sql } from 'drizzle-orm';
import {
  bigint, bigserial, boolean, customType, index, integer, jsonb, pgSequence, pgTable, primaryKey, serial, text, timestamp, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';

/**
 * Text compared byte by byte (collation "C"), for the inSync email, whose unique index a first
 * import fills at random: under a libc collation such as the server default C.UTF-8 each
 * comparison went through strcoll, while "C" compares with memcmp. Equality, and so uniqueness,
 * is the same under every deterministic collation.
 */
const bytewiseText = customType<{ data: string }>({ dataType: () => 'text collate "C"' });

/**
 * An Entra object id: a GUID, stored in 16 bytes. Every directory object Graph returns (users,
 * groups and the other kinds a group can hold) has one, and the parsers skip an item whose id is
 * not one. As text the keys were 37 bytes: the mirror's, the memberships' and the inSync users'
 * indexes a first import fills at random were 85, 130 and 84 MB at a million users and 50, 72
 * and 50 MB as uuid. Where 128 MB of shared buffers cannot hold them all, that took 16 % off an
 * emulation of a 1M import's writes (50 s to 42 s) and about a tenth off the database's CPU in the
 * 1M bench. uuid orders by its bytes, the order of its lower-case text in JavaScript too
 * (mirrorUsers sorts by it).
 */
const objectId = (name: string) => uuid(name);

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export type Encryption = 'kms' | 'byok' | 'none';
export type ProvisioningMethod = 'entra-import' | 'scim' | 'ad-ldap';
export type TenantState = 'active' | 'paused' | 'quarantined';

export const tenants = pgTable('tenants', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  encryption: text('encryption').$type<Encryption>().notNull().default('none'),
  provisioningMethod: text('provisioning_method').$type<ProvisioningMethod>().notNull().default('entra-import'),
  /** Entra directory (tenant) id or domain. */
  directoryId: text('directory_id'),
  clientId: text('client_id'),
  /** The NAME of the environment variable holding the client secret; the secret itself is never stored. */
  clientSecretEnv: text('client_secret_env'),
  /** Path to a PEM certificate (with key) for certificate credentials. */
  certificatePath: text('certificate_path'),
  graphUrl: text('graph_url').notNull().default('https://graph.microsoft.com'),
  authorityHost: text('authority_host').notNull().default('https://login.microsoftonline.com'),
  emailFrom: text('email_from').$type<'mail' | 'userPrincipalName'>().notNull().default('mail'),
  includeSharedMailboxes: boolean('include_shared_mailboxes').notNull().default(false),
  /** Object ids the admin declared as shared mailboxes (used when mailboxSettings cannot be read). */
  sharedMailboxIds: jsonb('shared_mailbox_ids').$type<string[]>().notNull().default([]),
  schedule: text('schedule').notNull().default('0 * * * *'),
  fullSyncIntervalHours: integer('full_sync_interval_hours').notNull().default(24),
  maxPreserve: integer('max_preserve').notNull().default(500),
  maxPreservePercent: integer('max_preserve_percent').notNull().default(20),
  state: text('state').$type<TenantState>().notNull().default('active'),
  stateReason: text('state_reason'),
  /**
   * The environment variable holding the https URL the daemon POSTs to when a run fails or the
   * tenant is quarantined. Named, as the client secret is, because webhook services put their token
   * in the URL: the URL itself is never stored (no secrets in the body either).
   */
  notifyWebhookEnv: text('notify_webhook_env'),
  /** Bumped whenever mappings change; users decided under an older version are decided again. */
  mappingsVersion: integer('mappings_version').notNull().default(1),
  decidedMappingsVersion: integer('decided_mappings_version').notNull().default(0),
  lastFullSyncAt: timestamp('last_full_sync_at', { withTimezone: true }),
  /** Every mirrored user whose changed_seq is above this has been decided (see entra_users.changed_seq). */
  decidedSeq: bigint('decided_seq', { mode: 'number' }).notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const profiles = pgTable('profiles', {
  id: serial('id').primaryKey(),
  tenantId: integer('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('profiles_tenant_name').on(t.tenantId, t.name)]);

export const storages = pgTable('storages', {
  id: serial('id').primaryKey(),
  tenantId: integer('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('storages_tenant_name').on(t.tenantId, t.name)]);

export type MappingKind = 'group' | 'attribute' | 'all-users';

export const mappings = pgTable('mappings', {
  id: serial('id').primaryKey(),
  tenantId: integer('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  /** 1 is the highest priority. Unique per tenant. */
  priority: integer('priority').notNull(),
  kind: text('kind').$type<MappingKind>().notNull(),
  /** The selector as validated by config/ (group ids + nested, attribute clauses, or {}). */
  selector: jsonb('selector').$type<Record<string, unknown>>().notNull(),
  profileId: integer('profile_id').notNull().references(() => profiles.id),
  storageId: integer('storage_id').notNull().references(() => storages.id),
  /** Bytes; null means unlimited. */
  quotaBytes: bigint('quota_bytes', { mode: 'number' }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  uniqueIndex('mappings_tenant_name').on(t.tenantId, t.name),
  uniqueIndex('mappings_tenant_priority').on(t.tenantId, t.priority),
]);

export type Deletion = 'none' | 'soft' | 'hard';

/** Stamps every change to a mirrored user; one sequence for all tenants, compared per tenant. */
export const entraChangeSeq = pgSequence('entra_change_seq');

/*
 * The four tables a large import fills a row per user or membership into (entra_users,
 * entra_group_members, insync_users, provisioning_log) have no foreign keys: PostgreSQL checks
 * one per inserted row, and at a million users the tenant and mapping keys alone cost about 12 s
 * of the database's CPU. Tenants are never deleted by code; mappings are deleted only through
 * deleteMappings, which detaches their users as ON DELETE SET NULL did.
 */
export const entraUsers = pgTable('entra_users', {
  tenantId: integer('tenant_id').notNull(),
  id: objectId('id').notNull(),
  userPrincipalName: text('user_principal_name'),
  mail: text('mail'),
  displayName: text('display_name'),
  userType: text('user_type'),
  accountEnabled: boolean('account_enabled'),
  /** none; soft = @removed changed (restorable); hard = @removed deleted, or gone from a full resync. */
  deletion: text('deletion').$type<Deletion>().notNull().default('none'),
  /** Every selected string property as Graph returned it, flattened ("city", "onPremisesExtensionAttributes.extensionAttribute1"). */
  attributes: jsonb('attributes').$type<Record<string, string | null>>().notNull().default({}),
  /**
   * Bumped from entra_change_seq whenever delta touches the user (or a membership of theirs). Users
   * above the tenant's decided_seq need a new decision. A watermark instead of a per-user flag:
   * clearing a flag rewrote every decided row, the most expensive step of a large import.
   */
  changedSeq: bigint('changed_seq', { mode: 'number' }).notNull().default(sql`nextval('entra_change_seq')`),
  /** The run in which a full round last saw the user; a completed full round marks the unseen as gone. */
  seenRunId: integer('seen_run_id'),
  updatedAt: updatedAt(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  index('entra_users_changed').on(t.tenantId, t.changedSeq),
]);

export const entraGroups = pgTable('entra_groups', {
  tenantId: integer('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  id: objectId('id').notNull(),
  displayName: text('display_name'),
  groupTypes: jsonb('group_types').$type<string[]>().notNull().default([]),
  mailEnabled: boolean('mail_enabled'),
  securityEnabled: boolean('security_enabled'),
  deleted: boolean('deleted').notNull().default(false),
  seenRunId: integer('seen_run_id'),
  updatedAt: updatedAt(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.id] })]);

export const entraGroupMembers = pgTable('entra_group_members', {
  tenantId: integer('tenant_id').notNull(),
  groupId: objectId('group_id').notNull(),
  memberId: objectId('member_id').notNull(),
  /** 'user' | 'group' | other directoryObject kinds, from the member's @odata.type. */
  memberType: text('member_type').notNull(),
  seenRunId: integer('seen_run_id'),
}, (t) => [
  // Member first: the decide step looks up each user's groups by this prefix. Object ids are
  // random GUIDs, so every insert lands on a random leaf of this index; a second index keyed by
  // member (the primary key used to lead with the group) was a second such insert per row.
  primaryKey({ columns: [t.tenantId, t.memberId, t.groupId] }),
  // For the sweeps by group. Its keys repeat (a group's members), and a repeated key's new entries
  // go to the end of its range, in heap order: a few hundred hot pages, not random ones.
  index('entra_group_members_group').on(t.tenantId, t.groupId),
]);

export const deltaCursors = pgTable('delta_cursors', {
  tenantId: integer('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  /** 'users' or 'groups:<hash of the group ids in its $filter>'. */
  stream: text('stream').notNull(),
  deltaLink: text('delta_link').notNull(),
  /** Hash of the query that produced the link; a different query means a new round. */
  queryHash: text('query_hash').notNull(),
  roundStartedAt: timestamp('round_started_at', { withTimezone: true }).notNull(),
  updatedAt: updatedAt(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.stream] })]);

export type InsyncStatus = 'active' | 'preserved';
export type InsyncSource = 'auto' | 'manual';

export const insyncUsers = pgTable('insync_users', {
  id: serial('id').primaryKey(),
  tenantId: integer('tenant_id').notNull(),
  /** Stored as received; unique per tenant case-insensitively (through lower(email), byte by byte). */
  email: bytewiseText('email').notNull(),
  displayName: text('display_name').notNull(),
  entraObjectId: objectId('entra_object_id'),
  userPrincipalName: text('user_principal_name'),
  /** The deciding mapping; null once it is deleted (see deleteMappings). */
  mappingId: integer('mapping_id'),
  mappingName: text('mapping_name'),
  // No foreign keys on profile and storage: PostgreSQL checks one per inserted row, and with four
  // they were half the cost of creating a million users. The ids come from the tenant's mapping,
  // whose own keys guard them, and profiles and storages are never deleted.
  profileId: integer('profile_id').notNull(),
  storageId: integer('storage_id').notNull(),
  /** Bytes; null means unlimited. */
  quotaBytes: bigint('quota_bytes', { mode: 'number' }),
  /** An admin set the quota by hand; mapping changes leave it alone. */
  quotaOverride: boolean('quota_override').notNull().default(false),
  status: text('status').$type<InsyncStatus>().notNull().default('active'),
  /** Who preserved the user: the sync (may reactivate) or an admin (stays preserved). */
  preservedBy: text('preserved_by').$type<'sync' | 'admin'>(),
  preservedReason: text('preserved_reason'),
  source: text('source').$type<InsyncSource>().notNull().default('auto'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  uniqueIndex('insync_users_tenant_email').on(t.tenantId, sql`lower(${t.email})`),
  uniqueIndex('insync_users_tenant_object').on(t.tenantId, t.entraObjectId),
]);

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'refused' | 'quarantined';

export const syncRuns = pgTable('sync_runs', {
  id: serial('id').primaryKey(),
  tenantId: integer('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  mode: text('mode').$type<'incremental' | 'full'>().notNull(),
  trigger: text('trigger').notNull().default('cli'),
  status: text('status').$type<RunStatus>().notNull().default('running'),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  counts: jsonb('counts').$type<Record<string, unknown>>(),
  graphRequests: integer('graph_requests'),
  errorCode: text('error_code'),
  errorMessage: text('error_message'),
}, (t) => [index('sync_runs_tenant_started').on(t.tenantId, t.startedAt)]);

export type LogAction = 'create' | 'update' | 'preserve' | 'reactivate' | 'skip' | 'unchanged';

/**
 * One row per user action, append-only, a million on a large first import. No foreign keys: they
 * are checked per inserted row (a third of the cost of writing the log), and neither tenants nor
 * runs are ever deleted.
 */
export const provisioningLog = pgTable('provisioning_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: integer('tenant_id').notNull(),
  runId: integer('run_id'),
  entraObjectId: text('entra_object_id'),
  email: text('email'),
  action: text('action').$type<LogAction>().notNull(),
  reason: text('reason').notNull(),
  detail: jsonb('detail').$type<Record<string, unknown>>(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('provisioning_log_tenant_run').on(t.tenantId, t.runId),
  // Looked up by equality only (a user's history), so a hash index: a million rows go in about
  // 1.5 s faster than into a B-tree on (tenant_id, lower(email)), and it is less than half the
  // size. Nothing the import reads uses it. (The members' lookup stays a B-tree: with a hash index
  // there, the decide read's cached plan scanned the primary key's whole tenant range instead.)
  index('provisioning_log_email').using('hash', sql`lower(${t.email})`),
]);

export const auditEvents = pgTable('audit_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: integer('tenant_id').references(() => tenants.id, { onDelete: 'set null' }),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  target: text('target'),
  before: jsonb('before'),
  after: jsonb('after'),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});
