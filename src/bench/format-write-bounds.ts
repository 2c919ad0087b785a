import { COUNTED_TABLES } from './bench-database.js';
import { WRITE_STEPS, type WriteBounds, type WritePath } from './write-bounds.js';

/** One markdown table, like the bench's: seconds per step for both paths, then the database's CPU. */
export function formatWriteBounds(b: WriteBounds): string {
  const s = (n: number) => n.toFixed(2);
  const total = (p: WritePath) => WRITE_STEPS.reduce((sum, step) => sum + p.steps[step], 0);
  const rows = (p: WritePath) => COUNTED_TABLES.map((t) => p.rows[t]).join('/');
  const lines = [
    `write bounds: ${b.users} users, ${b.groups} groups; per batch = ${b.batch} rows a statement into the indexed tables, as a first import writes;`,
    'bulk = one statement a table into empty tables, their indexes built afterwards, the decide read as one join',
    '',
    '| step | per batch s | bulk s |',
    '| --- | --: | --: |',
    ...WRITE_STEPS.map((step) => `| ${step} | ${s(b.perBatch.steps[step])} | ${s(b.bulk.steps[step])} |`),
    `| total (of which index builds) | ${s(total(b.perBatch))} | ${s(total(b.bulk))} (${s(b.bulk.indexBuilds)}) |`,
    `| database CPU s | ${b.perBatch.databaseCpu === null ? '-' : s(b.perBatch.databaseCpu)} | ${b.bulk.databaseCpu === null ? '-' : s(b.bulk.databaseCpu)} |`,
    `| decide read: users/memberships | ${b.perBatch.decideRead.users}/${b.perBatch.decideRead.memberships} | ${b.bulk.decideRead.users}/${b.bulk.decideRead.memberships} |`,
    `| rows users/members/insync/log | ${rows(b.perBatch)} | ${rows(b.bulk)} |`,
  ];
  return lines.join('\n');
}
