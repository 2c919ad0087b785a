import type { Selector } from '../mapping/mapping-rule.js';

/** One line for tables: "groups f100…, f200… (nested)", "city equals Seattle", "all users". */
export function describeSelector(selector: Selector): string {
  if (selector.kind === 'all-users') return 'all users';
  if (selector.kind === 'group') return `groups ${selector.groupIds.join(', ')}${selector.nested ? ' (nested)' : ''}`;
  return selector.clauses
    .map((c) => `${c.name} ${c.op}${c.values.length > 0 ? ` ${c.values.map((v) => JSON.stringify(v)).join(' | ')}` : ''}${c.ignoreCase ? ' (ignore case)' : ''}`)
    .join(' and ');
}
