import { eq } from 'drizzle-orm';
import type { MappingRule, Selector } from '../mapping/index.js';
import type { Db } from '../store/open-store.js';
import { mappings, profiles, storages } from '../store/schema.js';
import type { Assignment } from './planned-action.js';

export interface LoadedRules {
  rules: MappingRule[];
  assignments: Map<number, Assignment>;
  /** Group ids named by group mappings, lowercased. */
  groupIds: string[];
  /** Some mapping matches nested members, so the whole group graph is needed. */
  nested: boolean;
}

export async function loadRules(db: Db, tenantId: number): Promise<LoadedRules> {
  const rows = await db
    .select({
      id: mappings.id, name: mappings.name, priority: mappings.priority, selector: mappings.selector,
      profileId: mappings.profileId, profile: profiles.name, storageId: mappings.storageId, storage: storages.name,
      quotaBytes: mappings.quotaBytes,
    })
    .from(mappings)
    .innerJoin(profiles, eq(profiles.id, mappings.profileId))
    .innerJoin(storages, eq(storages.id, mappings.storageId))
    .where(eq(mappings.tenantId, tenantId));
  const rules: MappingRule[] = [];
  const assignments = new Map<number, Assignment>();
  const groupIds = new Set<string>();
  let nested = false;
  for (const row of rows) {
    const selector = normaliseSelector(row.selector as unknown as Selector);
    if (selector.kind === 'group') {
      selector.groupIds.forEach((g) => groupIds.add(g));
      nested ||= selector.nested;
    }
    rules.push({ id: row.id, name: row.name, priority: row.priority, selector, profile: row.profile, storage: row.storage, quotaBytes: row.quotaBytes });
    assignments.set(row.id, {
      mappingId: row.id, mappingName: row.name, profileId: row.profileId, profile: row.profile,
      storageId: row.storageId, storage: row.storage, quotaBytes: row.quotaBytes,
    });
  }
  return { rules, assignments, groupIds: [...groupIds].sort(), nested };
}

/** Group ids are compared lowercased, as the mirror stores them. */
function normaliseSelector(selector: Selector): Selector {
  return selector.kind === 'group' ? { ...selector, groupIds: selector.groupIds.map((g) => g.toLowerCase()) } : selector;
}
