import { type Command } from 'commander';
import { AppError } from '../../core/app-error.js';
import type { AttributeClause, Selector } from '../../mapping/mapping-rule.js';

export interface CriteriaOptions {
  group?: string[];
  nested?: boolean;
  attribute?: string;
  equals?: string[];
  notEquals?: string[];
  startsWith?: string[];
  contains?: string[];
  present?: boolean;
  ignoreCase?: boolean;
  allUsers?: boolean;
}

/** The selector flags `mapping add` and `mapping edit` share (one selector kind per mapping, as in the tenant file). */
export function addCriteriaOptions(command: Command): Command {
  return command
    .option('--group <id...>', 'select members of these Entra groups (object ids)')
    .option('--nested', 'with --group: members of member groups count too')
    .option('--attribute <name>', 'select by a user attribute, e.g. city or onPremisesExtensionAttributes.extensionAttribute1')
    .option('--equals <value...>', 'with --attribute: any of these values')
    .option('--not-equals <value...>', 'with --attribute: none of these values')
    .option('--starts-with <value...>', 'with --attribute: starts with any of these')
    .option('--contains <value...>', 'with --attribute: contains any of these')
    .option('--present', 'with --attribute: has any value')
    .option('--ignore-case', 'with --attribute: compare ignoring case (default: case-sensitive, as inSync)')
    .option('--all-users', 'select every eligible user');
}

/** The selector the flags describe, or null when none was given. Validation of values is admin/'s. */
export function selectorFromOptions(o: CriteriaOptions): Selector | null {
  const given = [o.group !== undefined && '--group', o.attribute !== undefined && '--attribute', o.allUsers === true && '--all-users']
    .filter((x): x is string => typeof x === 'string');
  if (given.length > 1) throw usage(`give one of --group, --attribute or --all-users, not ${given.join(' and ')}`);
  const attributeOnly = [o.equals && '--equals', o.notEquals && '--not-equals', o.startsWith && '--starts-with', o.contains && '--contains', o.present && '--present', o.ignoreCase && '--ignore-case']
    .filter((x): x is string => typeof x === 'string');
  if (o.attribute === undefined && attributeOnly.length > 0) throw usage(`${attributeOnly.join(', ')} need --attribute <name>`);
  if (o.nested && o.group === undefined) throw usage('--nested needs --group');
  if (o.group !== undefined) return { kind: 'group', groupIds: o.group, nested: o.nested === true };
  if (o.allUsers) return { kind: 'all-users' };
  if (o.attribute === undefined) return null;
  const ops: [AttributeClause['op'], string[] | undefined][] = [
    ['equals', o.equals], ['notEquals', o.notEquals], ['startsWith', o.startsWith], ['contains', o.contains], ['present', o.present ? [] : undefined],
  ];
  const used = ops.filter(([, v]) => v !== undefined);
  const [first] = used;
  if (used.length !== 1 || first === undefined) {
    throw usage('--attribute needs exactly one of --equals, --not-equals, --starts-with, --contains or --present');
  }
  return { kind: 'attribute', clauses: [{ name: o.attribute, op: first[0], values: first[1] ?? [], ignoreCase: o.ignoreCase === true }] };
}

function usage(message: string): AppError {
  return new AppError('USAGE', message);
}
