import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock.js';
import { startHarness, type Harness } from './mock-graph-harness.js';

// The users/delta behaviours live in the Graph contract (test/contract/users-delta.contract.ts);
// what stays here needs the mock's injected clock, which no HTTP client can move.
describe('users/delta token age', () => {
  let h: Harness;
  const clock = new FakeClock();
  beforeAll(async () => { h = await startHarness({ clock }); });
  afterAll(async () => { await h.close(); });

  it('B1: a deltaLink older than seven days fails with 400 syncStateNotFound', async () => {
    const { deltaLink } = await h.round('/v1.0/users/delta?$select=displayName');
    clock.advance(7 * 86_400_000 + 1000);
    h.forgetToken(); // the access token expired too
    const r = await h.get(deltaLink);
    expect(r.status).toBe(400);
    expect(r.body['error']).toMatchObject({ code: 'syncStateNotFound', message: expect.stringContaining('sync state generation is not found') });
  });
});
