import type { MockDirectory } from './mock-directory.js';
import { CITIES, DEPARTMENTS, seededRandom } from './synthetic-vocabulary.js';

export interface ChurnOptions {
  /** Share of all users to change, 0 < percent <= 50. */
  percent: number;
  seed: number;
}

export interface ChurnResult {
  /** Users whose department, city or displayName changed (users/delta returns them updated). */
  attributes: string[];
  /** Users moved from one group to another (groups/delta returns a remove and an add). */
  moves: { id: string; from: string; to: string }[];
  /** Users soft-deleted (users/delta returns `@removed: changed`, D2). */
  leavers: string[];
  seq: number;
}

/** How a churned user is split: mostly attribute edits, then moves, then leavers. */
const SHARE = { attributes: 0.6, moves: 0.3 } as const;

/**
 * Changes about `percent`% of the users, deterministically from `seed` and the directory's state:
 * attribute changes, membership moves between groups and leavers. Each goes through the normal
 * mutators, so it lands in the change log and the next delta round returns exactly these users.
 * Picks indices instead of walking the tenant, and only touched synthetic users get a stored
 * override, so a million-user tenant stays a million ids.
 */
export function churnDirectory(dir: MockDirectory, opts: ChurnOptions): ChurnResult {
  if (!(opts.percent > 0 && opts.percent <= 50)) throw new Error('churn percent must be in (0, 50]');
  const random = seededRandom(opts.seed);
  const pick = (n: number) => Math.floor(random() * n);
  const total = Math.max(1, Math.round((dir.userCount * opts.percent) / 100));
  const moveTarget = Math.round(total * SHARE.moves);
  const touched = new Set<string>();
  const moves = moveMembers(dir, moveTarget, pick, touched);
  const attributes: string[] = [];
  const leavers: string[] = [];
  const rest = total - moves.length;
  const attributeTarget = Math.round((rest * SHARE.attributes) / (1 - SHARE.moves));
  // Bounded: a tenant where most users are already gone must not spin for ever.
  for (let attempts = 0; attributes.length + leavers.length < rest && attempts < rest * 20; attempts++) {
    const id = dir.userIdAt(pick(dir.userCount));
    if (id === undefined || touched.has(id) || dir.getUser(id)?.state !== 'active') continue;
    touched.add(id);
    if (attributes.length < attributeTarget) {
      changeAttribute(dir, id, pick);
      attributes.push(id);
    } else {
      dir.softDeleteUser(id);
      leavers.push(id);
    }
  }
  return { attributes, moves, leavers, seq: dir.currentSeq };
}

function changeAttribute(dir: MockDirectory, id: string, pick: (n: number) => number): void {
  const props = dir.getUser(id)?.props ?? {};
  const kind = pick(3);
  if (kind === 0) dir.updateUser(id, { department: nextOf(DEPARTMENTS, props['department'], pick) });
  else if (kind === 1) dir.updateUser(id, { city: nextOf(CITIES, props['city'], pick) });
  else dir.updateUser(id, { displayName: `${String(props['displayName'] ?? id)} (renamed)` });
}

/** A different value from the list, so the update is a real change and lands in the log. */
function nextOf(list: readonly string[], current: unknown, pick: (n: number) => number): string {
  const at = list.indexOf(String(current));
  return list[(Math.max(at, 0) + 1 + pick(list.length - 1)) % list.length] ?? String(current);
}

/**
 * Moves `target` active users between groups: a random group, a random live membership in it,
 * then another group. Starting from groups avoids a user→group index over the whole tenant.
 */
function moveMembers(dir: MockDirectory, target: number, pick: (n: number) => number, touched: Set<string>): ChurnResult['moves'] {
  const groups = [...dir.listGroups()].filter((g) => g.state === 'active');
  const moves: ChurnResult['moves'] = [];
  if (groups.length < 2) return moves;
  for (let attempts = 0; moves.length < target && attempts < target * 20; attempts++) {
    const from = groups[pick(groups.length)];
    const entry = from?.members[pick(from.members.length)];
    if (!from || !entry || entry.removedSeq !== undefined || touched.has(entry.memberId)) continue;
    const user = dir.getUser(entry.memberId);
    if (!user || user.state !== 'active' || dir.objectTypeOf(entry.memberId) !== 'user') continue;
    const to = groups[(groups.indexOf(from) + 1 + pick(groups.length - 1)) % groups.length];
    if (!to) continue;
    touched.add(entry.memberId);
    dir.removeMember(from.id, entry.memberId);
    dir.addMember(to.id, entry.memberId);
    moves.push({ id: entry.memberId, from: from.id, to: to.id });
  }
  return moves;
}
