import type { tenants } from './schema.js';

/** A tenants row as drizzle reads it. */
export type TenantRow = typeof tenants.$inferSelect;
