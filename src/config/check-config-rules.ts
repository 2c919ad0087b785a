import { formatPath, type ConfigIssue } from './config-issue.js';

/*
 * Rules that relate fields to each other. They run on the raw JSON, not on zod's output, so a
 * broken quota in one mapping does not hide an unknown profile in another: every problem is
 * reported in one pass. Anything of the wrong type is skipped here; the schema reports it.
 */

type Path = readonly PropertyKey[];
type Raw = Record<string, unknown>;

const SELECTORS = ['groups', 'attribute', 'allUsers'] as const;

export function checkConfigRules(input: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const tenants = isRecord(input) && Array.isArray(input.tenants) ? input.tenants : [];
  reportDuplicates(tenants.map((t) => (isRecord(t) ? t.name : undefined)), ['tenants'], 'name', 'tenant name', issues);
  tenants.forEach((tenant, i) => {
    if (isRecord(tenant)) checkTenant(tenant, ['tenants', i], issues);
  });
  return issues;
}

function checkTenant(tenant: Raw, path: Path, issues: ConfigIssue[]): void {
  const profiles = stringList(tenant.profiles);
  const storages = stringList(tenant.storages);
  if (profiles) reportDuplicates(profiles, [...path, 'profiles'], null, 'profile', issues);
  if (storages) reportDuplicates(storages, [...path, 'storages'], null, 'storage', issues);
  if (isRecord(tenant.entra)) checkCredential(tenant.entra, [...path, 'entra'], issues);
  if (!Array.isArray(tenant.mappings)) return;
  const mappings: unknown[] = tenant.mappings;
  reportDuplicates(mappings.map((m) => (isRecord(m) ? m.name : undefined)), [...path, 'mappings'], 'name', 'mapping name', issues);
  mappings.forEach((m, k) => {
    if (!isRecord(m)) return;
    const at = [...path, 'mappings', k];
    checkSelectors(m, at, issues);
    checkDeclared(m.profile, profiles, [...at, 'profile'], 'profile', issues);
    checkDeclared(m.storage, storages, [...at, 'storage'], 'storage', issues);
  });
}

/** The secret lives in the environment or a certificate on disk; the file holds only where. */
function checkCredential(entra: Raw, path: Path, issues: ConfigIssue[]): void {
  const secret = entra.clientSecretEnv !== undefined;
  const cert = entra.certificatePath !== undefined;
  if (secret && cert) issues.push(issue(path, 'give either clientSecretEnv or certificatePath, not both'));
  if (!secret && !cert) {
    issues.push(issue(path, 'needs a credential: clientSecretEnv (the variable holding the secret) or certificatePath'));
  }
}

function checkSelectors(mapping: Raw, path: Path, issues: ConfigIssue[]): void {
  const used = SELECTORS.filter((key) => mapping[key] !== undefined);
  if (used.length === 0) issues.push(issue(path, 'mapping has no selector; give one of groups, attribute or allUsers'));
  if (used.length > 1) {
    const count = used.length === 2 ? 'two' : 'three';
    const names = `${used.slice(0, -1).join(', ')} and ${used.at(-1) ?? ''}`;
    issues.push(issue(path, `mapping has ${count} selectors: ${names}; give exactly one`));
  }
  if (mapping.nested !== undefined && mapping.groups === undefined) {
    issues.push(issue([...path, 'nested'], 'nested applies only to a mapping with groups'));
  }
}

function checkDeclared(value: unknown, declared: string[] | null, path: Path, what: string, issues: ConfigIssue[]): void {
  if (typeof value !== 'string' || declared === null || declared.includes(value)) return;
  issues.push(issue(path, `unknown ${what} "${value}"; declared: ${declared.join(', ')}`));
}

/** Reports every repeat of a value, pointing at the repeat and naming the first occurrence. */
function reportDuplicates(
  values: readonly unknown[],
  listPath: Path,
  key: string | null,
  what: string,
  issues: ConfigIssue[],
): void {
  const first = new Map<string, number>();
  values.forEach((value, i) => {
    if (typeof value !== 'string') return;
    const earlier = first.get(value);
    if (earlier === undefined) {
      first.set(value, i);
      return;
    }
    const at = key === null ? [...listPath, i] : [...listPath, i, key];
    issues.push(issue(at, `duplicate ${what} "${value}" (first at ${formatPath([...listPath, earlier])})`));
  });
}

function issue(path: Path, message: string): ConfigIssue {
  return { path: formatPath(path), message };
}

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown): string[] | null {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : null;
}
