import type { MockContext } from './mock-context.js';
import { aggregateChanges, emitGroup, emitUser, type ChangeAggregate, type DeltaWindow, type Emission } from './delta-emitters.js';
import type { DeltaResource } from './delta-request.js';
import type { DeltaLinkState, DeltaState } from './state-token-codec.js';

export interface DeltaPage {
  value: Record<string, unknown>[];
  /** Exactly one of these is set: a page never carries both links (D1). */
  next?: DeltaState;
  deltaLink?: DeltaLinkState;
}

/** The ordered ids a phase walks, with the change aggregates that justify each one. */
interface PhaseList { ids: IdList; window: DeltaWindow; aggregates: Map<string, ChangeAggregate> | undefined }

function phaseList(ctx: MockContext, st: DeltaState): PhaseList {
  const type = st.resource === 'users' ? 'user' : 'group';
  const since = st.phase === 'main' ? st.since : st.upTo;
  const upTo = st.phase === 'main' ? st.upTo : (st.tailUpTo ?? st.upTo);
  const window: DeltaWindow = { since, upTo };
  if (since === null) {
    // First round: every object that exists, in the directory's stable order (or the $filter ids).
    if (st.ids) return { ids: arrayIds(st.ids), window, aggregates: undefined };
    const dir = ctx.directory;
    const ids = st.resource === 'users'
      ? { length: dir.userCount, get: (i: number) => dir.userIdAt(i) }
      : arrayIds([...dir.listGroups()].map((g) => g.id));
    return { ids, window, aggregates: undefined };
  }
  const aggregates = aggregateChanges(ctx.directory, type, since, upTo);
  const ids = [...aggregates.keys()].filter((id) => !st.ids || st.ids.includes(id));
  return { ids: arrayIds(ids), window, aggregates };
}

/** Random access to a phase's ids without copying a huge synthetic tenant into an array. */
interface IdList { readonly length: number; get(index: number): string | undefined }

function arrayIds(ids: readonly string[]): IdList {
  return { length: ids.length, get: (i) => ids[i] };
}

function emit(ctx: MockContext, st: DeltaState, list: PhaseList, id: string, minimal: boolean): Emission | null {
  const opts = { select: st.select, minimal };
  const agg = list.aggregates?.get(id);
  return st.resource === 'users'
    ? emitUser(ctx.directory.getUser(id), list.window, agg, opts)
    : emitGroup(ctx.directory, ctx.directory.getGroup(id), list.window, agg, opts);
}

/**
 * Builds one page of a round. Users fill up to `usersDelta` objects (I1: 200). Groups also stop
 * when the page holds `memberSlice` member entries; a group whose members do not fit is cut, and
 * the next page repeats it with the next slice (D3 "large groups").
 */
export function buildDeltaPage(ctx: MockContext, resource: DeltaResource, start: DeltaState, minimal: boolean): DeltaPage {
  const st: DeltaState = { ...start };
  const { pageSizes, quirks } = ctx.options;
  const pageSize = resource === 'users' ? pageSizes.usersDelta : pageSizes.groupsDelta;
  const value: Record<string, unknown>[] = [];
  let list = phaseList(ctx, st);
  const every = quirks.emptyPageEvery ?? 0;
  if (every > 0 && st.page > 0 && st.page % every === 0 && st.cursor < list.ids.length) {
    return { value, next: { ...st, page: st.page + 1 } };
  }
  if (quirks.duplicateAcrossPages && pageSize >= 2 && st.cursor > 0 && st.memberOffset === 0) {
    const prevId = list.ids.get(st.cursor - 1);
    const again = prevId === undefined ? null : emit(ctx, st, list, prevId, minimal);
    if (again) value.push(again.object);
  }
  let memberBudget = pageSizes.memberSlice;
  while (value.length < pageSize) {
    if (st.cursor >= list.ids.length) {
      if (st.phase === 'tail' || quirks.replayMidRoundChanges === false || ctx.directory.currentSeq === st.upTo) break;
      // D1: objects can show up again later in the same round; re-emit what changed while it ran.
      Object.assign(st, { phase: 'tail', tailUpTo: ctx.directory.currentSeq, cursor: 0, memberOffset: 0 });
      list = phaseList(ctx, st);
      continue;
    }
    const id = list.ids.get(st.cursor);
    const e = id === undefined ? null : emit(ctx, st, list, id, minimal);
    if (!e) { st.cursor += 1; st.memberOffset = 0; continue; }
    // D3: a group with no (changed) members carries no members@delta at all.
    if (!e.members || e.members.length === 0) { value.push(e.object); st.cursor += 1; st.memberOffset = 0; continue; }
    if (memberBudget <= 0) break;
    const rest = e.members.slice(st.memberOffset);
    const slice = rest.slice(0, memberBudget);
    memberBudget -= slice.length;
    value.push({ ...e.object, 'members@delta': slice });
    if (slice.length < rest.length) { st.memberOffset += slice.length; break; }
    st.cursor += 1;
    st.memberOffset = 0;
  }
  const done = st.cursor >= list.ids.length && (st.phase === 'tail' || quirks.replayMidRoundChanges === false || ctx.directory.currentSeq === st.upTo);
  if (!done) return { value, next: { ...st, page: st.page + 1 } };
  const since = st.phase === 'tail' ? (st.tailUpTo ?? st.upTo) : st.upTo;
  return {
    value,
    deltaLink: { resource, since, select: st.select, ids: st.ids, issuedAt: ctx.clock.now().getTime(), generation: ctx.tokenGeneration },
  };
}
