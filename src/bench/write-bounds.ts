import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../store/open-store.js';
import { COUNTED_TABLES, type RowCounts } from './bench-database.js';

/**
 * What the database alone spends writing a first import's rows, three ways, with no importer and
 * no Graph: the inputs are generated in the database beforehand, so only the writes are measured.
 *
 * - per batch: what a first import does today, a batch at a time into the shared tables and their
 *   indexes (copies of the statements of mirrorGroups, mirrorUsers, batchReader and applyActions,
 *   reading generated rows instead of parameters; the mirror's rows with the plain INSERTs a first
 *   round tries first, insertExpectingNew);
 * - deferred: the same batches and statements into empty tables of a new tenant's own (what
 *   per-tenant partitions would give), which keep only the indexes the import itself reads or
 *   relies on while it runs (KEPT_WHILE_IMPORTING); the memberships' indexes are built once the
 *   memberships are in, as the group streams finish before the decide step starts, and the rest
 *   at the end (a user Graph lists twice would have to be folded before the primary key is built).
 *   What a partitioned first import could save without changing how the import decides;
 * - bulk: the same rows into empty tables with no index, one statement a table, then the tables'
 *   own indexes built by sorting, and the decide read as one join. What loading a new tenant into
 *   a partition of its own could cost at best.
 *
 * The gaps bound what a bulk-load redesign could save, and the bulk figure what any design still
 * pays (issue 8: the import against the pull-only floor).
 */
export interface WriteBoundsOptions {
  users: number;
  groups: number;
  /** Rows per batch in the per-batch path, the import's write and decide batch. */
  batch: number;
  /** Starts measuring the database's CPU seconds; absent (or null at stop) where they cannot be read. */
  databaseCpu?: () => { stop(): number | null };
}

export const WRITE_STEPS = ['memberships', 'users', 'decide read', 'inSync users', 'log'] as const;
export type WriteStep = (typeof WRITE_STEPS)[number];

export interface WritePath {
  /** Seconds of each step, measured around its statements; bulk steps include their index builds. */
  steps: Record<WriteStep, number>;
  /** Of which building indexes (bulk only), and how many were built. */
  indexBuilds: number;
  indexesBuilt: number;
  /** What the decide read returned: users, and memberships summed over them. */
  decideRead: { users: number; memberships: number };
  /** CPU seconds of every database process over the path; null where they cannot be read. */
  databaseCpu: number | null;
  rows: RowCounts;
}

export interface WriteBounds {
  users: number;
  groups: number;
  batch: number;
  perBatch: WritePath;
  deferred: WritePath;
  bulk: WritePath;
}

const TENANT = 1;
const BULK = (table: string) => `wb_bulk_${table}`;
const DEFERRED = (table: string) => `wb_def_${table}`;

/**
 * The indexes a first import needs while it runs, by the shared tables' names: the decide step
 * follows the users stream by stamp (entra_users_changed), the planner looks emails up and the
 * email must stay unique as batches claim them (insync_users_tenant_email), and the keys of rows
 * numbered in insert order cost little to keep (the inSync users' and the log's own ids, the
 * log's run index). The memberships' primary key, which the decide read probes, is built before
 * the decide step starts. The rest waits for the end: the mirror's primary key, the inSync users'
 * object ids and the log's email.
 */
export const KEPT_WHILE_IMPORTING = ['entra_users_changed', 'insync_users_tenant_email', 'insync_users_pkey', 'provisioning_log_pkey', 'provisioning_log_tenant_run'];

export async function measureWriteBounds(store: Store, opts: WriteBoundsOptions): Promise<WriteBounds> {
  const run = (query: SQL) => store.rows<Record<string, unknown>>(store.db, query);
  try {
    await generateInputs(run, opts);
    const perBatch = await measured(opts, () => writeBatches(run, opts, { name: (t) => t }));
    perBatch.rows = await countRows(run, (t) => t);
    const deferred = await measured(opts, () => writeDeferred(run, opts));
    deferred.rows = await countRows(run, DEFERRED);
    // One transaction, with parallel workers off: their CPU would be lost to the meter when they
    // exit, and the per-batch path has one backend too.
    const bulk = await measured(opts, () => store.db.transaction(async (tx) => {
      const runTx: Run = (query) => store.rows<Record<string, unknown>>(tx, query);
      await runTx(sql.raw("select set_config('max_parallel_maintenance_workers', '0', true), set_config('max_parallel_workers_per_gather', '0', true)"));
      return writeBulk(runTx);
    }));
    bulk.rows = await countRows(run, BULK);
    return { users: opts.users, groups: opts.groups, batch: opts.batch, perBatch, deferred, bulk };
  } finally {
    await run(sql.raw(`drop table if exists wb_users, wb_members, ${[...COUNTED_TABLES.map(BULK), ...COUNTED_TABLES.map(DEFERRED)].join(', ')}`));
  }
}

type Run = (query: SQL) => Promise<Record<string, unknown>[]>;

async function measured(opts: WriteBoundsOptions, path: () => Promise<Omit<WritePath, 'databaseCpu' | 'rows'>>): Promise<WritePath> {
  const meter = opts.databaseCpu?.();
  const result = await path();
  return { ...result, databaseCpu: meter?.stop() ?? null, rows: emptyCounts() };
}

/**
 * Users in a random listing order with random object ids, and attributes shaped like the synthetic
 * tenant's (about 330 bytes of JSON); one membership a user, listed group by group as the groups
 * streams read them.
 */
async function generateInputs(run: Run, opts: WriteBoundsOptions): Promise<void> {
  await run(sql.raw(`
    create table wb_users as
    select n, gen_random_uuid() as id, format('user.%s@bounds.example', n) as email,
           format('{"city": "Seattle", "mail": "user.%1$s@bounds.example", "surname": "Costa", "userType": "Member",
                    "givenName": "Femi", "department": "Finance", "employeeId": "S%1$s", "displayName": "Femi Costa %1$s",
                    "mailNickname": "user.%1$s", "accountEnabled": "true", "userPrincipalName": "user.%1$s@bounds.example"}', n) as attrs
    from generate_series(1, ${opts.users}) n`));
  await run(sql.raw(`
    create table wb_members as
    select row_number() over (order by g, n) as k, md5('group ' || g)::uuid as group_id, id as member_id
    from (select n, id, 1 + (hashint4(n) & 2147483647) % ${Math.max(1, opts.groups)} as g from wb_users) u`));
  await run(sql.raw('create index on wb_users (n)'));
  await run(sql.raw('create index on wb_members (k)'));
  await run(sql.raw('analyze wb_users'));
  await run(sql.raw('analyze wb_members'));
}

/** Where a batch path writes: the shared tables, or a new tenant's own tables. */
interface BatchTarget {
  name: (table: string) => string;
  /** Runs once every membership is in, before the first user (timed by the caller's clock). */
  afterMemberships?: (timed: Timed) => Promise<void>;
}

type Timed = (step: WriteStep, query: SQL) => Promise<Record<string, unknown>[]>;

async function writeBatches(run: Run, opts: WriteBoundsOptions, target: BatchTarget, clock = stepClock(run)): Promise<Omit<WritePath, 'databaseCpu' | 'rows'>> {
  const { steps, timed } = clock;
  const t = target.name;
  const batches = Math.ceil(opts.users / opts.batch);
  const range = (b: number, column: string) => `${column} > ${b * opts.batch} and ${column} <= ${(b + 1) * opts.batch}`;
  // The groups streams are done before most users arrive, as in a first import.
  for (let b = 0; b < batches; b += 1) {
    await timed('memberships', sql.raw(`
      insert into ${t('entra_group_members')} as m (tenant_id, group_id, member_id, member_type, seen_run_id)
      select ${TENANT}, group_id, member_id, 'user', 1 from wb_members where ${range(b, 'k')}`));
  }
  await target.afterMemberships?.(timed);
  let decided = 0;
  const decideRead = { users: 0, memberships: 0 };
  for (let b = 0; b < batches; b += 1) {
    await timed('users', sql.raw(`
      insert into ${t('entra_users')} as u (tenant_id, id, attributes, user_principal_name, mail, display_name, user_type,
                                    account_enabled, deletion, seen_run_id, updated_at)
      select ${TENANT}, x.id, x.a, x.a->>'userPrincipalName', x.a->>'mail', x.a->>'displayName', x.a->>'userType',
             (x.a->>'accountEnabled')::boolean, 'none', 1, now()
      from (select id, attrs::jsonb as a from wb_users where ${range(b, 'n')} offset 0) x`));
    const [read] = await timed('decide read', sql.raw(`
      -- Every column is used: the planner drops a subquery's unused outputs, the membership lookup with them.
      select max(changed_seq)::text as last, sum(cardinality(group_ids))::int as memberships, count(attributes)::int as users from (
        select u.id, u.changed_seq, jsonb_build_object('department', u.attributes->'department') as attributes,
               array(select m.group_id from ${t('entra_group_members')} m where m.tenant_id = u.tenant_id and m.member_id = u.id) as group_ids
        from ${t('entra_users')} u where u.tenant_id = ${TENANT} and u.changed_seq > ${decided} order by u.changed_seq limit ${opts.batch}) q`));
    decided = Number(read?.['last'] ?? decided);
    decideRead.users += Number(read?.['users'] ?? 0);
    decideRead.memberships += Number(read?.['memberships'] ?? 0);
    await timed('inSync users', sql.raw(`
      insert into ${t('insync_users')} (tenant_id, email, display_name, entra_object_id, user_principal_name, mapping_id, mapping_name,
                                profile_id, storage_id, quota_bytes, status, source)
      ${insyncRows(range(b, 'n'))}`));
    await timed('log', sql.raw(`
      insert into ${t('provisioning_log')} (tenant_id, run_id, entra_object_id, email, action, reason, detail)
      ${logRows(range(b, 'n'))}`));
  }
  return { steps, indexBuilds: 0, indexesBuilt: 0, decideRead };
}

/** The per-batch path into a new tenant's own tables, with the indexes the import needs while it runs and the rest built after. */
async function writeDeferred(run: Run, opts: WriteBoundsOptions): Promise<Omit<WritePath, 'databaseCpu' | 'rows'>> {
  const clock = stepClock(run);
  const indexes = indexCopier(run, clock.timed, DEFERRED);
  for (const table of COUNTED_TABLES) await run(sql.raw(`create table ${DEFERRED(table)} (like ${table} including defaults)`));
  const step: Record<(typeof COUNTED_TABLES)[number], WriteStep> = {
    entra_group_members: 'memberships', entra_users: 'users', insync_users: 'inSync users', provisioning_log: 'log',
  };
  for (const table of COUNTED_TABLES) {
    if (table !== 'entra_group_members') await indexes.build(step[table], table, (name) => KEPT_WHILE_IMPORTING.includes(name));
  }
  const path = await writeBatches(run, opts, {
    name: DEFERRED,
    afterMemberships: () => indexes.build('memberships', 'entra_group_members', () => true),
  }, clock);
  // A user listed twice would be folded here, before the key is built; the generated ones are not.
  for (const table of ['entra_users', 'insync_users', 'provisioning_log'] as const) {
    await indexes.build(step[table], table, (name) => !KEPT_WHILE_IMPORTING.includes(name));
  }
  return { ...path, indexBuilds: indexes.seconds(), indexesBuilt: indexes.count() };
}

/**
 * Builds, on copies of the shared tables, the shared tables' own indexes (so the comparison
 * follows the schema as it changes), timed into a step, and keeps count.
 */
function indexCopier(run: Run, timed: Timed, copy: (table: string) => string) {
  let seconds = 0;
  let count = 0;
  return {
    async build(step: WriteStep, table: string, which: (indexName: string) => boolean): Promise<void> {
      const defs = await run(sql`select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename = ${table}`);
      for (const { indexname, indexdef } of defs) {
        if (!which(String(indexname))) continue;
        const started = performance.now();
        await timed(step, sql.raw(String(indexdef).replace(/^CREATE (UNIQUE )?INDEX (\S+) ON public\.(\S+)/, (_m, unique: string | undefined, name: string, t: string) =>
          `CREATE ${unique ?? ''}INDEX ${copy(name)} ON ${copy(t)}`)));
        seconds += (performance.now() - started) / 1000;
        count += 1;
      }
    },
    seconds: () => seconds,
    count: () => count,
  };
}

async function writeBulk(run: Run): Promise<Omit<WritePath, 'databaseCpu' | 'rows'>> {
  const { steps, timed } = stepClock(run);
  const indexes = indexCopier(run, timed, BULK);
  const buildIndexes = (step: WriteStep, table: string) => indexes.build(step, table, () => true);
  for (const table of COUNTED_TABLES) await run(sql.raw(`create table ${BULK(table)} (like ${table} including defaults)`));
  await timed('memberships', sql.raw(`
    insert into ${BULK('entra_group_members')} (tenant_id, group_id, member_id, member_type, seen_run_id)
    select ${TENANT}, group_id, member_id, 'user', 1 from wb_members order by k`));
  await buildIndexes('memberships', 'entra_group_members');
  await timed('users', sql.raw(`
    insert into ${BULK('entra_users')} (tenant_id, id, attributes, user_principal_name, mail, display_name, user_type,
                                        account_enabled, deletion, seen_run_id, updated_at)
    select ${TENANT}, x.id, x.a, x.a->>'userPrincipalName', x.a->>'mail', x.a->>'displayName', x.a->>'userType',
           (x.a->>'accountEnabled')::boolean, 'none', 1, now()
    from (select id, attrs::jsonb as a from wb_users order by n offset 0) x`));
  await buildIndexes('users', 'entra_users');
  const [read] = await timed('decide read', sql.raw(`
    select count(attributes)::int as users, sum(cardinality(group_ids))::int as memberships from (
      select u.id, jsonb_build_object('department', u.attributes->'department') as attributes,
             array_agg(m.group_id) filter (where m.group_id is not null) as group_ids
      from ${BULK('entra_users')} u left join ${BULK('entra_group_members')} m on m.tenant_id = u.tenant_id and m.member_id = u.id
      where u.tenant_id = ${TENANT} group by u.id, u.attributes) q`));
  await timed('inSync users', sql.raw(`
    insert into ${BULK('insync_users')} (tenant_id, email, display_name, entra_object_id, user_principal_name, mapping_id, mapping_name,
                                         profile_id, storage_id, quota_bytes, status, source)
    ${insyncRows('true')}`));
  await buildIndexes('inSync users', 'insync_users');
  await timed('log', sql.raw(`insert into ${BULK('provisioning_log')} (tenant_id, run_id, entra_object_id, email, action, reason, detail) ${logRows('true')}`));
  await buildIndexes('log', 'provisioning_log');
  return { steps, indexBuilds: indexes.seconds(), indexesBuilt: indexes.count(), decideRead: { users: Number(read?.['users'] ?? 0), memberships: Number(read?.['memberships'] ?? 0) } };
}

function insyncRows(where: string): string {
  return `select ${TENANT}, email, 'Femi Costa ' || n, id, email, 1, 'all users', 1, 1, 1073741824, 'active', 'auto'
          from wb_users where ${where} order by n`;
}

function logRows(where: string): string {
  return `select ${TENANT}, 1, id::text, email, 'create', 'NEW_IN_SCOPE',
                 '{"mapping": "all users", "profile": "Default", "storage": "Default", "quotaBytes": 1073741824}'::jsonb
          from wb_users where ${where} order by n`;
}

async function countRows(run: Run, name: (table: string) => string): Promise<RowCounts> {
  const [row] = await run(sql.raw(`select ${COUNTED_TABLES.map((t) => `(select count(*)::int from ${name(t)}) as ${t}`).join(', ')}`));
  const counts = emptyCounts();
  for (const t of COUNTED_TABLES) counts[t] = Number(row?.[t] ?? 0);
  return counts;
}

/** Runs statements and adds the seconds each took to its step. */
function stepClock(run: Run): { steps: Record<WriteStep, number>; timed: Timed } {
  const steps: Record<WriteStep, number> = { memberships: 0, users: 0, 'decide read': 0, 'inSync users': 0, log: 0 };
  const timed = async (step: WriteStep, query: SQL) => {
    const started = performance.now();
    const rows = await run(query);
    steps[step] += (performance.now() - started) / 1000;
    return rows;
  };
  return { steps, timed };
}

function emptyCounts(): RowCounts {
  return { entra_users: 0, entra_group_members: 0, insync_users: 0, provisioning_log: 0 };
}
