import { describe, expect, it } from 'vitest';
import { formatBenchReport } from '../../src/bench/format-bench-report.js';
import { runBenchmark } from '../../src/bench/run-benchmark.js';

// A smoke test of the bench's plumbing (mock process, fresh database, phases, table), not of speed:
// no number here is compared with a target. It spawns a mock process and a PGlite (15–40 s on two
// busy cores), so `npm test` runs it only with BENCH_SMOKE=1.
describe.skipIf(!process.env['BENCH_SMOKE'])('runBenchmark', () => {
  it('runs every phase on a 300-user tenant on PGlite and reports what each did', async () => {
    const report = await runBenchmark({ users: 300, groups: 6, seed: 1, latencyMs: 0, db: 'pglite', profile: true, mappings: 5, mappedGroups: 6, churnPercent: 2 });
    const [full, churn, idle, floor, listFloor] = report.phases;
    expect(report.phases).toHaveLength(5);
    expect(full?.users).toBe(300);
    expect(full?.rowsAdded.entra_users).toBe(300);
    expect(full?.graphRequests).toBeGreaterThan(0);
    expect(full?.resourceUnits).toBeGreaterThanOrEqual(full?.graphRequests ?? 0);
    expect(churn?.users).toBe((report.churn?.attributes ?? 0) + (report.churn?.leavers ?? 0));
    // One request per stored delta link (users + one group stream), nothing written.
    expect(idle?.graphRequests).toBe(2);
    expect(idle?.rowsAdded).toEqual({ entra_users: 0, entra_group_members: 0, insync_users: 0, provisioning_log: 0 });
    expect(floor?.users).toBe(300 - (report.churn?.leavers ?? 0));
    expect(listFloor?.users).toBe(floor?.users);
    expect(report.machine.cores).toBeGreaterThan(0);
    // CPU seconds: the importer always; the mock's process from /proc (PGlite has no server to read).
    expect(full?.cpu.importer).toBeGreaterThan(0);
    if (process.platform === 'linux') expect(full?.cpu.mock).toBeGreaterThan(0);
    expect(full?.cpu.database).toBeNull();
    expect(full?.cpu.minorFaults.importer).toBeGreaterThan(0);
    if (process.platform === 'linux') expect(report.machine.freshPageMicros).toBeGreaterThan(0);
    const table = formatBenchReport(report);
    expect(table).toContain('| full import');
    expect(table).toContain('CPU s imp/mock/db');
    expect(table).toContain('profile full import');
    expect(table).toContain('full import page faults imp/mock/db');
    expect(table).toMatch(/sections \(summed over parallel streams\): .*mirror-write .*insync-write .*log-write/);
  }, 90_000);
});
