import type { Section, SectionTimer } from '../core/section-timer.js';
import type { SyncProgress } from '../sync/sync-progress.js';

interface StreamProfile { pages: number; items: number; firstMs: number; lastMs: number }

export interface ProfileSummary {
  /** Start of the run to the last page event: pulling and mirroring (they overlap). */
  pullAndMirrorMs: number;
  /** Last page event to the last batch event: deciding and writing inSync users and the log. */
  decideAndApplyMs: number;
  /** Last event to the end of the run: commit, run bookkeeping. */
  tailMs: number;
  streams: Record<string, StreamProfile>;
  batches: { count: number; decided: number; written: number; firstMs: number; lastMs: number };
  /** Time inside each section of the engine, summed over streams that run side by side. */
  sections: Partial<Record<Section, number>>;
}

/**
 * Splits a run into phases from the engine's progress events (SyncDeps.onProgress), and sums the
 * time the engine reports per section (SyncDeps.timer): Graph waits, parsing, mirror writes,
 * decide reads, deciding, inSync writes, log writes and the final commit.
 */
export class ProgressProfile implements SectionTimer {
  private readonly started = performance.now();
  private readonly streams: Record<string, StreamProfile> = {};
  private readonly batches = { count: 0, decided: 0, written: 0, firstMs: -1, lastMs: -1 };
  private lastPageMs = 0;
  private readonly sections: Partial<Record<Section, number>> = {};

  readonly add = (section: Section, ms: number): void => {
    this.sections[section] = (this.sections[section] ?? 0) + ms;
  };

  readonly record = (p: SyncProgress): void => {
    const at = performance.now() - this.started;
    if (p.kind === 'page') {
      const s = (this.streams[p.stream] ??= { pages: 0, items: 0, firstMs: at, lastMs: at });
      s.pages += p.pages;
      s.items += p.items;
      s.lastMs = at;
      this.lastPageMs = Math.max(this.lastPageMs, at);
      return;
    }
    this.batches.count += 1;
    this.batches.decided += p.decided;
    this.batches.written += p.written;
    if (this.batches.firstMs < 0) this.batches.firstMs = at;
    this.batches.lastMs = at;
  };

  summary(): ProfileSummary {
    const end = performance.now() - this.started;
    const lastEvent = Math.max(this.lastPageMs, this.batches.lastMs);
    return {
      pullAndMirrorMs: this.lastPageMs,
      decideAndApplyMs: this.batches.lastMs < 0 ? 0 : this.batches.lastMs - this.lastPageMs,
      tailMs: end - lastEvent,
      streams: this.streams,
      batches: { ...this.batches },
      sections: { ...this.sections },
    };
  }
}
