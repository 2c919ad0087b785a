import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/app-error.js';
import type { ConfigIssue } from '../../src/config/config-issue.js';
import { parseConfigFile, readConfigFile } from '../../src/config/tenant-file.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/config/${name}`, import.meta.url));
const demoText = readFileSync(fixture('demo.json'), 'utf8');
type Json = Record<string, unknown>;

/** The demo file with one change applied to its first tenant. */
function demoWith(change: (tenant: Json) => void): string {
  const doc = JSON.parse(demoText) as { tenants: Json[] };
  const tenant = doc.tenants[0];
  if (tenant === undefined) throw new Error('demo.json has no tenant');
  change(tenant);
  return JSON.stringify(doc);
}

function mappingsOf(tenant: Json): Json[] {
  return tenant.mappings as Json[];
}

function entraOf(tenant: Json): Json {
  return tenant.entra as Json;
}

function issuesOf(text: string): ConfigIssue[] {
  try {
    parseConfigFile(text, 'test.json');
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const appErr = err as AppError;
    expect(appErr.code).toBe('CONFIG_INVALID');
    return appErr.details.issues as ConfigIssue[];
  }
  throw new Error('expected the file to be refused');
}

describe('parseConfigFile', () => {
  it('parses the demo file into the expected structure', () => {
    const config = parseConfigFile(demoText, 'demo.json');
    expect(config.warnings).toEqual([]);
    expect(config.tenants).toEqual([
      {
        name: 'contoso',
        encryption: 'kms',
        provisioningMethod: 'entra-import',
        entra: {
          directoryId: 'c0c0c0c0-0000-4000-8000-000000000000',
          clientId: 'a0a0a0a0-0000-4000-8000-000000000001',
          clientSecretEnv: 'CONTOSO_GRAPH_SECRET',
          certificatePath: null,
          graphUrl: 'https://localhost:8443',
          authorityHost: 'https://localhost:8443',
        },
        emailFrom: 'mail',
        profiles: ['Default', 'Finance'],
        storages: ['US-East', 'EU-West'],
        mappings: [
          {
            name: 'Finance', priority: 1, profile: 'Finance', storage: 'US-East', quotaBytes: 100 * 2 ** 30,
            selector: { kind: 'group', groupIds: ['f1000000-0000-4000-8000-000000000001'], nested: false },
          },
          {
            name: 'Seattle', priority: 2, profile: 'Default', storage: 'US-East', quotaBytes: 50 * 2 ** 30,
            selector: { kind: 'attribute', clauses: [{ name: 'city', op: 'equals', values: ['Seattle'], ignoreCase: false }] },
          },
          { name: 'Everyone', priority: 3, profile: 'Default', storage: 'EU-West', quotaBytes: null, selector: { kind: 'all-users' } },
        ],
        schedule: '0 * * * *',
        fullSyncIntervalHours: 24,
        includeSharedMailboxes: false,
        sharedMailboxIds: [],
        safety: { maxPreserve: 500, maxPreservePercent: 20 },
        notify: null,
      },
    ]);
  });

  it('takes hosts from entra.cloud when no URL is given (graph-semantics §9)', () => {
    const text = demoWith((t) => {
      const entra = entraOf(t);
      delete entra.graphUrl;
      delete entra.authorityHost;
      entra.cloud = 'usgov-dod';
    });
    expect(parseConfigFile(text, 't').tenants[0]?.entra).toMatchObject({
      graphUrl: 'https://dod-graph.microsoft.us',
      authorityHost: 'https://login.microsoftonline.us',
    });
  });

  it('defaults to the global cloud, and an explicit URL wins over the cloud', () => {
    const text = demoWith((t) => {
      const entra = entraOf(t);
      delete entra.authorityHost;
      entra.graphUrl = 'https://graph.example.test/';
      entra.cloud = 'china';
    });
    expect(parseConfigFile(text, 't').tenants[0]?.entra).toMatchObject({
      graphUrl: 'https://graph.example.test',
      authorityHost: 'https://login.chinacloudapi.cn',
    });
  });

  it('takes fullSyncIntervalHours from 1 to 720', () => {
    for (const hours of [1, 6, 720]) {
      expect(parseConfigFile(demoWith((t) => { t.fullSyncIntervalHours = hours; }), 't').tenants[0]?.fullSyncIntervalHours).toBe(hours);
    }
  });

  it('accepts a certificate instead of a secret, and the optional extras', () => {
    const text = demoWith((t) => {
      const entra = entraOf(t);
      delete entra.clientSecretEnv;
      entra.certificatePath = '/etc/entra-import/contoso.pem';
      Object.assign(t, {
        schedule: '0 * * * *',
        includeSharedMailboxes: true,
        sharedMailboxIds: ['aaaa0000-0000-4000-8000-00000000000a'],
        safety: { maxPreserve: 10 },
      });
      const finance = mappingsOf(t)[0];
      if (finance) finance.nested = true;
    });
    const tenant = parseConfigFile(text, 't').tenants[0];
    expect(tenant).toMatchObject({
      entra: { clientSecretEnv: null, certificatePath: '/etc/entra-import/contoso.pem' },
      schedule: '0 * * * *',
      includeSharedMailboxes: true,
      sharedMailboxIds: ['aaaa0000-0000-4000-8000-00000000000a'],
      safety: { maxPreserve: 10, maxPreservePercent: 20 },
    });
    expect(tenant?.mappings[0]?.selector).toMatchObject({ kind: 'group', nested: true });
  });

  it('reads every attribute form', () => {
    const text = demoWith((t) => {
      const seattle = mappingsOf(t)[1];
      if (seattle) {
        seattle.attribute = [
          { name: 'city', equals: ['Seattle', 'Redmond'], ignoreCase: true },
          { name: 'department', notEquals: 'Sales' },
          { name: 'jobTitle', startsWith: 'Senior' },
          { name: 'companyName', contains: 'Contoso' },
          { name: 'onPremisesExtensionAttributes.extensionAttribute15', present: true },
        ];
      }
    });
    expect(parseConfigFile(text, 't').tenants[0]?.mappings[1]?.selector).toEqual({
      kind: 'attribute',
      clauses: [
        { name: 'city', op: 'equals', values: ['Seattle', 'Redmond'], ignoreCase: true },
        { name: 'department', op: 'notEquals', values: ['Sales'], ignoreCase: false },
        { name: 'jobTitle', op: 'startsWith', values: ['Senior'], ignoreCase: false },
        { name: 'companyName', op: 'contains', values: ['Contoso'], ignoreCase: false },
        { name: 'onPremisesExtensionAttributes.extensionAttribute15', op: 'present', values: [], ignoreCase: false },
      ],
    });
  });

  it('warns about mappings below an all-users mapping', () => {
    const text = demoWith((t) => {
      mappingsOf(t).push({ name: 'Late', allUsers: true, profile: 'Default', storage: 'EU-West', quota: '1GB' });
    });
    expect(parseConfigFile(text, 't').warnings).toEqual([
      { path: 'tenants[0].mappings[3]', message: 'mapping "Late" can never match: "Everyone" above it selects all users' },
    ]);
  });

  describe.each<[string, string, RegExp]>([
    ['invalid-unknown-profile.json', 'tenants[0].mappings[1].profile', /^unknown profile "Engineering"; declared: Default, Finance$/],
    ['invalid-duplicate-mapping-name.json', 'tenants[0].mappings[2].name', /duplicate mapping name "Finance"/],
    ['invalid-two-selectors.json', 'tenants[0].mappings[0]', /mapping has two selectors: groups and attribute/],
    ['invalid-bad-quota.json', 'tenants[0].mappings[1].quota', /unknown unit "parsecs"/],
    ['invalid-http-graph-url.json', 'tenants[0].entra.graphUrl', /https/],
    ['invalid-bad-guid.json', 'tenants[0].entra.directoryId', /GUID/],
    ['invalid-unknown-key.json', 'tenants[0].mappings[0].quotta', /unknown key "quotta"/],
    ['invalid-secret-and-certificate.json', 'tenants[0].entra', /either clientSecretEnv or certificatePath, not both/],
  ])('fixture %s', (file, path, message) => {
    it(`is refused with one issue at ${path}`, async () => {
      const err = await readConfigFile(fixture(file)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AppError);
      const appErr = err as AppError;
      expect(appErr.code).toBe('CONFIG_INVALID');
      expect(appErr.message).toMatch(/is invalid: 1 problem/);
      const issues = appErr.details.issues as ConfigIssue[];
      expect(issues).toHaveLength(1);
      expect(issues[0]?.path).toBe(path);
      expect(issues[0]?.message).toMatch(message);
    });
  });

  it('collects every problem, not only the first', async () => {
    const err = (await readConfigFile(fixture('invalid-many-problems.json')).catch((e: unknown) => e)) as AppError;
    expect(err.message).toMatch(/is invalid: 6 problems/);
    expect((err.details.issues as ConfigIssue[]).map((i) => i.path)).toEqual([
      'tenants[0].entra.authorityHost',
      'tenants[0].mappings[0].profile',
      'tenants[0].mappings[1].quota',
      'tenants[0].mappings[2]',
      'tenants[0].mappings[2].groups[0]',
      'tenants[0].shoeSize',
    ]);
  });

  it.each<[string, (t: Json) => void, string, RegExp]>([
    ['unknown storage', (t) => { const m = mappingsOf(t)[0]; if (m) m.storage = 'Mars'; }, 'tenants[0].mappings[0].storage', /unknown storage "Mars"; declared: US-East, EU-West/],
    ['no selector', (t) => { const m = mappingsOf(t)[2]; if (m) delete m.allUsers; }, 'tenants[0].mappings[2]', /no selector/],
    ['three selectors', (t) => { const m = mappingsOf(t)[0]; if (m) Object.assign(m, { allUsers: true, attribute: { name: 'city', present: true } }); }, 'tenants[0].mappings[0]', /three selectors: groups, attribute and allUsers/],
    ['neither secret nor certificate', (t) => { delete entraOf(t).clientSecretEnv; }, 'tenants[0].entra', /needs a credential/],
    ['bad env var name', (t) => { entraOf(t).clientSecretEnv = 'my secret'; }, 'tenants[0].entra.clientSecretEnv', /environment variable name/],
    ['http authority host', (t) => { entraOf(t).authorityHost = 'http://login.microsoftonline.com'; }, 'tenants[0].entra.authorityHost', /must use https/],
    ['graphUrl with a version path', (t) => { entraOf(t).graphUrl = 'https://graph.microsoft.com/v1.0'; }, 'tenants[0].entra.graphUrl', /must not have a path/],
    ['unknown cloud', (t) => { entraOf(t).cloud = 'mars'; }, 'tenants[0].entra.cloud', /global/],
    ['bad group id', (t) => { const m = mappingsOf(t)[0]; if (m) m.groups = ['Finance']; }, 'tenants[0].mappings[0].groups[0]', /GUID/],
    ['bad shared mailbox id', (t) => { t.sharedMailboxIds = ['help@contoso.com']; }, 'tenants[0].sharedMailboxIds[0]', /GUID/],
    ['unknown attribute', (t) => { const m = mappingsOf(t)[1]; if (m) m.attribute = { name: 'birthday', equals: 'x' }; }, 'tenants[0].mappings[1].attribute.name', /not an attribute a mapping can use/],
    ['two operators', (t) => { const m = mappingsOf(t)[1]; if (m) m.attribute = { name: 'city', equals: 'a', contains: 'b' }; }, 'tenants[0].mappings[1].attribute', /exactly one operator.*found equals and contains/],
    ['no operator', (t) => { const m = mappingsOf(t)[1]; if (m) m.attribute = { name: 'city' }; }, 'tenants[0].mappings[1].attribute', /found none/],
    ['bad clause inside a list', (t) => { const m = mappingsOf(t)[1]; if (m) m.attribute = [{ name: 'city', present: true }, { name: 'city', equals: 5 }]; }, 'tenants[0].mappings[1].attribute[1].equals', /string/],
    ['unknown key in a clause', (t) => { const m = mappingsOf(t)[1]; if (m) m.attribute = { name: 'city', equals: 'a', equal: 'b' }; }, 'tenants[0].mappings[1].attribute.equal', /unknown key "equal"/],
    ['nested on an attribute mapping', (t) => { const m = mappingsOf(t)[1]; if (m) m.nested = true; }, 'tenants[0].mappings[1].nested', /only to a mapping with groups/],
    ['allUsers false', (t) => { const m = mappingsOf(t)[2]; if (m) m.allUsers = false; }, 'tenants[0].mappings[2].allUsers', /must be true/],
    ['bad schedule', (t) => { t.schedule = '61 * * * *'; }, 'tenants[0].schedule', /cron/],
    ['full sync interval of 0', (t) => { t.fullSyncIntervalHours = 0; }, 'tenants[0].fullSyncIntervalHours', /at least 1 hour/],
    ['full sync interval over 30 days', (t) => { t.fullSyncIntervalHours = 721; }, 'tenants[0].fullSyncIntervalHours', /at most 720/],
    ['fractional full sync interval', (t) => { t.fullSyncIntervalHours = 1.5; }, 'tenants[0].fullSyncIntervalHours', /whole number/],
    ['full sync interval as text', (t) => { t.fullSyncIntervalHours = '24'; }, 'tenants[0].fullSyncIntervalHours', /whole number/],
    ['bad encryption', (t) => { t.encryption = 'rot13'; }, 'tenants[0].encryption', /kms/],
    ['missing quota', (t) => { const m = mappingsOf(t)[0]; if (m) delete m.quota; }, 'tenants[0].mappings[0].quota', /is required/],
    ['quota of wrong type', (t) => { const m = mappingsOf(t)[0]; if (m) m.quota = true; }, 'tenants[0].mappings[0].quota', /string or number/],
    ['duplicate profile', (t) => { t.profiles = ['Default', 'Finance', 'Default']; }, 'tenants[0].profiles[2]', /duplicate profile "Default"/],
    ['profile name with spaces', (t) => { t.profiles = ['Default', 'Finance', ' Sales']; }, 'tenants[0].profiles[2]', /spaces/],
    ['safety percent over 100', (t) => { t.safety = { maxPreservePercent: 120 }; }, 'tenants[0].safety.maxPreservePercent', /100/],
  ])('%s', (_name, change, path, message) => {
    const issues = issuesOf(demoWith(change));
    expect(issues).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('refuses duplicate tenant names', () => {
    const doc = JSON.parse(demoText) as { tenants: unknown[] };
    doc.tenants.push(doc.tenants[0]);
    expect(issuesOf(JSON.stringify(doc))).toContainEqual({
      path: 'tenants[1].name',
      message: 'duplicate tenant name "contoso" (first at tenants[0])',
    });
  });

  it('refuses an unknown key at the top level and an empty tenant list', () => {
    expect(issuesOf('{"tenants": [], "tenant": 1}')).toEqual([
      { path: 'tenant', message: 'unknown key "tenant"' },
      { path: 'tenants', message: 'must list at least one tenant' },
    ]);
  });

  it('names line and column of a JSON syntax error', () => {
    const err = (() => {
      try {
        return parseConfigFile(readFileSync(fixture('invalid-json.json'), 'utf8'), 'bad.json');
      } catch (e) {
        return e;
      }
    })() as AppError;
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/^config file bad\.json is invalid: 1 problem/);
    expect(err.message).toMatch(/line 3, column 26/);
  });

  it('accepts a byte-order mark', () => {
    expect(parseConfigFile(`\uFEFF${demoText}`, 't').tenants).toHaveLength(1);
  });
});

describe('readConfigFile', () => {
  it('reports an unreadable file as CONFIG_FILE_UNREADABLE', async () => {
    await expect(readConfigFile(fixture('does-not-exist.json'))).rejects.toMatchObject({
      code: 'CONFIG_FILE_UNREADABLE',
      message: expect.stringMatching(/ENOENT/),
    });
  });

  it('reads the demo fixture', async () => {
    expect((await readConfigFile(fixture('demo.json'))).tenants[0]?.name).toBe('contoso');
  });
});
