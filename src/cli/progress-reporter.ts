import type { SyncProgress } from '../sync/sync-progress.js';

export interface ProgressReporter {
  onProgress(progress: SyncProgress): void;
  /** Clears the progress line so the summary that follows starts on a clean line. */
  done(): void;
}

const NOOP: ProgressReporter = { onProgress: () => undefined, done: () => undefined };

/**
 * One line on stderr, rewritten in place: pages read, users decided, users written. Only on a
 * terminal (`isTTY`) and never with --json, so pipes, logs and scripts never see it.
 */
export function createProgressReporter(stream: NodeJS.WritableStream & { isTTY?: boolean }, enabled: boolean): ProgressReporter {
  if (!enabled || stream.isTTY !== true) return NOOP;
  let pages = 0;
  let items = 0;
  let decided = 0;
  let written = 0;
  let shown = false;
  return {
    onProgress(p) {
      if (p.kind === 'page') {
        pages += p.pages;
        items += p.items;
      } else {
        decided += p.decided;
        written += p.written;
      }
      // \r + erase-line: the line is redrawn, not appended.
      stream.write(`\r\x1b[Kpages ${pages} (${items} changes) · users decided ${decided} · written ${written}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
