import { readFile } from 'node:fs/promises';
import { AppError } from '../core/app-error.js';
import type { Selector } from '../mapping/mapping-rule.js';
import { checkConfigRules } from './check-config-rules.js';
import { CLOUDS } from './clouds.js';
import { fromZodIssues, friendlyZodError, type ConfigIssue } from './config-issue.js';
import { configFileSchema, type ParsedMapping, type ParsedTenant } from './config-schema.js';
import type { ConfigFile, MappingConfig, TenantConfig } from './tenant-config.js';
import { messageOf } from '../core/message-of.js';

/**
 * The declarative tenant file (JSON). External tools write it, so its key names are a public
 * format: change them only with a migration. Every problem is reported at once, each with a
 * path such as `tenants[0].mappings[1].quota`, in AppError('CONFIG_INVALID').details.issues.
 */
export async function readConfigFile(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? ` (${String(err.code)})` : '';
    throw new AppError('CONFIG_FILE_UNREADABLE', `cannot read config file ${path}${reason}`, {
      cause: err,
      details: { path },
    });
  }
  return parseConfigFile(text, path);
}

/** Parses and validates the text of a tenant file; `source` names it in messages. */
export function parseConfigFile(text: string, source: string): ConfigFile {
  const raw = parseJson(text, source);
  const parsed = configFileSchema.safeParse(raw, { error: friendlyZodError });
  const issues = dedupeAndSort([...(parsed.success ? [] : fromZodIssues(parsed.error.issues)), ...checkConfigRules(raw)]);
  if (!parsed.success || issues.length > 0) throw invalid(source, issues);
  const tenants = parsed.data.tenants.map(toTenantConfig);
  return { tenants, warnings: tenants.flatMap(unreachableMappings) };
}

function parseJson(text: string, source: string): unknown {
  // Editors on Windows like to save a byte-order mark; JSON.parse does not accept one.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (err) {
    const reason = messageOf(err);
    const where = locate(body, reason);
    throw invalid(source, [{ path: '', message: `not valid JSON${where}: ${reason}` }], err);
  }
}

/** " at line L, column C" when V8's message gives a position (Node 20 says "at position N"). */
function locate(text: string, reason: string): string {
  const lineCol = /line (\d+) column (\d+)/.exec(reason);
  if (lineCol) return ` at line ${lineCol[1]}, column ${lineCol[2]}`;
  const pos = /position (\d+)/.exec(reason);
  if (!pos) return '';
  const before = text.slice(0, Number(pos[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}

function invalid(source: string, issues: ConfigIssue[], cause?: unknown): AppError {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  const lines = issues.map((i) => `\n  ${i.path === '' ? '(file)' : i.path}: ${i.message}`).join('');
  return new AppError('CONFIG_INVALID', `config file ${source} is invalid: ${count}${lines}`, {
    cause,
    details: { source, issues },
  });
}

/** One issue per path and message, in file order (numeric compare keeps [10] after [9]). */
function dedupeAndSort(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues
    .filter((i) => {
      const key = `${i.path}\u0000${i.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
}

function toTenantConfig(t: ParsedTenant): TenantConfig {
  // An explicit URL wins over the cloud's default, so the demo and tests can point at the mock.
  const cloud = CLOUDS[t.entra.cloud ?? 'global'];
  return {
    name: t.name,
    encryption: t.encryption,
    provisioningMethod: t.provisioningMethod,
    entra: {
      directoryId: t.entra.directoryId,
      clientId: t.entra.clientId,
      clientSecretEnv: t.entra.clientSecretEnv ?? null,
      certificatePath: t.entra.certificatePath ?? null,
      graphUrl: t.entra.graphUrl ?? cloud.graphUrl,
      authorityHost: t.entra.authorityHost ?? cloud.authorityHost,
    },
    emailFrom: t.emailFrom,
    profiles: t.profiles,
    storages: t.storages,
    mappings: t.mappings.map(toMappingConfig),
    schedule: t.schedule,
    fullSyncIntervalHours: t.fullSyncIntervalHours,
    includeSharedMailboxes: t.includeSharedMailboxes,
    sharedMailboxIds: t.sharedMailboxIds,
    safety: { maxPreserve: t.safety.maxPreserve, maxPreservePercent: t.safety.maxPreservePercent },
    notify: t.notify ? { webhookUrlEnv: t.notify.webhookUrlEnv } : null,
  };
}

function toMappingConfig(m: ParsedMapping, index: number): MappingConfig {
  return {
    name: m.name,
    priority: index + 1,
    selector: toSelector(m),
    profile: m.profile,
    storage: m.storage,
    quotaBytes: m.quota,
  };
}

/** checkConfigRules has already ensured exactly one selector is present. */
function toSelector(m: ParsedMapping): Selector {
  if (m.groups !== undefined) return { kind: 'group', groupIds: m.groups, nested: m.nested ?? false };
  if (m.attribute !== undefined) {
    return { kind: 'attribute', clauses: Array.isArray(m.attribute) ? m.attribute : [m.attribute] };
  }
  return { kind: 'all-users' };
}

/** Mappings below an all-users mapping can never win: the first match wins (insync-behaviour "Priority"). */
function unreachableMappings(tenant: TenantConfig, t: number): ConfigIssue[] {
  const catchAll = tenant.mappings.findIndex((m) => m.selector.kind === 'all-users');
  if (catchAll < 0) return [];
  const winner = tenant.mappings[catchAll]?.name ?? '';
  return tenant.mappings.slice(catchAll + 1).map((m, k) => ({
    path: `tenants[${t}].mappings[${catchAll + 1 + k}]`,
    message: `mapping "${m.name}" can never match: "${winner}" above it selects all users`,
  }));
}
