import { describe, expect, it } from 'vitest';
import { messageOf } from '../../src/core/message-of.js';

describe('messageOf', () => {
  it("gives an Error's message without its name or stack", () => {
    expect(messageOf(new TypeError('fetch failed'))).toBe('fetch failed');
  });

  it('gives anything else thrown as a string', () => {
    expect(messageOf('connection reset')).toBe('connection reset');
    expect(messageOf(42)).toBe('42');
    expect(messageOf(undefined)).toBe('undefined');
    expect(messageOf({ toString: () => 'custom failure' })).toBe('custom failure');
  });
});
