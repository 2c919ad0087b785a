import { describe } from 'vitest';
import { faultsContract } from './faults.contract.js';
import type { StartTarget } from './graph-target.js';
import { groupsDeltaContract } from './groups-delta.contract.js';
import { readsContract } from './reads.contract.js';
import { usersDeltaContract } from './users-delta.contract.js';

/**
 * The one description of how Microsoft Graph behaves (graph-semantics §10), written against the
 * HTTP surface only, as unstorage's `testDriver` is. Any target seeded with
 * fixtures/directory/contoso.json can be held to it: the bundled mock today, a recorded or
 * sandbox tenant later. Test names carry the source keys (D4, I13, …) so each expectation can be
 * checked against the page it came from.
 */
export function describeGraphContract(name: string, start: StartTarget): void {
  describe(`Graph contract: ${name}`, () => {
    usersDeltaContract(start);
    groupsDeltaContract(start);
    faultsContract(start);
    readsContract(start);
  });
}
