import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../core/app-error.js';
import type { Db } from '../store/open-store.js';
import { insyncUsers } from '../store/schema.js';

export type InsyncUserRecord = typeof insyncUsers.$inferSelect;

/** inSync users are found by email case-insensitively, as inSync compares them. */
export async function findInsyncUser(db: Db, tenantId: number, tenantName: string, email: string): Promise<InsyncUserRecord> {
  const [row] = await db.select().from(insyncUsers)
    .where(and(eq(insyncUsers.tenantId, tenantId), sql`lower(${insyncUsers.email}) = ${email.trim().toLowerCase()}`));
  if (!row) throw new AppError('INSYNC_USER_NOT_FOUND', `tenant "${tenantName}" has no inSync user with email "${email}"; see \`entra-import users ${tenantName}\``);
  return row;
}
