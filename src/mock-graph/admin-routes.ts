import { z } from 'zod';
import { mockGroupSeedSchema, mockUserSeedSchema } from './directory-seed.js';
import type { MockContext } from './mock-context.js';
import { json, type MockRequest, type MockResponse } from './mock-http.js';
import { messageOf } from '../core/message-of.js';

/** JSON cannot carry Infinity, so the admin API also takes `null` or `"Infinity"` for "for ever". */
export const faultRuleSchema = z.object({
  match: z.object({ path: z.string().optional(), method: z.string().optional(), inBatch: z.boolean().optional() }),
  kind: z.enum(['status', 'reset', 'malformed', 'delay', 'expired-token']),
  status: z.number().int().optional(),
  retryAfter: z.union([z.number(), z.string()]).optional(),
  times: z.union([z.number().positive(), z.literal('Infinity'), z.null()]).optional().transform((t) => (t === null || t === 'Infinity' ? Infinity : t)),
  delayMs: z.number().nonnegative().optional(),
  graphCode: z.string().optional(),
  resetLocation: z.boolean().optional(),
});

const throttleSchema = z.object({ requestsPerWindow: z.number().int().positive(), windowMs: z.number().int().positive() });
const memberSchema = z.object({ id: z.string().min(1) });
const patchSchema = z.record(z.string(), z.unknown());
const churnSchema = z.object({ percent: z.number().positive().max(50), seed: z.number().int() });

/**
 * The test-control API under `/_mock/` (no auth): mutate the directory, script faults, read stats.
 * Mutations go through MockDirectory so they land in the change log like real changes.
 */
export function handleAdminRoute(ctx: MockContext, req: MockRequest): MockResponse {
  try {
    return route(ctx, req) ?? json(404, { error: `no admin route ${req.method} ${req.path}` });
  } catch (e) {
    if (e instanceof z.ZodError) return json(400, { error: 'invalid body', issues: e.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
    const message = messageOf(e);
    return json(/not found/.test(message) ? 404 : 409, { error: message });
  }
}

function route(ctx: MockContext, req: MockRequest): MockResponse | undefined {
  const dir = ctx.directory;
  const [, , kind, id, action, memberId] = req.path.split('/');
  const body = (): unknown => (req.body.trim() === '' ? {} : JSON.parse(req.body));
  const m = req.method;
  if (kind === 'stats' && m === 'GET') return json(200, ctx.stats.snapshot());
  if (kind === 'churn' && m === 'POST') {
    // Counts only by default: a 1% churn of a million users is 10,000 ids nobody asked to see.
    const r = dir.churn(churnSchema.parse(body()));
    const counts = { attributes: r.attributes.length, moves: r.moves.length, leavers: r.leavers.length, seq: r.seq };
    return json(200, req.query.get('ids') === 'true' ? { ...counts, changed: r } : counts);
  }
  if (kind === 'faults') {
    if (m === 'GET') return json(200, ctx.faults.list().map((f) => ({ ...f, remaining: Number.isFinite(f.remaining) ? f.remaining : 'Infinity' })));
    if (m === 'POST') return json(201, { id: ctx.faults.add(faultRuleSchema.parse(body())) });
    if (m === 'DELETE' && id) return json(ctx.faults.remove(id) ? 204 : 404, {});
    if (m === 'DELETE') { ctx.faults.clear(); return json(204, {}); }
  }
  if (kind === 'throttle') {
    if (m === 'POST') { ctx.faults.setThrottle(throttleSchema.parse(body())); return json(204, {}); }
    if (m === 'DELETE') { ctx.faults.setThrottle(null); return json(204, {}); }
  }
  if (kind === 'tokens' && m === 'POST') {
    if (id === 'invalidate-delta') { ctx.tokenGeneration += 1; return json(204, {}); }
    if (id === 'revoke-access') { ctx.tokens.revokeAll(); return json(204, {}); }
  }
  if (kind === 'users') {
    if (m === 'POST' && !id) return json(201, { id: dir.addUser(mockUserSeedSchema.parse(body())).id, seq: dir.currentSeq });
    if (!id) return undefined;
    if (m === 'GET' && !action) { const u = dir.getUser(id); return u ? json(200, u) : json(404, { error: `user ${id} not found` }); }
    if (m === 'PATCH' && !action) return json(200, { changed: dir.updateUser(id, patchSchema.parse(body())), seq: dir.currentSeq });
    if (m === 'DELETE' && !action) { dir.hardDeleteUser(id); return json(200, { seq: dir.currentSeq }); }
    if (m === 'POST' && action === 'disable') { dir.disableUser(id); return json(200, { seq: dir.currentSeq }); }
    if (m === 'POST' && action === 'soft-delete') { dir.softDeleteUser(id); return json(200, { seq: dir.currentSeq }); }
    if (m === 'POST' && action === 'restore') { dir.restoreUser(id); return json(200, { seq: dir.currentSeq }); }
  }
  if (kind === 'groups') {
    if (m === 'POST' && !id) return json(201, { id: dir.addGroup(mockGroupSeedSchema.parse(body())).id, seq: dir.currentSeq });
    if (!id) return undefined;
    if (m === 'PATCH' && !action) return json(200, { changed: dir.updateGroup(id, patchSchema.parse(body())), seq: dir.currentSeq });
    if (m === 'DELETE' && !action) {
      const mode = req.query.get('mode');
      dir.deleteGroup(id, mode === 'soft' || mode === 'hard' ? mode : undefined);
      return json(200, { seq: dir.currentSeq });
    }
    if (m === 'POST' && action === 'members') return json(200, { added: dir.addMember(id, memberSchema.parse(body()).id), seq: dir.currentSeq });
    if (m === 'DELETE' && action === 'members' && memberId) return json(200, { removed: dir.removeMember(id, memberId), seq: dir.currentSeq });
  }
  return undefined;
}
