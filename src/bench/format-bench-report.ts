import type { BenchReport } from './run-benchmark.js';
import type { CpuSeconds } from './cpu-meter.js';
import type { PhaseMeasurement } from './measure-phase.js';
import type { ProfileSummary } from './progress-profile.js';

const MB = 2 ** 20;

/** One table a person can paste into the README, plus the command line that reproduces it. */
export function formatBenchReport(r: BenchReport): string {
  const o = r.options;
  const head = [
    `npm run bench -- --users ${o.users} --groups ${o.groups} --db ${o.db} --mappings ${o.mappings}${o.latencyMs ? ` --latency ${o.latencyMs}` : ''}${o.mappedGroups < o.groups ? ` --mapped-groups ${o.mappedGroups}` : ''} --seed ${o.seed}${o.idOrder && o.idOrder !== 'random' ? ` --id-order ${o.idOrder}` : ''}`,
    `${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGiB} GiB, node ${r.machine.node}${heapCell(o.heapGrowthPercent)}${pageCell(r.machine.freshPageMicros)}; ${r.database}; ${Math.min(o.mappedGroups, o.groups)} groups mapped`,
    r.churn ? `churn ${o.churnPercent}%: ${r.churn.attributes} attribute changes, ${r.churn.moves} group moves, ${r.churn.leavers} leavers` : '',
  ].filter((l) => l !== '');
  const header = ['phase', 'wall s', 'HTTP req', 'batched', 'RU', 'users', 'users/s', 'peak RSS MB', 'CPU s imp/mock/db', 'busy %', 'rows + users/members/insync/log', 'actions c/u/p'];
  const rows = r.phases.map((p) => {
    const counts = p.detail['counts'] as { created: number; updated: number; preserved: number } | undefined;
    const a = p.rowsAdded;
    return [
      p.error ? `${p.name} (FAILED)` : p.name, (p.wallMs / 1000).toFixed(2), String(p.graphRequests), String(p.batchedRequests), String(p.resourceUnits), String(p.users),
      p.wallMs > 0 ? String(Math.round(p.users / (p.wallMs / 1000))) : '-', (p.peakRssBytes / MB).toFixed(0), cpuCell(p.cpu), busyCell(p.cpu),
      `${a.entra_users}/${a.entra_group_members}/${a.insync_users}/${a.provisioning_log}`,
      counts ? `${counts.created}/${counts.updated}/${counts.preserved}` : '-',
    ];
  });
  const full = r.phases[0];
  // Both floors: which one the engine's first round should be held to depends on the path it took.
  const ratio = r.phases.filter((p) => p.name.startsWith('pull-only floor') && p.wallMs > 0 && !p.error)
    .map((f) => `full import / ${f.name}: ${((full?.wallMs ?? 0) / f.wallMs).toFixed(2)}×`).join('; ');
  const errors = r.phases.flatMap((p) => (p.error ? [`FAILED ${p.name}: ${p.error}`] : []));
  const profiles = r.phases.flatMap((p) => (p.detail['profile'] ? [formatProfile(p.name, p.detail['profile'] as ProfileSummary)] : []));
  const perMock = full && !full.error ? perMockLine(full, r.machine.freshPageMicros) : [];
  return [...head, '', markdownTable(header, rows), '', ...errors, ratio, ...perMock, ...profiles].filter((l, i, all) => !(l === '' && all[i - 1] === '')).join('\n');
}

function formatProfile(name: string, p: ProfileSummary): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const entries = Object.entries(p.streams);
  const groups = entries.filter(([k]) => k !== 'users').map(([, v]) => v);
  const streams = [
    ...entries.filter(([k]) => k === 'users').map(([k, v]) => `${k}: ${v.pages} pages, ${v.items} items, last at ${s(v.lastMs)}`),
    ...(groups.length > 0
      ? [`groups: ${groups.length} streams, ${sum(groups.map((g) => g.pages))} pages, ${sum(groups.map((g) => g.items))} items, last at ${s(Math.max(...groups.map((g) => g.lastMs)))}`]
      : []),
  ];
  const sections = Object.entries(p.sections).map(([k, ms]) => `${k} ${s(ms)}`).join(', ');
  return [
    `profile ${name}: pull+mirror ${s(p.pullAndMirrorMs)}, decide+apply ${s(p.decideAndApplyMs)}, tail ${s(p.tailMs)}; ${p.batches.count} batches (${p.batches.decided} decided, ${p.batches.written} written)`,
    ...(sections ? [`  sections (summed over parallel streams): ${sections}`] : []),
    ...streams.map((l) => `  ${l}`),
  ].join('\n');
}

/** The heap growth the importer ran with, when the caller set one (the bench's own process). */
function heapCell(percent: number | undefined): string {
  if (percent === undefined) return '';
  return percent === 0 ? ', heap growth V8 adaptive' : `, heap growth ${percent} %`;
}

/**
 * The full import per CPU second of the mock, whose work is the same in every run of one tenant:
 * how a change compares across runs on a machine whose speed drifts. And the page faults behind
 * the CPU seconds, priced at the measured cost of a fresh page.
 */
function perMockLine(full: PhaseMeasurement, pageMicros: number | null): string[] {
  const lines: string[] = [];
  const { cpu } = full;
  if (cpu.mock !== null && cpu.mock > 0) {
    const per = (v: number | null) => (v === null ? '-' : (v / (cpu.mock ?? 1)).toFixed(2));
    lines.push(`full import per mock CPU second: wall ${per(full.wallMs / 1000)} s, importer ${per(cpu.importer)}, database ${per(cpu.database)} CPU s`);
  }
  const f = cpu.minorFaults;
  const counts = [f.importer, f.mock, f.database];
  const priced = pageMicros === null ? '' : `, about ${counts.map((n) => (n === null ? '-' : ((n * pageMicros) / 1e6).toFixed(1))).join('/')} CPU s at ${pageMicros.toFixed(1)} µs each`;
  lines.push(`full import page faults imp/mock/db: ${counts.map((n) => (n === null ? '-' : String(n))).join('/')}${priced}`);
  return lines;
}

function pageCell(micros: number | null): string {
  return micros === null ? '' : `, a fresh page ${micros.toFixed(1)} µs`;
}

/** Importer, mock and database CPU seconds; `-` where a figure could not be read (PGlite's is in the importer's). */
function cpuCell(cpu: CpuSeconds): string {
  const s = (v: number | null) => (v === null ? '-' : v.toFixed(1));
  return `${s(cpu.importer)}/${s(cpu.mock)}/${s(cpu.database)}`;
}

/** How busy the whole machine was over the phase, all cores together. */
function busyCell(cpu: CpuSeconds): string {
  return cpu.machineBusy === null || !cpu.machineCapacity ? '-' : `${Math.round((100 * cpu.machineBusy) / cpu.machineCapacity)}`;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  return [line(header), `|${widths.map((w, i) => (i === 0 ? ` ${'-'.repeat(w)} ` : ` ${'-'.repeat(w - 1)}: `)).join('|')}|`, ...rows.map(line)].join('\n');
}
