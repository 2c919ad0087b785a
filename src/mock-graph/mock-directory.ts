import { churnDirectory, type ChurnOptions, type ChurnResult } from './churn-directory.js';
import type { MockGroupSeed, MockUserSeed } from './directory-seed.js';
import {
  isMemberAt, userRecordFromSeed,
  type ChangeRecord, type GroupRecord, type ObjectType, type SyntheticUserSource, type UserRecord,
} from './directory-records.js';

export interface MockDirectoryInit {
  users?: readonly MockUserSeed[];
  groups?: readonly MockGroupSeed[];
  syntheticUsers?: SyntheticUserSource;
}

/**
 * In-memory tenant with one global change sequence. Delta rounds are computed from the change log
 * (which objects changed in a window) plus current state (their values), as Graph returns the
 * latest state of each changed object (D1). Seeded objects live at seq 0.
 */
export class MockDirectory {
  private seq = 0;
  private readonly log: ChangeRecord[] = [];
  private readonly users = new Map<string, UserRecord>();
  private readonly userOrder: string[] = [];
  private readonly groups = new Map<string, GroupRecord>();
  private readonly groupOrder: string[] = [];
  private readonly synthetic: SyntheticUserSource | undefined;

  constructor(init: MockDirectoryInit = {}) {
    this.synthetic = init.syntheticUsers;
    for (const u of init.users ?? []) this.insertUser(u, 0);
    for (const g of init.groups ?? []) this.insertGroup(g, 0);
    for (const g of init.groups ?? []) for (const m of g.members) this.requireMemberType(m);
  }

  get currentSeq(): number { return this.seq; }

  /** Changes with since < seq <= upTo, oldest first. */
  changesBetween(since: number, upTo: number): ChangeRecord[] {
    let lo = 0;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.log[mid]?.seq ?? 0) <= since) lo = mid + 1; else hi = mid;
    }
    const out: ChangeRecord[] = [];
    for (let i = lo; i < this.log.length; i++) {
      const c = this.log[i];
      if (c === undefined || c.seq > upTo) break;
      out.push(c);
    }
    return out;
  }

  // --- users ---

  addUser(seed: MockUserSeed): UserRecord {
    if (this.getUser(seed.id)) throw new Error(`user ${seed.id} already exists`);
    const seq = this.next();
    const rec = this.insertUser(seed, seq);
    this.record({ seq, objectType: 'user', id: seed.id, kind: 'created' });
    return rec;
  }

  /** Applies a patch; `null` clears a property. Returns the names that really changed. */
  updateUser(id: string, patch: Record<string, unknown>): string[] {
    const rec = this.mutableUser(id);
    const changed: string[] = [];
    for (const [key, value] of Object.entries(patch)) {
      if (key === 'id') continue;
      if (key === 'mailboxPurpose') {
        // Exchange-side and not tracked by delta (graph-semantics §6), so no change record.
        rec.mailboxPurpose = typeof value === 'string' ? value : undefined;
        continue;
      }
      const next = key === 'onPremisesExtensionAttributes' ? mergeExtensions(rec.props[key], value) : value;
      if (JSON.stringify(rec.props[key] ?? null) === JSON.stringify(next ?? null)) continue;
      rec.props[key] = next;
      changed.push(key);
    }
    if (changed.length > 0) this.record({ seq: this.next(), objectType: 'user', id, kind: 'updated', properties: changed });
    return changed;
  }

  /** Disabling is an ordinary property update, not a removal (graph-semantics §1.4). */
  disableUser(id: string): string[] { return this.updateUser(id, { accountEnabled: false }); }

  /** Soft delete keeps group memberships; groups/delta does not report it (D3). */
  softDeleteUser(id: string): void { this.setUserState(id, 'soft-deleted', 'soft-deleted'); }

  /** A restored user shows up in delta like a newly created one (D1). */
  restoreUser(id: string): void {
    const rec = this.mutableUser(id);
    if (rec.state !== 'soft-deleted') throw new Error(`user ${id} is not soft-deleted`);
    this.setUserState(id, 'active', 'restored');
  }

  /** Permanent delete: `@removed: deleted` in users/delta and removal from every group (D1, D3). */
  hardDeleteUser(id: string): void {
    this.setUserState(id, 'hard-deleted', 'hard-deleted');
    for (const g of this.groups.values()) {
      if (this.currentMembers(g).includes(id)) this.removeMember(g.id, id);
    }
  }

  getUser(id: string): UserRecord | undefined {
    const own = this.users.get(id);
    if (own) return own;
    const index = this.synthetic?.indexOf(id);
    if (index === undefined || this.synthetic === undefined) return undefined;
    return userRecordFromSeed(this.synthetic.userAt(index), 0);
  }

  /** Every user ever known, in a stable order (synthetic ones first), including deleted ones. */
  *listUsers(): Generator<UserRecord> {
    for (const id of this.userIds()) {
      const u = this.getUser(id);
      if (u) yield u;
    }
  }

  *userIds(): Generator<string> {
    const synth = this.synthetic;
    if (synth) for (let i = 0; i < synth.count; i++) yield synth.idAt(i);
    yield* this.userOrder;
  }

  /** Random access into the `userIds()` order; stable because users are never removed from it. */
  userIdAt(index: number): string | undefined {
    const synth = this.synthetic;
    if (synth && index < synth.count) return synth.idAt(index);
    return this.userOrder[index - (synth?.count ?? 0)];
  }

  /**
   * The user at position `index` of `userIds()`, as getUser would find them. A page of a big list
   * asks for each of its users, so this goes from the index to the generated user directly rather
   * than through the id (parsing it back cost a tenth of the mock's CPU in the list path).
   */
  userAt(index: number): UserRecord | undefined {
    const synth = this.synthetic;
    if (synth && index < synth.count) {
      // The generated user carries its id: build it once, and keep a stored change if there is one.
      const seed = synth.userAt(index);
      return this.users.get(seed.id) ?? userRecordFromSeed(seed, 0);
    }
    const id = this.userIdAt(index);
    return id === undefined ? undefined : this.users.get(id);
  }

  get userCount(): number { return (this.synthetic?.count ?? 0) + this.userOrder.length; }

  /** Changes ~percent% of users (attributes, group moves, leavers) as ordinary changes; see churnDirectory. */
  churn(opts: ChurnOptions): ChurnResult { return churnDirectory(this, opts); }

  // --- groups ---

  addGroup(seed: MockGroupSeed): GroupRecord {
    if (this.groups.has(seed.id)) throw new Error(`group ${seed.id} already exists`);
    for (const m of seed.members) this.requireMemberType(m);
    const seq = this.next();
    const rec = this.insertGroup(seed, seq);
    this.record({ seq, objectType: 'group', id: seed.id, kind: 'created' });
    return rec;
  }

  updateGroup(id: string, patch: Record<string, unknown>): string[] {
    const rec = this.requireGroup(id);
    const changed = Object.entries(patch).filter(([k, v]) => k !== 'id' && JSON.stringify(rec.props[k] ?? null) !== JSON.stringify(v ?? null));
    for (const [k, v] of changed) rec.props[k] = v;
    if (changed.length > 0) this.record({ seq: this.next(), objectType: 'group', id, kind: 'updated', properties: changed.map(([k]) => k) });
    return changed.map(([k]) => k);
  }

  /**
   * D3: a deleted Microsoft 365 group is soft-deleted (`changed`); the 2022 text says other groups
   * go straight to `deleted`, the 2025 one that security groups are soft-deleted too. Hence `mode`.
   */
  deleteGroup(id: string, mode?: 'soft' | 'hard'): void {
    const rec = this.requireGroup(id);
    const soft = mode === undefined ? (rec.props['groupTypes'] as string[] | undefined)?.includes('Unified') === true : mode === 'soft';
    const seq = this.next();
    rec.state = soft ? 'soft-deleted' : 'hard-deleted';
    rec.stateSeq = seq;
    this.record({ seq, objectType: 'group', id, kind: soft ? 'soft-deleted' : 'hard-deleted' });
  }

  addMember(groupId: string, memberId: string): boolean {
    const g = this.requireGroup(groupId);
    this.requireMemberType(memberId);
    if (this.currentMembers(g).includes(memberId)) return false;
    const seq = this.next();
    g.members.push({ memberId, addedSeq: seq });
    this.record({ seq, objectType: 'group', id: groupId, kind: 'members', memberAdds: [memberId] });
    return true;
  }

  removeMember(groupId: string, memberId: string): boolean {
    const g = this.requireGroup(groupId);
    const entry = g.members.find((e) => e.memberId === memberId && e.removedSeq === undefined);
    if (!entry) return false;
    const seq = this.next();
    entry.removedSeq = seq;
    this.record({ seq, objectType: 'group', id: groupId, kind: 'members', memberRemoves: [memberId] });
    return true;
  }

  getGroup(id: string): GroupRecord | undefined { return this.groups.get(id); }

  *listGroups(): Generator<GroupRecord> {
    for (const id of this.groupOrder) {
      const g = this.groups.get(id);
      if (g) yield g;
    }
  }

  /** Direct member ids in force now (soft-deleted users included, as in Graph: D3). */
  currentMembers(group: GroupRecord): string[] {
    return group.members.filter((e) => isMemberAt(e, this.seq)).map((e) => e.memberId);
  }

  /** 'user' or 'group' for `members@delta` `@odata.type`; deleted objects keep their type. */
  objectTypeOf(id: string): ObjectType | undefined {
    if (this.groups.has(id)) return 'group';
    return this.hasUser(id) ? 'user' : undefined;
  }

  /** Whether getUser would find the user, without building a synthetic one (every member of every group asks). */
  hasUser(id: string): boolean {
    return this.users.has(id) || this.synthetic?.indexOf(id) !== undefined;
  }

  // --- internal helpers ---

  private next(): number { return ++this.seq; }

  private record(change: ChangeRecord): void { this.log.push(change); }

  private insertUser(seed: MockUserSeed, seq: number): UserRecord {
    const rec = userRecordFromSeed(seed, seq);
    this.users.set(rec.id, rec);
    this.userOrder.push(rec.id);
    return rec;
  }

  private insertGroup(seed: MockGroupSeed, seq: number): GroupRecord {
    const { id, members, owners, ...props } = seed;
    const rec: GroupRecord = {
      id, props: { ...props }, owners: [...(owners ?? [])], createdSeq: seq, state: 'active', stateSeq: seq,
      members: [...new Set(members)].map((memberId) => ({ memberId, addedSeq: seq })),
    };
    this.groups.set(id, rec);
    this.groupOrder.push(id);
    return rec;
  }

  /** Synthetic users are materialised on first write so later reads see the change. */
  private mutableUser(id: string): UserRecord {
    const own = this.users.get(id);
    if (own) return own;
    const generated = this.getUser(id);
    if (!generated) throw new Error(`user ${id} not found`);
    this.users.set(id, generated);
    return generated;
  }

  private setUserState(id: string, state: UserRecord['state'], kind: ChangeRecord['kind']): void {
    const rec = this.mutableUser(id);
    if (rec.state === 'hard-deleted') throw new Error(`user ${id} is permanently deleted`);
    const seq = this.next();
    rec.state = state;
    rec.stateSeq = seq;
    this.record({ seq, objectType: 'user', id, kind });
  }

  private requireGroup(id: string): GroupRecord {
    const g = this.groups.get(id);
    if (!g) throw new Error(`group ${id} not found`);
    return g;
  }

  private requireMemberType(id: string): void {
    if (!this.objectTypeOf(id)) throw new Error(`member ${id} is neither a known user nor a group`);
  }
}

/** Extension attributes are patched one by one; the property as a whole is what delta reports (D1). */
function mergeExtensions(current: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object') return patch;
  const base = current !== null && typeof current === 'object' ? (current as Record<string, unknown>) : {};
  return { ...base, ...(patch as Record<string, unknown>) };
}
