import { type Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { registerMappingAddCommand } from './mapping-add-command.js';
import { registerMappingEditCommand } from './mapping-edit-command.js';
import { registerMappingListCommand } from './mapping-list-command.js';
import { registerMappingMoveCommand } from './mapping-move-command.js';
import { registerMappingRemoveCommand } from './mapping-remove-command.js';

/** `mapping list|add|edit|move|remove`: every change is audited and re-decides every user on the next sync. */
export function registerMappingCommand(program: Command, ctx: () => CliContext): void {
  const mapping = program.command('mapping').description('list and change the tenant\'s mappings (priority 1 wins)');
  for (const register of [registerMappingListCommand, registerMappingAddCommand, registerMappingEditCommand, registerMappingMoveCommand, registerMappingRemoveCommand]) {
    register(mapping, ctx);
  }
}
