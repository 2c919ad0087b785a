import type { z } from 'zod';

const REQUIRED = 'is required';

/** One problem in a config file, located by a path such as `tenants[0].mappings[1].quota`. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** `['tenants', 0, 'name']` → `tenants[0].name`; the file itself is the empty path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/**
 * zod issues in our path form. Unknown keys become one issue per key, located at the key. A
 * failed union (e.g. "one clause or a list of clauses") reports the branch whose type matched,
 * because zod's own "Invalid input" names neither branch.
 */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): ConfigIssue[] {
  return issues.flatMap((issue) => fromZodIssue(issue, prefix));
}

function fromZodIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): ConfigIssue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: formatPath([...path, key]), message: `unknown key "${key}"` }));
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const typeMatched = issue.errors.filter((branch) => !isTopLevelTypeMismatch(branch));
    if (typeMatched.length === 1 && typeMatched[0] !== undefined) return fromZodIssues(typeMatched[0], path);
    if (typeMatched.length === 0) {
      // Every branch refused the type; if the value was absent, each branch says so.
      if (issue.errors.every((branch) => branch[0]?.message === REQUIRED)) {
        return [{ path: formatPath(path), message: REQUIRED }];
      }
      const expected = issue.errors.flatMap((branch) => branch.map(expectedOf)).filter((e) => e !== '');
      return [{ path: formatPath(path), message: `expected ${[...new Set(expected)].join(' or ')}` }];
    }
  }
  return [{ path: formatPath(path), message: issue.message }];
}

function isTopLevelTypeMismatch(branch: readonly z.core.$ZodIssue[]): boolean {
  return branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0;
}

function expectedOf(issue: z.core.$ZodIssue): string {
  return issue.code === 'invalid_type' ? issue.expected : '';
}

/**
 * Per-parse messages that read better than zod's defaults; undefined keeps zod's own. A missing
 * required key arrives as invalid_type with no input.
 */
export const friendlyZodError: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type' && issue.input === undefined) return REQUIRED;
  return undefined;
};
