import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file that needs a database starts its own PGlite (about 4 s and 760 MB, stack-notes §4):
    // on two cores, two files at a time is the most that helps.
    pool: 'forks',
    maxWorkers: 2,
    // End-to-end tests spawn the real binary several times; a loaded two-core machine needs the room.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
