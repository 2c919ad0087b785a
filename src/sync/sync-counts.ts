import type { PlannedAction } from './planned-action.js';

/** The shape `sync --json` prints (issue 2): counts per outcome and skips per reason. */
export interface SyncCounts {
  created: number;
  updated: number;
  preserved: number;
  reactivated: number;
  unchanged: number;
  skipped: Record<string, number>;
}

export function emptyCounts(): SyncCounts {
  return { created: 0, updated: 0, preserved: 0, reactivated: 0, unchanged: 0, skipped: {} };
}

export function countAction(counts: SyncCounts, action: PlannedAction): void {
  switch (action.action) {
    case 'create': counts.created += 1; break;
    case 'update': counts.updated += 1; break;
    case 'reactivate': counts.reactivated += 1; break;
    case 'preserve': counts.preserved += 1; break;
    case 'unchanged':
      // An admin-preserved user the sync would have reactivated is reported as a skip with its reason.
      if (action.reason === 'ADMIN_PRESERVED') counts.skipped[action.reason] = (counts.skipped[action.reason] ?? 0) + 1;
      else counts.unchanged += 1;
      break;
    case 'skip': counts.skipped[action.reason] = (counts.skipped[action.reason] ?? 0) + 1; break;
  }
}
