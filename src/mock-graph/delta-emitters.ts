import { isMemberAt, type ChangeKind, type ObjectType, type UserRecord, type GroupRecord } from './directory-records.js';
import { USER_DEFAULT_PROPERTIES } from './known-properties.js';
import type { MockDirectory } from './mock-directory.js';

/** Which changes a window saw for one object (since < seq <= upTo). */
export interface ChangeAggregate { kinds: Set<ChangeKind>; props: Set<string> }

/** A round's window: since = null means the initial round (everything that existed at upTo). */
export interface DeltaWindow { since: number | null; upTo: number }

export interface MemberDelta { '@odata.type': string; id: string; '@removed'?: { reason: 'deleted' } }

export interface Emission { object: Record<string, unknown>; members?: MemberDelta[] }

export interface EmitOptions { select: readonly string[] | null; minimal: boolean }

/** Changed objects of one type in a window, in first-change order (that order is the round's list). */
export function aggregateChanges(dir: MockDirectory, type: ObjectType, since: number, upTo: number): Map<string, ChangeAggregate> {
  const out = new Map<string, ChangeAggregate>();
  for (const c of dir.changesBetween(since, upTo)) {
    if (c.objectType !== type) continue;
    let agg = out.get(c.id);
    if (!agg) out.set(c.id, (agg = { kinds: new Set(), props: new Set() }));
    agg.kinds.add(c.kind);
    for (const p of c.properties ?? []) agg.props.add(p);
  }
  return out;
}

const removed = (id: string, state: UserRecord['state']) => ({ id, '@removed': { reason: state === 'soft-deleted' ? 'changed' : 'deleted' } });

/** Normalises extension attributes the way Graph returns them: all fifteen keys, unset ones null. */
function present(name: string, value: unknown): unknown {
  if (name !== 'onPremisesExtensionAttributes') return value;
  const src = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const full: Record<string, unknown> = {};
  for (let i = 1; i <= 15; i++) full[`extensionAttribute${i}`] = src[`extensionAttribute${i}`] ?? null;
  return full;
}

/**
 * Builds one delta object. Full objects omit never-set (null) properties (I16); updates carry the
 * changed ones even when cleared to null, plus, unless minimal, the unchanged selected ones (D4).
 */
function shape(id: string, props: Record<string, unknown>, names: readonly string[], changed: Set<string> | null, minimal: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { id };
  for (const name of names) {
    const isChanged = changed?.has(name) === true;
    if (changed && minimal && !isChanged) continue;
    const value = props[name];
    if (name === 'onPremisesExtensionAttributes') {
      // Graph returns the whole extension block whenever it is selected (D1: returned as a unit).
      out[name] = present(name, value ?? null);
      continue;
    }
    if (value === undefined || value === null) {
      if (isChanged) out[name] = null;
      continue;
    }
    out[name] = value;
  }
  return out;
}

export function emitUser(rec: UserRecord | undefined, win: DeltaWindow, agg: ChangeAggregate | undefined, opts: EmitOptions): Emission | null {
  if (!rec) return null;
  const names = (opts.select ?? USER_DEFAULT_PROPERTIES).filter((n) => n !== 'id' && n !== 'manager');
  if (win.since === null) {
    // D1: the first round holds what exists; objects deleted before the round began are left out.
    if (rec.createdSeq > win.upTo) return null;
    if (rec.state !== 'active') return rec.stateSeq > win.upTo ? { object: removed(rec.id, rec.state) } : null;
    return { object: shape(rec.id, rec.props, names, null, false) };
  }
  if (!agg) return null;
  // D1/D2: soft delete = changed, permanent delete = deleted.
  if (rec.state !== 'active') return { object: removed(rec.id, rec.state) };
  // D1: created and restored objects come back as full, unannotated objects.
  if (agg.kinds.has('created') || agg.kinds.has('restored') || agg.kinds.has('soft-deleted')) {
    return { object: shape(rec.id, rec.props, names, null, false) };
  }
  // D1: with $select, a change to an unselected property does not make the object appear.
  const relevant = new Set([...agg.props].filter((p) => opts.select === null || opts.select.includes(p)));
  if (relevant.size === 0) return null;
  return { object: shape(rec.id, rec.props, names, relevant, opts.minimal) };
}

function memberEntry(dir: MockDirectory, id: string, removedToo: boolean): MemberDelta {
  // Only groups are told apart, by one map lookup: objectTypeOf would also parse every user id back
  // to its synthetic index, for each member of each page (a tenth of the mock's CPU in a first import).
  const type = dir.getGroup(id) ? '#microsoft.graph.group' : '#microsoft.graph.user';
  // D3/I13: no annotation = added; `@removed: deleted` = removed from the group or the object deleted.
  return removedToo ? { '@odata.type': type, id, '@removed': { reason: 'deleted' } } : { '@odata.type': type, id };
}

/** Member entries for a window: members as of upTo in the first round, net adds/removes later. */
export function memberDeltas(dir: MockDirectory, g: GroupRecord, win: DeltaWindow): MemberDelta[] {
  if (win.since === null) return g.members.filter((e) => isMemberAt(e, win.upTo)).map((e) => memberEntry(dir, e.memberId, false));
  const since = win.since;
  const touched = new Set<string>();
  for (const e of g.members) {
    const inWindow = (s: number | undefined) => s !== undefined && s > since && s <= win.upTo;
    if (inWindow(e.addedSeq) || inWindow(e.removedSeq)) touched.add(e.memberId);
  }
  const out: MemberDelta[] = [];
  for (const id of touched) {
    const entries = g.members.filter((e) => e.memberId === id);
    const was = entries.some((e) => isMemberAt(e, since));
    const now = entries.some((e) => isMemberAt(e, win.upTo));
    if (was !== now) out.push(memberEntry(dir, id, was));
  }
  return out;
}

export function emitGroup(dir: MockDirectory, g: GroupRecord | undefined, win: DeltaWindow, agg: ChangeAggregate | undefined, opts: EmitOptions): Emission | null {
  if (!g) return null;
  // D3: members@delta comes by default without $select, or with `members` selected; owners only if selected.
  const withMembers = opts.select === null || opts.select.includes('members');
  const names = (opts.select ?? Object.keys(g.props)).filter((n) => n !== 'id' && n !== 'members' && n !== 'owners');
  const removedObj = { object: { id: g.id, '@removed': { reason: g.state === 'soft-deleted' ? 'changed' : 'deleted' } } };
  if (win.since === null) {
    if (g.createdSeq > win.upTo) return null;
    if (g.state !== 'active') return g.stateSeq > win.upTo ? removedObj : null;
    const object = shape(g.id, g.props, names, null, false);
    if (opts.select?.includes('owners') && g.owners.length > 0) object['owners@delta'] = g.owners.map((id) => memberEntry(dir, id, false));
    return withMembers ? { object, members: memberDeltas(dir, g, win) } : { object };
  }
  if (!agg) return null;
  if (g.state !== 'active') return removedObj;
  const members = withMembers ? memberDeltas(dir, g, win) : [];
  if (agg.kinds.has('created') || agg.kinds.has('restored')) return { object: shape(g.id, g.props, names, null, false), members };
  const relevant = new Set([...agg.props].filter((p) => opts.select === null || opts.select.includes(p)));
  if (relevant.size === 0 && members.length === 0) return null;
  return { object: shape(g.id, g.props, names, relevant, opts.minimal), members };
}
