/** Public surface of the mock Graph server (ARCHITECTURE.md "mock-graph"). */
export { startMockGraph, type MockGraph, type MockGraphOptions } from './start-mock-graph.js';
export { runMockGraphServer, type RunMockGraphServerOptions } from './run-mock-graph-server.js';
export { MockDirectory, type MockDirectoryInit } from './mock-directory.js';
export { syntheticDirectory, type SyntheticDirectoryOptions } from './synthetic-directory.js';
export { FaultController, type FaultRule, type FaultKind, type ThrottleBudget } from './fault-controller.js';
export { loadDirectorySeed, directorySeedSchema, type DirectorySeed, type MockUserSeed, type MockGroupSeed, type MockAppSeed } from './directory-seed.js';
export type { MockStats } from './mock-stats.js';
export type { MockQuirks, ExpiredTokenResponse } from './mock-context.js';
export type { ChangeRecord, UserRecord, GroupRecord } from './directory-records.js';
