import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { AccessTokenStore } from './access-token-store.js';
import type { DirectorySeed } from './directory-seed.js';
import type { FaultController } from './fault-controller.js';
import type { MockDirectory } from './mock-directory.js';
import type { MockStatsRecorder } from './mock-stats.js';
import type { StateTokenCodec } from './state-token-codec.js';

/** Behaviours the public sources leave open or describe as occasional; each is switchable. */
export interface MockQuirks {
  /** Every Nth delta page is empty but still carries a nextLink (D1: keep following). */
  emptyPageEvery?: number;
  /** Each delta page after the first repeats the last object of the page before (D1: duplicates). */
  duplicateAcrossPages?: boolean;
  /** Re-emit, at the end of a round, objects that changed while it ran (D1: same object twice). Default true. */
  replayMidRoundChanges?: boolean;
  /** §9b: `$batch` answers come "in any order"; 'reversed' keeps clients from relying on request order. Default 'as-sent'. */
  batchResponseOrder?: 'as-sent' | 'reversed';
}

/** How an expired or invalidated delta token is answered; B1 gives 400 syncStateNotFound, I10 410. */
export interface ExpiredTokenResponse { status: number; code: string; message: string }

export interface ResolvedMockOptions {
  pageSizes: { usersDelta: number; groupsDelta: number; memberSlice: number; listDefault: number };
  deltaTokenMaxAgeDays: number;
  expiredToken: ExpiredTokenResponse;
  /** D4/D5: "a limit of 50 filtered objects". The error for exceeding it is [inf]. */
  filterIdLimit: number;
  /** D4: without `Prefer: return=minimal` an updated object carries every selected property. */
  deltaUpdates: 'all-selected' | 'changed-only';
  quirks: MockQuirks;
  /** [inf] D15: mailboxSettings needs MailboxSettings.Read; off lets any Graph app read it. */
  requireMailboxSettingsRead: boolean;
  tokenLifetimeSeconds: number;
  /** Added to every Graph HTTP request (a `$batch` is one round trip, so once), to model a distant service. */
  latencyMs: number;
}

/** Everything a route handler may touch; built once per server. */
export interface MockContext {
  readonly seed: DirectorySeed;
  readonly directory: MockDirectory;
  readonly faults: FaultController;
  readonly codec: StateTokenCodec;
  readonly tokens: AccessTokenStore;
  readonly stats: MockStatsRecorder;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly options: ResolvedMockOptions;
  /** Origin the links point at, e.g. https://localhost:PORT (known only after listen). */
  baseUrl: string;
  /** Bumped to invalidate every delta token issued so far. */
  tokenGeneration: number;
}
