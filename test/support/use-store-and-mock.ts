import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { MockGraph } from '../../src/mock-graph/start-mock-graph.js';
import { startFixtureMock } from './sync-harness.js';
import { openTestStore, type TestStore } from './test-store.js';

/**
 * One store for the file (PGlite, or a throwaway database on TEST_DATABASE_URL), emptied before
 * each test. `ready` receives it before every test, after the reset.
 */
export function useTestStore(ready: (db: TestStore) => void | Promise<void>): void {
  let db: TestStore | undefined;
  beforeAll(async () => {
    db = await openTestStore();
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    if (!db) throw new Error('the test store did not open');
    await db.reset();
    await ready(db);
  });
}

/**
 * The usual life of a database-backed sync test file: the store of `useTestStore`, and a fresh
 * mock Graph with the fixture tenant for each test. `ready` receives both before every test.
 */
export function useStoreAndMock(ready: (db: TestStore, mock: MockGraph) => void | Promise<void>): void {
  let mock: MockGraph | undefined;
  useTestStore(async (db) => {
    mock = await startFixtureMock();
    await ready(db, mock);
  });
  afterEach(async () => {
    await mock?.close();
    mock = undefined;
  });
}
