import type { Decision, DirectoryUser } from '../mapping/index.js';
import { toInsyncRow, type InsyncRowRaw, type InsyncUserRow } from './insync-user-row.js';
import { planUser } from './plan-user.js';
import type { Assignment, PlannedAction } from './planned-action.js';

/** One batch of users, decided, with what the planner needs beside the decisions. */
export interface DecidedBatch {
  users: DirectoryUser[];
  decisions: Decision[];
  /** Each user's linked inSync user, by position. */
  linked: (InsyncUserRow | null)[];
  /** Decided emails whose holder is not known yet: not the user's own linked inSync user. */
  unresolvedEmails: string[];
}

/**
 * Emails a batch took (the inSync user now holding them) or gave up (null), lower-cased: what its
 * writes will do to the email index, for a lookup that ran before them.
 */
export type EmailEffects = Map<string, InsyncUserRow | null>;

/**
 * Compares the batch's decisions with the inSync users they touch and says what to write, and
 * what that does to the email index. `existing` was looked up before the previous batch's writes
 * landed; `unseen` is what those writes do.
 */
export function planBatch(
  decided: DecidedBatch,
  existing: readonly InsyncRowRaw[],
  unseen: EmailEffects,
  assignments: ReadonlyMap<number, Assignment>,
): { actions: PlannedAction[]; effects: EmailEffects } {
  const byEmail = new Map<string, InsyncUserRow>();
  for (const row of decided.linked) if (row) byEmail.set(row.email.toLowerCase(), row);
  for (const raw of existing) {
    const row = toInsyncRow(raw);
    byEmail.set(row.email.toLowerCase(), row);
  }
  for (const [email, holder] of unseen) {
    if (holder === null) byEmail.delete(email);
    else byEmail.set(email, holder);
  }
  const actions: PlannedAction[] = [];
  const effects: EmailEffects = new Map();
  decided.users.forEach((user, i) => {
    const decision = decided.decisions[i];
    if (!decision) return;
    const linked = decided.linked[i] ?? null;
    const assignment = decision.eligible ? (assignments.get(decision.mapping.id) ?? null) : null;
    const emailHolder = decision.eligible ? (byEmail.get(decision.email) ?? null) : null;
    const action = planUser({ user, decision, assignment, linked, emailHolder });
    // Later users in the batch must see the emails earlier ones took (two Entra users, one email).
    if (action.action === 'create' || action.action === 'update' || action.action === 'reactivate') {
      const f = action.fields;
      // Spelled out rather than spread: spreading into an object with more properties took V8's
      // generic path, and this runs for every user a batch creates (most of planBatch's time).
      const claimed: InsyncUserRow = {
        id: action.action === 'create' ? -1 : action.insyncId, email: f.email, displayName: f.displayName,
        userPrincipalName: f.userPrincipalName, mappingId: f.mappingId, mappingName: f.mappingName, profileId: f.profileId,
        storageId: f.storageId, quotaBytes: f.quotaBytes, entraObjectId: user.id, quotaOverride: false, status: 'active',
        preservedBy: null, source: 'auto',
      };
      const email = action.fields.email.toLowerCase();
      // Within the batch a given-up email stays taken (as before); the next batch sees it free,
      // as it would have after these writes.
      if (linked !== null && linked.email.toLowerCase() !== email) effects.set(linked.email.toLowerCase(), null);
      byEmail.set(email, claimed);
      effects.set(email, claimed);
    }
    actions.push(action);
  });
  return { actions, effects };
}
