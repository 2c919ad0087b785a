import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCpuMeter } from '../../../src/bench/cpu-meter.js';

/** A fake /proc: processes with a name and utime/stime ticks, and the machine's cpu line. */
function fakeProc() {
  const root = mkdtempSync(join(tmpdir(), 'fake-proc-'));
  return {
    root,
    process(pid: number, comm: string, utime: number, stime: number, minflt = 0) {
      mkdirSync(join(root, String(pid)), { recursive: true });
      writeFileSync(join(root, String(pid), 'comm'), `${comm}\n`);
      // The name in parentheses holds a space and a parenthesis, as real ones can.
      const after = ['S', '1', '1', '1', '0', '-1', '4194304', String(minflt), '7', '0', '0', String(utime), String(stime), '0', '0'];
      writeFileSync(join(root, String(pid), 'stat'), `${pid} (${comm} (x) y) ${after.join(' ')}\n`);
    },
    machine(user: number, system: number, idle: number, iowait: number) {
      writeFileSync(join(root, 'stat'), `cpu  ${user} 0 ${system} ${idle} ${iowait} 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n`);
    },
  };
}

let roots: string[] = [];
afterEach(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
  roots = [];
});

describe('startCpuMeter', () => {
  it('reports the CPU seconds and minor faults of the mock, of every postgres process and of the machine over the phase', () => {
    const proc = fakeProc();
    roots.push(proc.root);
    proc.process(100, 'node', 500, 100, 1_000);
    proc.process(200, 'postgres', 1000, 200, 5_000);
    proc.process(300, 'bash', 50, 50);
    proc.machine(10_000, 2_000, 50_000, 1_000);
    const meter = startCpuMeter({ mockPid: 100, localDatabase: true }, proc.root);

    proc.process(100, 'node', 650, 150, 1_600); // +200 ticks, +600 faults
    proc.process(200, 'postgres', 1300, 250, 5_900); // +350 ticks, +900 faults
    proc.process(201, 'postgres', 40, 10, 300); // a backend started during the phase: +50 ticks, +300 faults
    proc.process(300, 'bash', 5000, 5000); // not the database
    proc.machine(10_600, 2_300, 50_400, 1_100); // +900 busy of +1,400
    const cpu = meter.stop();

    expect(cpu.mock).toBeCloseTo(2.0);
    expect(cpu.database).toBeCloseTo(4.0);
    expect(cpu.machineBusy).toBeCloseTo(9.0);
    expect(cpu.machineCapacity).toBeCloseTo(14.0);
    expect(cpu.importer).toBeGreaterThanOrEqual(0);
    expect(cpu.minorFaults.mock).toBe(600);
    expect(cpu.minorFaults.database).toBe(1_200);
    expect(cpu.minorFaults.importer).toBeGreaterThanOrEqual(0);
  });

  it('leaves out what it cannot read: no mock, a database that is not a local server, no /proc', () => {
    const meter = startCpuMeter({ mockPid: undefined, localDatabase: false }, join(tmpdir(), 'no-such-proc-dir'));
    expect(meter.stop()).toMatchObject({ mock: null, database: null, machineBusy: null, machineCapacity: null, minorFaults: { mock: null, database: null } });
  });
});
