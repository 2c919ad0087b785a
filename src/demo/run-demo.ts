/**
 * `npm run demo`: the whole story on a fresh clone with nothing but Node. Starts the bundled Graph
 * double with the fixture tenant, applies a demo configuration (KMS, three mappings) to an
 * embedded PGlite database, imports everyone, changes the directory (a new hire, a leaver, a
 * department move, a guest), syncs again and explains what happened and why; then the leaver
 * returns and is reactivated.
 */
import { readFile, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyConfig } from '../admin/apply-config.js';
import { listInsyncUsers } from '../admin/list-insync-users.js';
import { formatQuota, loadEnv, parseConfigFile } from '../config/index.js';
import { toAppError } from '../core/app-error.js';
import { createLogger } from '../core/logger.js';
import { loadDirectorySeed } from '../mock-graph/directory-seed.js';
import { startMockGraph, type MockGraph } from '../mock-graph/start-mock-graph.js';
import { openStore, type Store } from '../store/open-store.js';
import { explainReason, type PlannedAction } from '../sync/planned-action.js';
import { runSync, type SyncResult } from '../sync/run-sync.js';
import { formatTable } from '../cli/format-table.js';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const FINANCE_GROUP = 'f1000000-0000-4000-8000-000000000001';
const out = process.stdout;

async function main(): Promise<void> {
  const env = loadEnv();
  const logger = createLogger({ level: process.env['LOG_LEVEL'] ? env.logLevel : 'warn', pretty: env.logPretty });
  const dataDir = resolve(env.dataDir, 'demo');
  // The demo always starts from an empty database so that it tells the same story every time.
  await rm(dataDir, { recursive: true, force: true });

  const seed = await loadDirectorySeed(root('fixtures/directory/contoso.json'));
  const app = seed.apps.find((a) => a.roles.includes('User.Read.All'));
  if (!app) throw new Error('the fixture has no app with User.Read.All');
  const mock = await startMockGraph({ seed, port: 0, logger });
  let store: Store | undefined;
  try {
    heading(`Mock Microsoft Graph listening on ${mock.url} (directory ${seed.directoryId})`);
    const configText = await readFile(root('fixtures/config/demo.json'), 'utf8');
    // The demo file names a fixed port; point it at the port the mock really got.
    const config = parseConfigFile(configText.replaceAll('https://localhost:8443', mock.url), 'fixtures/config/demo.json');
    store = await openStore({ kind: 'pglite', dataDir });
    const applied = await applyConfig(store, config, 'demo');
    heading('entra-import apply fixtures/config/demo.json');
    for (const t of applied) out.write(`tenant ${t.tenant}: ${t.outcome}\n${t.changes.filter((c) => c !== 'created').map((c) => `  ${c}\n`).join('')}`);

    const syncEnv = { ...process.env, CONTOSO_GRAPH_SECRET: app.clientSecret };
    const sync = (label: string) => runDemoSync(store!, mock, syncEnv, logger, label);

    await sync('entra-import sync contoso   (first run: full import)');
    await printUsers(store);

    heading('Changing the directory');
    const changes = await changeDirectory(store, mock);
    for (const line of changes.lines) out.write(`  • ${line}\n`);

    await sync('entra-import sync contoso   (incremental: only what changed)');
    await printUsers(store);

    heading('The leaver comes back');
    out.write(`  • ${changes.leaver.displayName} is restored in Entra (from deleted users)\n`);
    mock.directory.restoreUser(changes.leaver.entraObjectId);
    await sync('entra-import sync contoso   (the returner is reactivated)');
    out.write('\nThe demo database is in ' + dataDir + '; explore it with, for example:\n' +
      `  ENTRA_IMPORT_DATA_DIR=${dataDir} npx entra-import log contoso\n`);
  } finally {
    await store?.close();
    await mock.close();
  }
}

async function runDemoSync(store: Store, mock: MockGraph, env: NodeJS.ProcessEnv, logger: ReturnType<typeof createLogger>, label: string): Promise<SyncResult> {
  heading(label);
  const actions: PlannedAction[] = [];
  const result = await runSync(
    { tenant: 'contoso', trigger: 'demo' },
    { store, env, logger, graphCa: mock.caPem, onAction: (a) => actions.push(a) },
  );
  const c = result.counts;
  out.write(`run ${result.runId}: ${result.mode} sync, ${result.graphRequests} Graph requests\n`);
  out.write(formatTable(['created', 'updated', 'preserved', 'reactivated', 'unchanged', 'skipped'], [[
    c.created, c.updated, c.preserved, c.reactivated, c.unchanged,
    Object.entries(c.skipped).map(([r, n]) => `${r}=${n}`).join(', ') || '0',
  ]]));
  const shown = actions.filter((a) => a.action !== 'unchanged');
  if (shown.length > 0) {
    out.write('\nwhat happened and why:\n');
    out.write(formatTable(['action', 'user', 'reason', 'why'], shown.map((a) => [a.action, who(a), a.reason, why(a)])));
  }
  return result;
}

async function printUsers(store: Store): Promise<void> {
  const users = await listInsyncUsers(store, 'contoso');
  out.write('\ninSync users:\n');
  out.write(formatTable(['email', 'name', 'status', 'mapping', 'profile', 'storage', 'quota'], users.map((u) => [
    u.email, u.displayName, u.status === 'preserved' ? `preserved (${u.preservedReason ?? ''})` : u.status, u.mapping, u.profile, u.storage,
    formatQuota(u.quotaBytes),
  ])));
}

/** Four everyday directory events, chosen from the users the first run imported. */
async function changeDirectory(store: Store, mock: MockGraph): Promise<{ lines: string[]; leaver: { displayName: string; entraObjectId: string } }> {
  const users = await listInsyncUsers(store, 'contoso');
  const everyone = users.filter((u) => u.mapping === 'Everyone' && u.status === 'active');
  const [leaver, mover] = everyone;
  if (!leaver?.entraObjectId || !mover?.entraObjectId) throw new Error('the fixture needs two users under the Everyone mapping');
  const dir = mock.directory;
  const lines: string[] = [];

  dir.addUser({
    id: 'b0000000-0000-4000-8000-0000000000a1', userPrincipalName: 'nina.newhire@contoso.example', mail: 'nina.newhire@contoso.example',
    displayName: 'Nina Newhire', givenName: 'Nina', surname: 'Newhire', userType: 'Member', accountEnabled: true,
    department: 'Finance', city: 'Boston',
  });
  dir.addMember(FINANCE_GROUP, 'b0000000-0000-4000-8000-0000000000a1');
  lines.push('new hire: Nina Newhire joins and is added to the Finance group');

  dir.softDeleteUser(leaver.entraObjectId);
  lines.push(`leaver: ${leaver.displayName} (${leaver.email}) is deleted in Entra`);

  dir.updateUser(mover.entraObjectId, { department: 'Finance' });
  dir.addMember(FINANCE_GROUP, mover.entraObjectId);
  lines.push(`department move: ${mover.displayName} moves to Finance and joins the Finance group`);

  dir.addUser({
    id: 'b0000000-0000-4000-8000-0000000000a2', userPrincipalName: 'gary_partner.example#EXT#@contoso.example', mail: 'gary@partner.example',
    displayName: 'Gary Guest', userType: 'Guest', accountEnabled: true, creationType: 'Invitation',
  });
  dir.addMember(FINANCE_GROUP, 'b0000000-0000-4000-8000-0000000000a2');
  lines.push('guest: Gary Guest from a partner is invited and added to the Finance group');
  return { lines, leaver: { displayName: leaver.displayName, entraObjectId: leaver.entraObjectId } };
}

function who(a: PlannedAction): string {
  return ('fields' in a ? a.fields.email : a.email) ?? a.entraObjectId ?? '?';
}

function why(a: PlannedAction): string {
  if (a.action === 'create') return `matched mapping ${a.fields.mappingName}`;
  return explainReason(a.reason);
}

function heading(text: string): void {
  out.write(`\n=== ${text}\n`);
}

try {
  await main();
} catch (err) {
  const error = toAppError(err);
  process.stderr.write(`demo failed: ${error.message} [${error.code}]\n`);
  process.exitCode = error.exitCode || 1;
}
