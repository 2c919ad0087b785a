import { Client, PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, uid, type Harness } from './mock-graph-harness.js';

// The @azure/identity half of stack-notes §1 (in process with tlsOptions.ca, and in a child with
// NODE_EXTRA_CA_CERTS) is in token-endpoint.test.ts; this is the Graph SDK half (§2).
describe('@microsoft/microsoft-graph-client PageIterator against the mock (stack-notes §2)', () => {
  let h: Harness;
  let client: Client;
  let agent: Agent;
  const links: string[] = [];
  beforeAll(async () => {
    h = await startHarness({ pageSizes: { usersDelta: 7 } });
    agent = new Agent({ connect: { ca: h.mock.caPem ?? undefined } });
    const token = await h.token();
    client = Client.init({
      baseUrl: h.mock.url,
      // Without customHosts the SDK sends the token only to Microsoft's hosts (stack-notes §2).
      customHosts: new Set(['localhost']),
      authProvider: (done) => done(null, token),
      fetchOptions: { dispatcher: agent } as RequestInit,
    });
  });
  afterAll(async () => {
    await h.close();
    await agent.close();
  });

  async function walk(start: PageCollection): Promise<{ ids: string[]; removed: string[]; it: PageIterator }> {
    const ids: string[] = [];
    const removed: string[] = [];
    const it = new PageIterator(client, start, (item: { id: string; '@removed'?: unknown }) => {
      (item['@removed'] ? removed : ids).push(item.id);
      return true;
    });
    await it.iterate();
    return { ids, removed, it };
  }

  it('D1: walks a users/delta round through its nextLinks to the deltaLink, with the token on every page', async () => {
    const before = h.mock.stats().requests['GET /v1.0/users/delta'] ?? 0;
    const first = (await client.api('/users/delta').select(['displayName', 'userType']).get()) as PageCollection;
    const { ids, it } = await walk(first);
    expect(new Set(ids).size).toBe(20);
    expect(it.isComplete()).toBe(true);
    const deltaLink = it.getDeltaLink() ?? '';
    expect(deltaLink).toMatch(new RegExp(`^${h.mock.url}/v1\\.0/users/delta\\?\\$deltatoken=`));
    // 20 users at 7 a page: 3 pages, each authorised (a 401 would have thrown).
    expect((h.mock.stats().requests['GET /v1.0/users/delta'] ?? 0) - before).toBe(3);
    links.push(deltaLink);
  });

  it('D1/D2: a later round from the deltaLink returns only what changed, @removed items included', async () => {
    const deltaLink = links[0] ?? '';
    h.mock.directory.updateUser(uid(2), { displayName: 'Alex Renamed' });
    h.mock.directory.softDeleteUser(uid(7));
    const { ids, removed, it } = await walk((await client.api(deltaLink).get()) as PageCollection);
    expect(ids).toEqual([uid(2)]);
    expect(removed).toEqual([uid(7)]);
    expect(it.getDeltaLink()).not.toBe(deltaLink);
    const quiet = await walk((await client.api(it.getDeltaLink() ?? '').get()) as PageCollection);
    expect([...quiet.ids, ...quiet.removed]).toEqual([]);
  });
});
