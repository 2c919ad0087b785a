import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { AppError, EXIT, toAppError } from '../core/app-error.js';
import { createCliContext, type CliContext } from './cli-context.js';
import { applyCommand } from './commands/apply-command.js';
import { logCommand } from './commands/log-command.js';
import { DEFAULT_FIXTURE, mockGraphCommand } from './commands/mock-graph-command.js';
import { runsCommand } from './commands/runs-command.js';
import { syncCommand } from './commands/sync-command.js';
import { usersCommand } from './commands/users-command.js';

const EXIT_HELP = `
Exit codes:
  0  success
  1  unexpected failure
  2  bad usage, configuration or unknown tenant
  3  refused: encryption is not KMS/BYOK, method is not entra-import, no mappings, secret missing, tenant busy
  4  Microsoft Graph failed (authentication, permission, throttling after retries, network)
  5  database unavailable or migration failed
  6  a safety limit stopped the run

Environment:
  DATABASE_URL           postgres://… to use PostgreSQL; unset = embedded PGlite
  ENTRA_IMPORT_DATA_DIR  where PGlite keeps its data (default ./.entra-import)
  LOG_LEVEL              fatal|error|warn|info|debug|trace|silent (default warn for commands)
  LOG_PRETTY             true for human-readable logs on stderr
  NODE_EXTRA_CA_CERTS    extra CA certificates to trust (e.g. the mock's certificate)`;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number 0–65535');
  return n;
}

export function buildProgram(ctx: () => CliContext): Command {
  const program = new Command('entra-import')
    .description('Keeps inSync users in step with Microsoft Entra ID through Graph delta queries and prioritised mappings.')
    .addHelpText('after', EXIT_HELP)
    .showHelpAfterError('(run with --help for usage)');

  program.command('apply')
    .description('validate a tenant configuration file (JSON) and make the database match it; prints what changed')
    .argument('<file>', 'path to the configuration file')
    .option('--json', 'print the changes as JSON')
    .action((file: string, opts: { json?: boolean }) => applyCommand(ctx(), file, opts));

  program.command('sync')
    .description('pull changes from Entra ID and create, update, preserve or reactivate inSync users')
    .argument('<tenant>', 'tenant name as given in the configuration file')
    .option('--dry-run', 'do everything but write nothing; print the plan')
    .option('--full', 'ignore stored delta links: read the whole directory and reconcile every user')
    .option('--json', 'print {created, updated, preserved, reactivated, unchanged, skipped:{reason:n}}')
    .action((tenant: string, opts: { dryRun?: boolean; full?: boolean; json?: boolean }) => syncCommand(ctx(), tenant, opts));

  program.command('users')
    .description('list the tenant\'s inSync users')
    .argument('<tenant>')
    .option('--json', 'print JSON (quotaBytes null = unlimited)')
    .action((tenant: string, opts: { json?: boolean }) => usersCommand(ctx(), tenant, opts));

  program.command('runs')
    .description('show the tenant\'s sync run history, newest first')
    .argument('<tenant>')
    .option('--json', 'print JSON')
    .addOption(new Option('--limit <n>', 'how many runs').default(20).argParser(positiveInt))
    .action((tenant: string, opts: { json?: boolean; limit: number }) => runsCommand(ctx(), tenant, opts));

  program.command('log')
    .description('show what was done to each user and why')
    .argument('<tenant>')
    .option('--user <email>', 'only this user (case-insensitive)')
    .addOption(new Option('--run <id>', 'only this run').argParser(positiveInt))
    .addOption(new Option('--limit <n>', 'at most this many entries (the newest)').default(200).argParser(positiveInt))
    .option('--json', 'print JSON')
    .action((tenant: string, opts: { user?: string; run?: number; json?: boolean; limit: number }) => logCommand(ctx(), tenant, opts));

  program.command('mock-graph')
    .description('serve the bundled Microsoft Graph double over https (token endpoint, delta queries, admin API under /_mock/)')
    .addOption(new Option('--port <port>', 'port to listen on (0 = any free port)').default(8443).argParser(port))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--fixture <file>', 'directory seed (JSON)', DEFAULT_FIXTURE)
    .option('--cert-out <file>', 'write the self-signed CA certificate here, for NODE_EXTRA_CA_CERTS')
    .action((opts: { port: number; host: string; fixture: string; certOut?: string }) => mockGraphCommand(ctx(), opts));

  return program;
}

/** Runs the CLI and returns the exit code; errors are printed once, with their code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  let context: CliContext | undefined;
  const program = buildProgram(() => (context ??= createCliContext(env, out)));
  program.exitOverride();
  program.configureOutput({ writeOut: (s) => out.write(s), writeErr: (s) => err.write(s) });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end with a CommanderError whose exitCode is 0.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const error = toAppError(e);
    err.write(`entra-import: ${error.message} [${error.code}]\n`);
    const issues = error.details['issues'];
    if (Array.isArray(issues)) {
      for (const issue of issues as { path: string; message: string }[]) err.write(`  ${issue.path}: ${issue.message}\n`);
    }
    if (!(e instanceof AppError)) err.write(`${e instanceof Error ? (e.stack ?? '') : ''}\n`);
    return error.exitCode;
  }
}

// Run when executed directly (tsx src/cli/main.ts, or bin.js), not when imported by tests.
const invokedDirectly = process.argv[1] !== undefined && /(?:main\.ts|bin\.js|entra-import)$/.test(process.argv[1]);
if (invokedDirectly) {
  const code = await main(process.argv.slice(2), process.env, process.stdout, process.stderr);
  process.exitCode = code;
}
