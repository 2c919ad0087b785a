import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../core/app-error.js';
import type { Db, Store } from '../store/open-store.js';
import { recordUserChange } from '../store/record-user-change.js';
import { insyncUsers, mappings, storages } from '../store/schema.js';
import { findInsyncUser, type InsyncUserRecord } from './find-insync-user.js';
import { findTenant } from './find-tenant.js';
import { inTenantTransaction } from './in-tenant-transaction.js';
import { catalogueId } from './mapping-input.js';

export interface StorageMove {
  email: string;
  from: string;
  to: string;
  outcome: 'moved' | 'unchanged';
}

/**
 * Moves an inSync user to another storage on an admin's word. The sync never does (insync-behaviour
 * "Moving between mappings": the user's backups live in that storage), it only logs
 * STORAGE_CHANGE_PENDING when the deciding mapping names another one; this is the deliberate move
 * that log asks for. Without `to`, the storage of the mapping that decides the user now. Audited,
 * logged as ADMIN_STORAGE_MOVED; later syncs leave the storage where the admin put it.
 */
export async function moveUserStorage(store: Store, tenantName: string, email: string, actor: string, opts: { to?: string } = {}): Promise<StorageMove> {
  const tenant = await findTenant(store.db, tenantName);
  // The sync's lock: a run updating this user at the same moment would overwrite one of the two.
  return inTenantTransaction(store, tenant, 'move the storage', async (db) => {
    const user = await findInsyncUser(db, tenant.id, tenant.name, email);
    const target = opts.to === undefined ? await mappingStorage(db, user.email, user.mappingId) : await catalogueId(db, tenant.id, 'storage', opts.to);
    return move(db, tenant.id, await storageNames(db, tenant.id), user, target, actor);
  });
}

/**
 * Every user of the tenant whose deciding mapping names another storage than the one they are on:
 * all the moves STORAGE_CHANGE_PENDING has asked for and nobody made yet (or undid by hand).
 */
export async function moveAllPendingStorage(store: Store, tenantName: string, actor: string): Promise<StorageMove[]> {
  const tenant = await findTenant(store.db, tenantName);
  return inTenantTransaction(store, tenant, 'move the storage', async (db) => {
    const pending = await db.select({ user: insyncUsers, target: mappings.storageId }).from(insyncUsers)
      .innerJoin(mappings, eq(mappings.id, insyncUsers.mappingId))
      .where(and(eq(insyncUsers.tenantId, tenant.id), sql`${insyncUsers.storageId} <> ${mappings.storageId}`))
      .orderBy(insyncUsers.email);
    const names = await storageNames(db, tenant.id);
    const moves: StorageMove[] = [];
    for (const { user, target } of pending) moves.push(await move(db, tenant.id, names, user, target, actor));
    return moves;
  });
}

/** The tenant's storage catalogue by id: a handful of rows, read once however many users move. */
async function storageNames(db: Db, tenantId: number): Promise<ReadonlyMap<number, string>> {
  return new Map((await db.select({ id: storages.id, name: storages.name }).from(storages).where(eq(storages.tenantId, tenantId))).map((s) => [s.id, s.name]));
}

async function move(db: Db, tenantId: number, names: ReadonlyMap<number, string>, user: InsyncUserRecord, target: number, actor: string): Promise<StorageMove> {
  const moved = { email: user.email, from: names.get(user.storageId) ?? `#${user.storageId}`, to: names.get(target) ?? `#${target}` };
  if (target === user.storageId) return { ...moved, outcome: 'unchanged' };
  await db.update(insyncUsers).set({ storageId: target, updatedAt: new Date() }).where(eq(insyncUsers.id, user.id));
  await recordUserChange(db, {
    tenantId, actor, auditAction: 'user.move-storage', user, before: { storage: moved.from }, after: { storage: moved.to },
    log: { action: 'update', reason: 'ADMIN_STORAGE_MOVED', detail: { from: moved.from, to: moved.to } },
  });
  return { ...moved, outcome: 'moved' };
}

/** The storage the user's deciding mapping names: where STORAGE_CHANGE_PENDING says they belong. */
async function mappingStorage(db: Db, email: string, mappingId: number | null): Promise<number> {
  const [mapping] = mappingId === null ? [] : await db.select({ storageId: mappings.storageId }).from(mappings).where(eq(mappings.id, mappingId));
  if (!mapping) {
    throw new AppError('USAGE', `inSync user "${email}" has no mapping to take a storage from (imported by hand, or its mapping was removed); name one with --to`);
  }
  return mapping.storageId;
}
