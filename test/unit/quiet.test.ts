import { describe, expect, it } from 'vitest';
import { quiet } from '../../src/core/quiet.js';

describe('quiet', () => {
  it('lets a promise reject before it is awaited without an unhandled rejection, and keeps the rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const failing = quiet(Promise.reject(new Error('sent ahead, failed')));
      // Let the rejection settle and Node's unhandled-rejection check run before anyone awaits it.
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
      await expect(failing).rejects.toThrow('sent ahead, failed');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
