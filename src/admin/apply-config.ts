import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ConfigFile, MappingConfig, TenantConfig } from '../config/index.js';
import { deleteMappings } from '../store/delete-mappings.js';
import type { Db, Store } from '../store/open-store.js';
import { bumpMappingsVersion, recordAudit } from '../store/record-audit.js';
import { mappings, profiles, storages, tenants } from '../store/schema.js';

export interface TenantChange {
  tenant: string;
  outcome: 'created' | 'updated' | 'unchanged';
  /** Human-readable lines: "encryption: none → kms", "mapping Finance: added", … */
  changes: string[];
}

/**
 * Makes the database say what the file says, idempotently, in one transaction: applying the same
 * file twice changes nothing the second time. Every change is an audit event. Mappings not in the
 * file are removed (their users are decided again on the next run); profiles and storages are only
 * ever added, because inSync users point at them.
 */
export async function applyConfig(store: Store, file: ConfigFile, actor: string): Promise<TenantChange[]> {
  return store.db.transaction(async (tx) => {
    const out: TenantChange[] = [];
    for (const tenant of file.tenants) out.push(await applyTenant(tx, tenant, actor));
    return out;
  });
}

async function applyTenant(db: Db, cfg: TenantConfig, actor: string): Promise<TenantChange> {
  const wanted = {
    encryption: cfg.encryption,
    provisioningMethod: cfg.provisioningMethod,
    directoryId: cfg.entra.directoryId,
    clientId: cfg.entra.clientId,
    clientSecretEnv: cfg.entra.clientSecretEnv,
    certificatePath: cfg.entra.certificatePath,
    graphUrl: cfg.entra.graphUrl,
    authorityHost: cfg.entra.authorityHost,
    emailFrom: cfg.emailFrom,
    includeSharedMailboxes: cfg.includeSharedMailboxes,
    sharedMailboxIds: cfg.sharedMailboxIds.map((id) => id.toLowerCase()),
    schedule: cfg.schedule,
    fullSyncIntervalHours: cfg.fullSyncIntervalHours,
    maxPreserve: cfg.safety.maxPreserve,
    maxPreservePercent: cfg.safety.maxPreservePercent,
    notifyWebhookEnv: cfg.notify?.webhookUrlEnv ?? null,
  };
  const changes: string[] = [];
  let [row] = await db.select().from(tenants).where(eq(tenants.name, cfg.name));
  const created = !row;
  if (!row) {
    [row] = await db.insert(tenants).values({ name: cfg.name, ...wanted }).returning();
    if (!row) throw new Error('tenant insert returned nothing');
    await audit(db, row.id, actor, 'tenant.create', cfg.name, null, wanted);
  } else {
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(wanted)) {
      const current = (row as Record<string, unknown>)[key];
      if (canonical(current) !== canonical(value)) {
        before[key] = current;
        after[key] = value;
        changes.push(`${key}: ${show(before[key])} → ${show(after[key])}`);
      }
    }
    if (changes.length > 0) {
      await db.update(tenants).set({ ...wanted, updatedAt: new Date() }).where(eq(tenants.id, row.id));
      await audit(db, row.id, actor, 'tenant.update', cfg.name, before, after);
    }
  }
  const tenantId = row.id;

  const profileIds = await ensureNames(db, profiles, tenantId, cfg.profiles, 'profile', changes, actor);
  const storageIds = await ensureNames(db, storages, tenantId, cfg.storages, 'storage', changes, actor);
  const mappingChanged = await applyMappings(db, tenantId, cfg.mappings, profileIds, storageIds, changes, actor);
  if (mappingChanged && !created) {
    // Every user is decided again on the next run under the new mappings (ARCHITECTURE "decide").
    await bumpMappingsVersion(db, tenantId);
  }
  return { tenant: cfg.name, outcome: created ? 'created' : changes.length > 0 ? 'updated' : 'unchanged', changes: created ? ['created', ...changes] : changes };
}

async function ensureNames(
  db: Db,
  table: typeof profiles | typeof storages,
  tenantId: number,
  names: readonly string[],
  kind: 'profile' | 'storage',
  changes: string[],
  actor: string,
): Promise<Map<string, number>> {
  const existing = await db.select({ id: table.id, name: table.name }).from(table).where(eq(table.tenantId, tenantId));
  const ids = new Map(existing.map((r) => [r.name, r.id]));
  const missing = names.filter((n) => !ids.has(n));
  if (missing.length > 0) {
    const inserted = await db.insert(table).values(missing.map((name) => ({ tenantId, name }))).returning({ id: table.id, name: table.name });
    for (const r of inserted) {
      ids.set(r.name, r.id);
      changes.push(`${kind} ${r.name}: added`);
      await audit(db, tenantId, actor, `${kind}.create`, r.name, null, { name: r.name });
    }
  }
  return ids;
}

async function applyMappings(
  db: Db,
  tenantId: number,
  wanted: readonly MappingConfig[],
  profileIds: Map<string, number>,
  storageIds: Map<string, number>,
  changes: string[],
  actor: string,
): Promise<boolean> {
  const existing = await db.select().from(mappings).where(eq(mappings.tenantId, tenantId));
  const byName = new Map(existing.map((m) => [m.name, m]));
  const wantedNames = new Set(wanted.map((m) => m.name));
  let changed = false;

  const removed = existing.filter((m) => !wantedNames.has(m.name));
  if (removed.length > 0) {
    await deleteMappings(db, tenantId, inArray(mappings.id, removed.map((m) => m.id)));
    for (const m of removed) {
      changes.push(`mapping ${m.name}: removed`);
      await audit(db, tenantId, actor, 'mapping.delete', m.name, describe(m), null);
    }
    changed = true;
  }
  // Priorities are unique per tenant; park the survivors out of the way before renumbering.
  await db.update(mappings).set({ priority: sql`-${mappings.id}` }).where(eq(mappings.tenantId, tenantId));

  for (const m of wanted) {
    const values = {
      priority: m.priority,
      kind: m.selector.kind,
      selector: m.selector as unknown as Record<string, unknown>,
      profileId: requireId(profileIds, m.profile),
      storageId: requireId(storageIds, m.storage),
      quotaBytes: m.quotaBytes,
    };
    const old = byName.get(m.name);
    if (!old) {
      await db.insert(mappings).values({ tenantId, name: m.name, ...values });
      changes.push(`mapping ${m.name}: added at priority ${m.priority}`);
      await audit(db, tenantId, actor, 'mapping.create', m.name, null, values);
      changed = true;
      continue;
    }
    await db.update(mappings).set({ ...values, updatedAt: new Date() }).where(eq(mappings.id, old.id));
    const diffs: string[] = [];
    if (old.priority !== values.priority) diffs.push(`priority ${old.priority} → ${values.priority}`);
    if (canonical(old.selector) !== canonical(values.selector)) diffs.push('selector changed');
    if (old.profileId !== values.profileId) diffs.push('profile changed');
    if (old.storageId !== values.storageId) diffs.push('storage changed');
    if (old.quotaBytes !== values.quotaBytes) diffs.push(`quota ${show(old.quotaBytes)} → ${show(values.quotaBytes)}`);
    if (diffs.length > 0) {
      changes.push(`mapping ${m.name}: ${diffs.join(', ')}`);
      await audit(db, tenantId, actor, 'mapping.update', m.name, describe(old), values);
      changed = true;
    }
  }
  return changed;
}

function requireId(ids: Map<string, number>, name: string): number {
  const id = ids.get(name);
  // config/ has already checked that every mapping names a declared profile and storage.
  if (id === undefined) throw new Error(`"${name}" is not in the catalogue`);
  return id;
}

function describe(m: typeof mappings.$inferSelect): Record<string, unknown> {
  return { priority: m.priority, kind: m.kind, selector: m.selector, profileId: m.profileId, storageId: m.storageId, quotaBytes: m.quotaBytes };
}

function show(value: unknown): string {
  return value === null || value === undefined ? 'none' : typeof value === 'string' ? value : JSON.stringify(value);
}

function audit(db: Db, tenantId: number, actor: string, action: string, target: string, before: unknown, after: unknown): Promise<void> {
  return recordAudit(db, { tenantId, actor, action, target, before, after });
}

/** JSON with sorted keys: jsonb hands objects back with its own key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
