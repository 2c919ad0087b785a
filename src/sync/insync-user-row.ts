import type { InsyncUserFields } from './planned-action.js';

/** An existing inSync user as the planner needs it. */
export interface InsyncUserRow extends InsyncUserFields {
  id: number;
  entraObjectId: string | null;
  quotaOverride: boolean;
  status: 'active' | 'preserved';
  preservedBy: 'sync' | 'admin' | null;
  source: 'auto' | 'manual';
}
