import { eq } from 'drizzle-orm';
import { AppError } from '../core/app-error.js';
import type { Db } from '../store/open-store.js';
import { tenants } from '../store/schema.js';

export async function findTenant(db: Db, name: string): Promise<typeof tenants.$inferSelect> {
  const [row] = await db.select().from(tenants).where(eq(tenants.name, name));
  if (!row) throw new AppError('TENANT_NOT_FOUND', `no tenant named "${name}"; add it with \`entra-import apply <file>\``);
  return row;
}
