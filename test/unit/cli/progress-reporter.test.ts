import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressReporter } from '../../../src/cli/progress-reporter.js';

function terminal(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

describe('sync progress on a terminal', () => {
  it('redraws one line with pages, decided and written, and clears it at the end', () => {
    const t = terminal(true);
    const progress = createProgressReporter(t.stream, true);
    progress.onProgress({ kind: 'page', stream: 'users', page: 1, pages: 4, items: 20 });
    progress.onProgress({ kind: 'page', stream: 'groups:x', page: 1, pages: 1, items: 3 });
    progress.onProgress({ kind: 'batch', decided: 20, written: 13 });
    progress.done();
    // The list path reports several Graph pages written at once.
    expect(t.text()).toContain('\r\x1b[Kpages 5 (23 changes) · users decided 20 · written 13');
    expect(t.text().endsWith('\r\x1b[K')).toBe(true);
  });

  it('writes nothing when stderr is not a terminal or --json is on', () => {
    for (const [isTTY, enabled] of [[false, true], [true, false]] as const) {
      const t = terminal(isTTY);
      const progress = createProgressReporter(t.stream, enabled);
      progress.onProgress({ kind: 'batch', decided: 1, written: 1 });
      progress.done();
      expect(t.text()).toBe('');
    }
  });
});
