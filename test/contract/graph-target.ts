import type { FaultRule, MockGroupSeed, MockQuirks, MockUserSeed } from '../../src/mock-graph/index.js';
import type { GraphApi } from '../../src/graph/create-graph-api.js';

/** One HTTP answer, parsed when it is JSON (malformed bodies keep `body` empty and `text` raw). */
export interface GraphReply { status: number; headers: Headers; body: Record<string, unknown>; text: string }

/** Which app registration a request is made as (fixtures/directory/contoso.json `apps`); 'anonymous' sends no token. */
export type AppIdentity = 'worker' | 'no-roles' | 'all-roles' | 'anonymous';

/**
 * Knobs a target may honour. Real Graph has none of them (page sizes are its own, I1), so a
 * target that cannot set one ignores it and the tests that need it say so in their names.
 */
export interface TargetOptions {
  pageSizes?: { usersDelta?: number; groupsDelta?: number; memberSlice?: number };
  quirks?: MockQuirks;
}

/** Directory changes, made the way an admin would (for the mock: its `/_mock/` HTTP API). */
export interface GraphMutations {
  addUser(seed: MockUserSeed): Promise<void>;
  updateUser(id: string, patch: Record<string, unknown>): Promise<void>;
  disableUser(id: string): Promise<void>;
  softDeleteUser(id: string): Promise<void>;
  restoreUser(id: string): Promise<void>;
  hardDeleteUser(id: string): Promise<void>;
  addGroup(seed: MockGroupSeed): Promise<void>;
  deleteGroup(id: string, mode?: 'soft' | 'hard'): Promise<void>;
  addMember(groupId: string, memberId: string): Promise<void>;
  removeMember(groupId: string, memberId: string): Promise<void>;
  /** Script a failure (the mock's fault rules; `times: Infinity` = until cleared). */
  fault(rule: FaultRule): Promise<void>;
  clearFaults(): Promise<void>;
  /** Make every delta link issued so far stale (B1: what seven days do to a token). */
  invalidateDeltaTokens(): Promise<void>;
}

/**
 * A Graph to hold to the contract: seeded with fixtures/directory/contoso.json, reachable over
 * HTTPS at `baseUrl` (the origin; Graph under /v1.0, the authority under /{tenant}).
 */
export interface GraphTarget {
  baseUrl: string;
  /** GET a path (e.g. `/v1.0/users`) or an absolute link, as `as` (default the worker app). */
  fetchJson(pathOrUrl: string, headers?: Record<string, string>, as?: AppIdentity): Promise<GraphReply>;
  /** POST JSON (for `$batch`). */
  postJson(path: string, body: unknown): Promise<GraphReply>;
  /** Our own client (src/graph) pointed at this target, with millisecond retry delays. */
  client(options?: { requestTimeoutMs?: number; maxRetries?: number }): Promise<GraphApi>;
  mutate: GraphMutations;
  close(): Promise<void>;
}

export type StartTarget = (options?: TargetOptions) => Promise<GraphTarget>;
