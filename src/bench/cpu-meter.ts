import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * CPU seconds spent over one phase. On two cores the importer, the mock and the database share
 * the machine, so wall time alone cannot say whether a phase waited or worked; these figures can.
 * Read from /proc (Linux); a figure that cannot be read is null.
 */
export interface CpuSeconds {
  importer: number;
  mock: number | null;
  /**
   * Every process named `postgres` on this machine: the server's backends and background writers.
   * Null for PGlite, which runs inside the importer, and for a server on another machine.
   */
  database: number | null;
  /** Busy CPU seconds of the whole machine, all cores, over the phase. */
  machineBusy: number | null;
  /** What all the cores could have given over the same time. */
  machineCapacity: number | null;
  /**
   * Minor page faults of the same processes over the phase: memory touched for the first time.
   * Where a fresh page is expensive (about 20 µs on the VMs these benches ran on, against well
   * under 1 µs on bare metal), they are a good part of the CPU seconds above.
   */
  minorFaults: { importer: number; mock: number | null; database: number | null };
}

export interface CpuMeterTargets {
  mockPid: number | undefined;
  /** The database is a PostgreSQL server on this machine. */
  localDatabase: boolean;
}

// Linux reports process and machine times in USER_HZ ticks, 100 a second on every architecture
// Node runs on (the kernel fixes USER_HZ at 100 for user space, whatever its internal HZ).
const TICKS_PER_SECOND = 100;

export function startCpuMeter(targets: CpuMeterTargets, proc = '/proc'): { stop(): CpuSeconds } {
  const snapshot = () => ({
    importer: process.cpuUsage(),
    importerFaults: process.resourceUsage().minorPageFault,
    mock: targets.mockPid === undefined ? null : processStat(proc, targets.mockPid),
    database: targets.localDatabase ? statsByPid(proc, 'postgres') : null,
    machine: machineTicks(proc),
  });
  const before = snapshot();
  return {
    stop() {
      const after = snapshot();
      const importerMicros = after.importer.user - before.importer.user + after.importer.system - before.importer.system;
      let database: ProcessStat | null = null;
      if (before.database && after.database) {
        // A backend that started during the phase counts from zero; one that exited is lost.
        database = { ticks: 0, minorFaults: 0 };
        for (const [pid, stat] of after.database) {
          const was = before.database.get(pid);
          database.ticks += stat.ticks - (was?.ticks ?? 0);
          database.minorFaults += stat.minorFaults - (was?.minorFaults ?? 0);
        }
      }
      const delta = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null ? null : (a - b) / TICKS_PER_SECOND);
      return {
        importer: importerMicros / 1e6,
        mock: delta(after.mock?.ticks, before.mock?.ticks),
        database: database === null ? null : database.ticks / TICKS_PER_SECOND,
        machineBusy: delta(after.machine?.busy, before.machine?.busy),
        machineCapacity: delta(after.machine?.total, before.machine?.total),
        minorFaults: {
          importer: after.importerFaults - before.importerFaults,
          mock: after.mock && before.mock ? after.mock.minorFaults - before.mock.minorFaults : null,
          database: database === null ? null : database.minorFaults,
        },
      };
    },
  };
}

interface ProcessStat {
  /** utime + stime. */
  ticks: number;
  minorFaults: number;
}

/** CPU ticks and minor faults of one process, or null when it cannot be read. */
function processStat(proc: string, pid: number): ProcessStat | null {
  try {
    return parseStat(readFileSync(join(proc, String(pid), 'stat'), 'utf8'));
  } catch {
    return null;
  }
}

function parseStat(stat: string): ProcessStat {
  // The command name in parentheses may hold spaces; the fields after it are fixed:
  // state is field 3, minflt field 10, utime field 14 and stime field 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ticks: Number(fields[11]) + Number(fields[12]), minorFaults: Number(fields[7]) };
}

function statsByPid(proc: string, comm: string): Map<number, ProcessStat> | null {
  let entries: string[];
  try {
    entries = readdirSync(proc);
  } catch {
    return null;
  }
  const out = new Map<number, ProcessStat>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(join(proc, entry, 'comm'), 'utf8').trim() !== comm) continue;
      out.set(Number(entry), parseStat(readFileSync(join(proc, entry, 'stat'), 'utf8')));
    } catch {
      // The process ended between listing and reading.
    }
  }
  return out;
}

function machineTicks(proc: string): { busy: number; total: number } | null {
  try {
    const first = readFileSync(join(proc, 'stat'), 'utf8').split('\n')[0] ?? '';
    // cpu user nice system idle iowait irq softirq steal guest guest_nice; guest time is already
    // counted in user, so it is left out of the total.
    const t = first.trim().split(/\s+/).slice(1, 9).map(Number);
    if (t.length < 8 || t.some((n) => !Number.isFinite(n))) return null;
    const total = t.reduce((a, b) => a + b, 0);
    return { busy: total - (t[3] ?? 0) - (t[4] ?? 0), total };
  } catch {
    return null;
  }
}
