import { describe, expect, it } from 'vitest';
import { formatBenchReport } from '../../../src/bench/format-bench-report.js';
import type { PhaseMeasurement } from '../../../src/bench/measure-phase.js';
import type { BenchReport } from '../../../src/bench/run-benchmark.js';

function phase(name: string, over: Partial<PhaseMeasurement> = {}): PhaseMeasurement {
  return {
    name, wallMs: 30_000, graphRequests: 10, batchedRequests: 0, resourceUnits: 10, users: 1000, peakRssBytes: 100 * 2 ** 20,
    cpu: { importer: 20, mock: 10, database: 25, machineBusy: 50, machineCapacity: 60, minorFaults: { importer: 100_000, mock: 50_000, database: 200_000 } },
    rowsAdded: { entra_users: 1000, entra_group_members: 0, insync_users: 900, provisioning_log: 1000 }, routes: {}, detail: {},
    ...over,
  };
}

function report(phases: PhaseMeasurement[], freshPageMicros: number | null): BenchReport {
  return {
    options: { users: 1000, groups: 2, seed: 1, latencyMs: 0, db: 'postgres', profile: false, mappings: 5, mappedGroups: 2, churnPercent: 1 },
    machine: { cores: 2, cpu: 'test cpu', memoryGiB: 24, node: 'v20', freshPageMicros },
    database: 'postgres test', churn: null, phases,
  };
}

describe('formatBenchReport', () => {
  it('gives the full import per CPU second of the mock, and its page faults priced at the fresh-page cost', () => {
    const text = formatBenchReport(report([phase('full import'), phase('pull-only floor (list+batch)', { wallMs: 15_000 })], 20));
    expect(text).toContain('a fresh page 20.0 µs');
    expect(text).toContain('full import / pull-only floor (list+batch): 2.00×');
    expect(text).toContain('full import per mock CPU second: wall 3.00 s, importer 2.00, database 2.50 CPU s');
    expect(text).toContain('full import page faults imp/mock/db: 100000/50000/200000, about 2.0/1.0/4.0 CPU s at 20.0 µs each');
  });

  it('leaves out what was not measured: no mock CPU, no database, no fault cost', () => {
    const full = phase('full import', {
      cpu: { importer: 20, mock: null, database: null, machineBusy: null, machineCapacity: null, minorFaults: { importer: 7, mock: null, database: null } },
    });
    const text = formatBenchReport(report([full], null));
    expect(text).not.toContain('per mock CPU second');
    expect(text).not.toContain('fresh page');
    expect(text).toContain('full import page faults imp/mock/db: 7/-/-');
    expect(text).not.toContain('CPU s at');
  });
});
