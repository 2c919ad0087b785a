import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../core/app-error.js';
import type { GraphApi } from '../graph/create-graph-api.js';
import { findUserByMail } from '../graph/find-user-by-mail.js';
import { getUser } from '../graph/get-user.js';
import type { UserSummary } from '../graph/user-summary.js';
import { decideUser, type DirectoryUser, type MappingRule, type TenantPolicy } from '../mapping/index.js';
import type { Db, Store } from '../store/open-store.js';
import { insyncUsers, provisioningLog } from '../store/schema.js';
import type { TenantRow } from '../store/tenant-row.js';
import { findTenant } from './find-tenant.js';
import { catalogueId, quotaBytesFrom } from './mapping-input.js';
import { openTenantGraph, type AdminGraphDeps } from './open-tenant-graph.js';
import { recordUserChange } from '../store/record-user-change.js';

export interface ManualImport {
  /** Entra object ids, UPNs, or mails (tried as a UPN first, then by mail). */
  users: string[];
  profile: string;
  storage: string;
  /** "100GB", "unlimited". */
  quota: string;
}

export type ManualImportReason =
  | 'MANUAL_IMPORT' | 'NOT_FOUND' | 'ALREADY_IMPORTED' | 'EMAIL_CONFLICT'
  | 'GUEST' | 'USER_TYPE_MISSING' | 'DISABLED' | 'SOFT_DELETED' | 'DELETED' | 'NO_EMAIL' | 'INVALID_EMAIL' | 'SHARED_MAILBOX_EXCLUDED';

export interface ManualImportOutcome {
  /** What the admin typed. */
  user: string;
  entraObjectId: string | null;
  email: string | null;
  action: 'create' | 'skip';
  reason: ManualImportReason;
}

/**
 * The eligibility rules of the decision engine, reached through decideUser with one all-users
 * rule: a manual import must refuse exactly whom an automatic one would (guests, disabled, no
 * email, missing userType…), with the same reasons.
 */
const ANYONE: MappingRule = { id: 0, name: 'manual import', priority: 1, selector: { kind: 'all-users' }, profile: '', storage: '', quotaBytes: null };
const NO_GROUPS = { direct: new Set<string>(), transitive: new Set<string>() };

/**
 * Imports chosen directory users by hand (insync-behaviour "Manual import"): source 'manual', the
 * given profile/storage/quota, no mapping. One user's refusal never stops the others; each user
 * gets a provisioning-log row and, when created, an audit event. The sync then keeps them unless
 * they are deleted or disabled in Entra (plan-user.ts).
 */
export async function importUsers(store: Store, tenantName: string, request: ManualImport, actor: string, deps: AdminGraphDeps): Promise<ManualImportOutcome[]> {
  if (request.users.length === 0) throw new AppError('USAGE', 'name at least one user (object id, UPN or mail) to import');
  const quotaBytes = quotaBytesFrom(request.quota);
  const tenant = await findTenant(store.db, tenantName);
  refuseUnlessImporting(tenant);
  const profileId = await catalogueId(store.db, tenant.id, 'profile', request.profile);
  const storageId = await catalogueId(store.db, tenant.id, 'storage', request.storage);
  const graph = await openTenantGraph(tenant, deps);
  const policy: TenantPolicy = {
    emailFrom: tenant.emailFrom,
    includeSharedMailboxes: tenant.includeSharedMailboxes,
    sharedMailboxIds: new Set(tenant.sharedMailboxIds.map((id) => id.toLowerCase())),
  };
  const assignment = { profileId, storageId, quotaBytes, profile: request.profile, storage: request.storage };
  // The sync's lock: a run creating the same user at the same moment would otherwise collide.
  const locked = await store.withTenantLock(tenant.id, async () => {
    const out: ManualImportOutcome[] = [];
    for (const ref of request.users) {
      const found = await lookUp(graph, ref);
      out.push(await store.db.transaction((db) => importOne(db, tenant.id, ref, found, policy, assignment, actor)));
    }
    return out;
  });
  if (!locked.ran) throw new AppError('TENANT_LOCKED', `a sync of tenant "${tenantName}" is running; import when it finishes`);
  return locked.value;
}

/** Manual import is an import too: the same encryption and method preconditions as a sync. */
function refuseUnlessImporting(tenant: TenantRow): void {
  if (tenant.encryption !== 'kms' && tenant.encryption !== 'byok') {
    throw new AppError('ENCRYPTION_REQUIRED', `tenant "${tenant.name}" has encryption "${tenant.encryption}"; importing users requires KMS or BYOK`);
  }
  if (tenant.provisioningMethod !== 'entra-import') {
    throw new AppError('METHOD_NOT_ENTRA_IMPORT', `tenant "${tenant.name}" provisions users by "${tenant.provisioningMethod}", not "entra-import"`);
  }
}

async function lookUp(graph: GraphApi, ref: string): Promise<UserSummary | null> {
  const byKey = await getUser(graph, ref.trim());
  if (byKey !== null || !ref.includes('@')) return byKey;
  return findUserByMail(graph, ref.trim());
}

interface Assignment {
  profileId: number;
  storageId: number;
  quotaBytes: number | null;
  profile: string;
  storage: string;
}

async function importOne(
  db: Db, tenantId: number, ref: string, user: UserSummary | null, policy: TenantPolicy, assignment: Assignment, actor: string,
): Promise<ManualImportOutcome> {
  const skip = async (reason: ManualImportReason, email: string | null, detail: Record<string, unknown> = {}): Promise<ManualImportOutcome> => {
    await logSkip(db, tenantId, { entraObjectId: user?.id ?? null, email, reason, detail: { manual: true, user: ref, actor, ...detail } });
    return { user: ref, entraObjectId: user?.id ?? null, email, action: 'skip', reason };
  };
  if (user === null) return skip('NOT_FOUND', ref.includes('@') ? ref : null);
  const decision = decideUser(toDirectoryUser(user), NO_GROUPS, [ANYONE], policy);
  if (!decision.eligible) {
    // The only rule is all-users, so NO_MAPPING_MATCHED cannot happen here.
    return skip(decision.reason === 'NO_MAPPING_MATCHED' ? 'NOT_FOUND' : decision.reason, decision.email);
  }
  const [linked] = await db.select({ id: insyncUsers.id, email: insyncUsers.email }).from(insyncUsers)
    .where(and(eq(insyncUsers.tenantId, tenantId), eq(insyncUsers.entraObjectId, user.id)));
  if (linked) return skip('ALREADY_IMPORTED', linked.email);
  const [holder] = await db.select({ id: insyncUsers.id, entraObjectId: insyncUsers.entraObjectId }).from(insyncUsers)
    .where(and(eq(insyncUsers.tenantId, tenantId), sql`lower(${insyncUsers.email}) = ${decision.email}`));
  if (holder) return skip('EMAIL_CONFLICT', decision.emailAsReceived, { heldBy: holder.entraObjectId ?? `inSync user ${holder.id}` });

  const fields = {
    email: decision.emailAsReceived, displayName: decision.userName, entraObjectId: user.id, userPrincipalName: user.userPrincipalName,
    profileId: assignment.profileId, storageId: assignment.storageId, quotaBytes: assignment.quotaBytes,
  };
  await db.insert(insyncUsers).values({ tenantId, ...fields, status: 'active', source: 'manual' });
  const shown = { profile: assignment.profile, storage: assignment.storage, quotaBytes: assignment.quotaBytes };
  const nameDetail = decision.userName !== (user.displayName ?? '') ? { originalName: user.displayName } : {};
  await recordUserChange(db, {
    tenantId, actor, auditAction: 'user.import', user: { email: fields.email, entraObjectId: user.id }, before: null, after: { ...fields, ...shown, source: 'manual' },
    log: { action: 'create', reason: 'MANUAL_IMPORT', detail: { manual: true, ...shown, ...nameDetail } },
  });
  return { user: ref, entraObjectId: user.id, email: fields.email, action: 'create', reason: 'MANUAL_IMPORT' };
}

function toDirectoryUser(u: UserSummary): DirectoryUser {
  // /users hides deleted users (they answer 404), so anything found here exists.
  return { ...u, deletion: 'none', attributes: {} };
}

/** A user the admin asked for and this import refused: logged (no run, so run_id stays null), not audited, since nothing changed. */
async function logSkip(db: Db, tenantId: number, row: { entraObjectId: string | null; email: string | null; reason: string; detail: Record<string, unknown> }): Promise<void> {
  await db.insert(provisioningLog).values({ tenantId, runId: null, action: 'skip', ...row });
}
