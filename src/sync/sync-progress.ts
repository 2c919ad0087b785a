import { AppError } from '../core/app-error.js';

/** What a run reports as it goes, for progress lines on a terminal and for metrics. */
export type SyncProgress =
  /** Graph pages written to the mirror: `pages` of them (the list path writes several at once), from page `page` on. */
  | { kind: 'page'; stream: string; page: number; pages: number; items: number }
  | { kind: 'batch'; decided: number; written: number };

/**
 * Stops a run at a safe point: between pages and between decide batches, each of which is its own
 * transaction, so whatever was written is consistent and the next run carries on from it.
 */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new AppError('ABORTED', 'the run was stopped before it finished; the next run carries on from what was written', {
      cause: signal.reason,
    });
  }
}
