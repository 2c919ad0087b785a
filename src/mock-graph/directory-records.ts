import type { MockUserSeed } from './directory-seed.js';

export type ObjectType = 'user' | 'group';

/** Soft-deleted objects are restorable (`@removed: changed`); hard-deleted are gone (`deleted`) (D1). */
export type LifecycleState = 'active' | 'soft-deleted' | 'hard-deleted';

export interface UserRecord {
  readonly id: string;
  /** Graph-visible properties other than id; `null` means set-then-cleared or never set. */
  props: Record<string, unknown>;
  /** Exchange-side data behind /mailboxSettings; not part of delta (graph-semantics §6). */
  mailboxPurpose: string | undefined;
  createdSeq: number;
  state: LifecycleState;
  /** Seq of the last create, delete or restore, so a round can tell what existed when it began. */
  stateSeq: number;
}

/**
 * One membership, append-only: removal stamps `removedSeq` instead of splicing, so that slice
 * positions inside an in-flight delta round never shift under the cursor.
 */
export interface MemberEntry {
  readonly memberId: string;
  readonly addedSeq: number;
  removedSeq?: number;
}

export interface GroupRecord {
  readonly id: string;
  props: Record<string, unknown>;
  members: MemberEntry[];
  owners: string[];
  createdSeq: number;
  state: LifecycleState;
  stateSeq: number;
}

export type ChangeKind = 'created' | 'updated' | 'soft-deleted' | 'restored' | 'hard-deleted' | 'members';

/** One entry of the directory's global, monotonically increasing change log. */
export interface ChangeRecord {
  readonly seq: number;
  readonly objectType: ObjectType;
  readonly id: string;
  readonly kind: ChangeKind;
  readonly properties?: readonly string[];
  readonly memberAdds?: readonly string[];
  readonly memberRemoves?: readonly string[];
}

/**
 * Users generated from their index on demand, so a 100k-user tenant costs ids, not objects.
 * `indexOf` must invert `idAt` without a lookup table.
 */
export interface SyntheticUserSource {
  readonly count: number;
  idAt(index: number): string;
  indexOf(id: string): number | undefined;
  userAt(index: number): MockUserSeed;
}

/** True if the membership was in force at `seq` (seq 0 = the seeded state). */
export function isMemberAt(entry: MemberEntry, seq: number): boolean {
  return entry.addedSeq <= seq && (entry.removedSeq === undefined || entry.removedSeq > seq);
}

export function userRecordFromSeed(seed: MockUserSeed, seq: number): UserRecord {
  // The rest object is already a fresh, shallow copy of the seed's properties.
  const { id, mailboxPurpose, ...props } = seed;
  return { id, props, mailboxPurpose, createdSeq: seq, state: 'active', stateSeq: seq };
}
