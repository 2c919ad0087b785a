import { and, eq } from 'drizzle-orm';
import { isGuid, isMappableAttribute, parseQuota, QuotaError } from '../config/index.js';
import { AppError } from '../core/app-error.js';
import type { AttributeClause, Selector } from '../mapping/mapping-rule.js';
import type { Db } from '../store/open-store.js';
import { profiles, storages } from '../store/schema.js';

const OPERATORS: readonly AttributeClause['op'][] = ['equals', 'notEquals', 'startsWith', 'contains', 'present'];

/**
 * Checks a selector coming from an admin (CLI flags or, later, an API body) by the same rules the
 * tenant file applies (config-schema.ts): GUID group ids, mappable attribute names, one operator
 * with values. Returns the selector as it is stored (`mappings.selector`, `kind` = selector.kind).
 */
export function validateSelector(selector: Selector): Selector {
  if (selector.kind === 'all-users') return { kind: 'all-users' };
  if (selector.kind === 'group') {
    if (selector.groupIds.length === 0) throw usage('a group mapping needs at least one group id (--group <id>)');
    const bad = selector.groupIds.filter((id) => !isGuid(id));
    if (bad.length > 0) throw usage(`group ids must be GUIDs such as c0c0c0c0-0000-4000-8000-000000000000; not: ${bad.join(', ')}`);
    return { kind: 'group', groupIds: [...new Set(selector.groupIds)], nested: selector.nested };
  }
  if (selector.clauses.length === 0) throw usage('an attribute mapping needs at least one clause');
  for (const clause of selector.clauses) {
    if (!isMappableAttribute(clause.name)) {
      throw usage(`"${clause.name}" is not an attribute a mapping can use; use a Graph user property such as city or department, `
        + 'or onPremisesExtensionAttributes.extensionAttribute1 … 15');
    }
    if (!OPERATORS.includes(clause.op)) throw usage(`unknown attribute operator "${clause.op}"; use one of ${OPERATORS.join(', ')}`);
    if (clause.op === 'present' ? clause.values.length > 0 : clause.values.length === 0) {
      throw usage(clause.op === 'present' ? '--present takes no values' : `attribute "${clause.name}" needs at least one value to compare with`);
    }
    if (clause.values.some((v) => v === '')) throw usage(`attribute "${clause.name}": values must not be empty; to require any value use --present`);
  }
  return { kind: 'attribute', clauses: selector.clauses.map((c) => ({ name: c.name, op: c.op, values: [...c.values], ignoreCase: c.ignoreCase })) };
}

/** Bytes or null (unlimited), with the config module's rules and messages. */
export function quotaBytesFrom(text: string): number | null {
  try {
    return parseQuota(text);
  } catch (err) {
    if (err instanceof QuotaError) throw usage(err.message);
    throw err;
  }
}

/** A mapping name as the tenant file accepts it: not empty, no surrounding spaces. */
export function checkMappingName(name: string): string {
  if (name === '' || name.trim() !== name) throw usage(`mapping name "${name}" must not be empty or start or end with spaces`);
  return name;
}

/** The id of a profile or storage in the tenant's catalogue; the message lists what exists. */
export async function catalogueId(db: Db, tenantId: number, kind: 'profile' | 'storage', name: string): Promise<number> {
  const table = kind === 'profile' ? profiles : storages;
  const [row] = await db.select({ id: table.id }).from(table).where(and(eq(table.tenantId, tenantId), eq(table.name, name)));
  if (row) return row.id;
  const known = await db.select({ name: table.name }).from(table).where(eq(table.tenantId, tenantId));
  throw usage(`${kind} "${name}" is not in the tenant's catalogue; known ${kind}s: ${known.map((k) => k.name).sort().join(', ') || 'none'}`
    + ' (add it to the tenant file and `entra-import apply` it)');
}

function usage(message: string): AppError {
  return new AppError('USAGE', message);
}
