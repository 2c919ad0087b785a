import { describe, expect, it } from 'vitest';
import { connectionsFor } from '../../../src/store/open-store.js';

/**
 * A run holds two connections for long (its tenant lock's, on which the decide step reads, and
 * its apply transaction) and, while the decide step follows the users stream, needs a third for
 * the stream's short writes. The pool a run needs is three (test/integration/decide-follows-users).
 */
describe('connectionsFor', () => {
  it('sizes a daemon pool at two per tenant synced at once plus two spare, and never below eight', () => {
    expect(connectionsFor(1)).toBe(8);
    expect(connectionsFor(4)).toBe(10);
    expect(connectionsFor(10)).toBe(22);
  });
});
