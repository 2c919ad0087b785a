import type { Clock } from '../../src/core/clock.js';

/** A clock tests move by hand; sleep resolves at once so 'delay' faults never slow a suite. */
export class FakeClock implements Clock {
  constructor(private ms = Date.parse('2026-01-05T09:00:00Z')) {}
  now(): Date { return new Date(this.ms); }
  advance(ms: number): void { this.ms += ms; }
  async sleep(ms: number): Promise<void> { this.ms += ms; }
}
