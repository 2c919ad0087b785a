import { Command, CommanderError } from 'commander';
import { AppError, EXIT, toAppError } from '../core/app-error.js';
import { createCliContext, type CliContext } from './cli-context.js';
import { registerApplyCommand } from './commands/apply-command.js';
import { registerConnectionCommand } from './commands/connection-command.js';
import { registerDaemonCommand } from './commands/daemon-command.js';
import { registerLogCommand } from './commands/log-command.js';
import { registerMappingCommand } from './commands/mapping-command.js';
import { registerMockGraphCommand } from './commands/mock-graph-command.js';
import { registerRunsCommand } from './commands/runs-command.js';
import { registerStatusCommand } from './commands/status-command.js';
import { registerSyncCommand } from './commands/sync-command.js';
import { registerTenantCommand } from './commands/tenant-command.js';
import { registerUsersCommand } from './commands/users-command.js';

const COMMANDS: ((program: Command, ctx: () => CliContext) => void)[] = [
  registerApplyCommand,
  registerSyncCommand,
  registerUsersCommand,
  registerRunsCommand,
  registerLogCommand,
  registerStatusCommand,
  registerMappingCommand,
  registerTenantCommand,
  registerConnectionCommand,
  registerDaemonCommand,
  registerMockGraphCommand,
];

const EXIT_HELP = `
Exit codes:
  0  success
  1  unexpected failure
  2  bad usage, configuration or unknown tenant
  3  refused: encryption is not KMS/BYOK, method is not entra-import, no mappings, secret missing, tenant busy,
     an adoption that cannot be made for sure (ADOPT_REFUSED)
  4  Microsoft Graph failed (authentication, permission, throttling after retries, network)
  5  database unavailable or migration failed
  6  a safety limit stopped the run

Environment:
  DATABASE_URL           postgres://… to use PostgreSQL; unset = embedded PGlite
  ENTRA_IMPORT_DATA_DIR  where PGlite keeps its data (default ./.entra-import)
  LOG_LEVEL              fatal|error|warn|info|debug|trace|silent (default warn for commands)
  LOG_PRETTY             true for human-readable logs on stderr
  ENTRA_IMPORT_HEAP_GROWTH_PERCENT
                         how far V8's heap grows past the live data before it collects (default
                         100, 10-300; 0 = V8's adaptive choice: a little faster, peaks up to 2x higher)
  NODE_EXTRA_CA_CERTS    extra CA certificates to trust (e.g. the mock's certificate)`;

export function buildProgram(ctx: () => CliContext): Command {
  const program = new Command('entra-import')
    .description('Keeps inSync users in step with Microsoft Entra ID through Graph delta queries and prioritised mappings.')
    .addHelpText('after', EXIT_HELP)
    .showHelpAfterError('(run with --help for usage)')
    // A command's options stay with the command they follow: `users search t x --json` must give
    // --json to `search`, not to the `users` list command above it (commander's default).
    .enablePositionalOptions();
  // One file per command under commands/, each registering itself here, in --help order.
  for (const register of COMMANDS) register(program, ctx);
  return program;
}

function withSubcommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(withSubcommands)];
}

/** Runs the CLI and returns the exit code; errors are printed once, with their code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  let context: CliContext | undefined;
  const program = buildProgram(() => (context ??= createCliContext(env, out, err)));
  // Commander copies these settings only into subcommands created after them, so set them on
  // every command: a usage error in `mapping add` must also end here with exit code 2.
  for (const command of withSubcommands(program)) {
    command.exitOverride();
    command.configureOutput({ writeOut: (s) => out.write(s), writeErr: (s) => err.write(s) });
  }
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
