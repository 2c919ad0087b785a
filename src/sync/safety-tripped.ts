import type { PlannedAction } from './planned-action.js';
import type { SafetyVerdict } from './safety-limit.js';

/** Thrown inside the apply transaction to roll it back when the safety limit trips. */
export class SafetyTripped extends Error {
  constructor(
    readonly verdict: SafetyVerdict,
    readonly preserves: Extract<PlannedAction, { action: 'preserve' }>[],
  ) {
    super(verdict.reason ?? 'safety limit');
    this.name = 'SafetyTripped';
  }
}
