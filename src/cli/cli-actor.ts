import { userInfo } from 'node:os';

/** Who audit events name for a CLI change: `cli:<os user>`. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    // No passwd entry (some containers): still record that it came from the CLI.
    return 'cli:unknown';
  }
}
