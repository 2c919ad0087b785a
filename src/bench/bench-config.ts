import { parseConfigFile, type ConfigFile } from '../config/index.js';
import type { MockGraphReadyLine } from '../mock-graph/run-mock-graph-server.js';
import { syntheticGroupId } from '../mock-graph/synthetic-directory.js';

export const BENCH_TENANT = 'bench';
export const BENCH_SECRET_ENV = 'BENCH_GRAPH_SECRET';

export interface BenchConfigOptions {
  groups: number;
  /** Total mappings, at least 2: group mappings, one attribute mapping, all-users last. */
  mappings: number;
  /** How many synthetic groups the group mappings name (spread over them); default all. */
  mappedGroups: number;
}

/** The synthetic group ids the bench maps, in order: group 0, 1, … */
export function mappedGroupIds(opts: BenchConfigOptions): string[] {
  return Array.from({ length: Math.min(opts.mappedGroups, opts.groups) }, (_, i) => syntheticGroupId(i));
}

/**
 * A tenant file for the synthetic tenant: group mappings first (mapped groups dealt round-robin),
 * then `city equals Seattle`, then everyone. Safety limits are lifted: a 1% churn of a large tenant
 * preserves more users than the default limit, and the bench measures, it does not guard.
 */
export function benchConfig(ready: MockGraphReadyLine, opts: BenchConfigOptions): ConfigFile {
  const ids = mappedGroupIds(opts);
  const groupMappings = ids.length === 0 ? 0 : Math.min(Math.max(opts.mappings - 2, 0), ids.length);
  const mappings: Record<string, unknown>[] = [];
  for (let m = 0; m < groupMappings; m++) {
    mappings.push({ name: `Groups ${m + 1}`, groups: ids.filter((_, i) => i % groupMappings === m), profile: 'Gold', storage: 'US-East', quota: '100GB' });
  }
  // Without groups, the slots left go to more attribute mappings so the rule count stays the same.
  const departments = ['Finance', 'Engineering', 'Sales', 'Marketing', 'Support', 'Legal'];
  for (let m = groupMappings; m < opts.mappings - 2; m++) {
    mappings.push({ name: `Department ${m}`, attribute: { name: 'department', equals: departments[m % departments.length] }, profile: 'Default', storage: 'US-East', quota: '50GB' });
  }
  mappings.push({ name: 'Seattle', attribute: { name: 'city', equals: 'Seattle' }, profile: 'Default', storage: 'US-East', quota: '50GB' });
  mappings.push({ name: 'Everyone', allUsers: true, profile: 'Default', storage: 'EU-West', quota: 'unlimited' });
  const file = {
    tenants: [{
      name: BENCH_TENANT, encryption: 'kms', provisioningMethod: 'entra-import',
      entra: { directoryId: ready.directoryId, clientId: ready.clientId, clientSecretEnv: BENCH_SECRET_ENV, graphUrl: ready.graphUrl, authorityHost: ready.authorityHost },
      emailFrom: 'mail', profiles: ['Default', 'Gold'], storages: ['US-East', 'EU-West'], mappings,
      safety: { maxPreserve: 100_000_000, maxPreservePercent: 100 },
    }],
  };
  return parseConfigFile(JSON.stringify(file), 'bench');
}
